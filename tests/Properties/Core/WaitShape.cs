namespace Stm.Tests.Properties.Core;

/// <summary>How a waiter of a <see cref="WakeUpScenario"/> reads the gates before it retries.</summary>
public enum WaitShape
{
    /// <summary>Reads every gate in its body.</summary>
    Direct,

    /// <summary>Reads every gate inside a nested <c>Atomic.Run</c>.</summary>
    NestedRun,

    /// <summary>
    /// <c>OrElse</c>: the first branch reads the first half of the gates and retries while they are all
    /// 0 (its reads stay in the read set), the second reads the rest.
    /// </summary>
    OrElse,
}
