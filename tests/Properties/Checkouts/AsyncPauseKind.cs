namespace Stm.Tests.Properties.Checkouts;

/// <summary>What an <see cref="AsyncPause"/> awaits.</summary>
public enum AsyncPauseKind
{
    /// <summary>No await: the next block runs at once on the same thread.</summary>
    None,

    /// <summary><see cref="Task.Yield"/>: the rest runs as a new thread-pool work item.</summary>
    Yield,

    /// <summary><c>Task.Delay(0)</c>: completes synchronously (a control: an await that does not yield).</summary>
    Delay0,

    /// <summary><c>Task.Delay(1)</c>: a timer, long enough for other tasks to commit.</summary>
    Delay1,
}
