namespace Stm.Tests.Properties.Core;

/// <summary>A generated sequence of parks, wake-ups and releases of waiters on one gate TVar.</summary>
public sealed record WaitOrderPlan(IReadOnlyList<WaitOrderStep> Steps)
{
    public override string ToString() => string.Join(" ", Steps);
}
