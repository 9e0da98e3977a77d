namespace Stm.Tests.Properties.Core;

/// <summary>One step of a <see cref="WaitOrderPlan"/>; <see cref="Waiter"/> picks, modulo the waiters still parked, whom a release frees.</summary>
public readonly record struct WaitOrderStep(WaitOrderStepKind Kind, int Waiter)
{
    public override string ToString() => Kind == WaitOrderStepKind.Release ? $"release#{Waiter}" : Kind.ToString();
}
