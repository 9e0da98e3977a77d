namespace Stm.Tests.Properties.Core;

/// <summary>
/// Waiters over <see cref="Gates"/> TVars (all 0), each reading them in its own <see cref="WakeUpWaiter.Shape"/>;
/// after every waiter has read them, one commit sets gate <see cref="WrittenGate"/> to 1.
/// </summary>
public sealed record WakeUpScenario(int Gates, IReadOnlyList<WakeUpWaiter> Waiters, int WrittenGate)
{
    public override string ToString() =>
        $"{Gates} gates, gate {WrittenGate} written, waiters [{string.Join(", ", Waiters)}]";
}
