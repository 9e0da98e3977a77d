namespace Stm.Tests.Properties.Core;

/// <summary>One waiter of a <see cref="WakeUpScenario"/>: how it reads the gates, and whether it waits with <c>RunAsync</c>.</summary>
public sealed record WakeUpWaiter(WaitShape Shape, bool Async)
{
    public override string ToString() => $"{Shape}{(Async ? " async" : string.Empty)}";
}
