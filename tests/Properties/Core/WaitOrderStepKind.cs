namespace Stm.Tests.Properties.Core;

/// <summary>What one step of a <see cref="WaitOrderPlan"/> does.</summary>
public enum WaitOrderStepKind
{
    /// <summary>A new waiter parks on the gate (and on its own flag).</summary>
    Park,

    /// <summary>A commit writes the gate without satisfying anyone: every waiter re-runs and parks again.</summary>
    WakeAll,

    /// <summary>A commit sets one waiter's own flag: that waiter finishes and leaves the gate's list.</summary>
    Release,
}
