namespace Stm.Internal;

/// <summary>
/// One long wait found by <see cref="LongWaitMonitor"/>'s scan, copied out of the registry so that it
/// is published without holding a stripe lock.
/// </summary>
/// <param name="WaitedMilliseconds">How long the run has waited since it first parked.</param>
/// <param name="TagNames">The first few TVar names, unnamed ones as "(unnamed)": a tag value of few distinct values.</param>
/// <param name="EventNames">More TVar names, unnamed ones with their ids, for the event.</param>
/// <param name="TVarCount">How many TVars it waits on.</param>
/// <param name="Wakeups">How many times it was woken without committing.</param>
/// <param name="IsAsync">True for an asynchronous (RunAsync or checkout) wait.</param>
/// <param name="ThreadId">The managed thread id of a blocking wait, else 0.</param>
internal readonly record struct LongWaitReport(
    long WaitedMilliseconds, string TagNames, string EventNames, int TVarCount, int Wakeups, bool IsAsync, int ThreadId)
{
    /// <summary>
    /// Never woken: no commit has written anything it waits on since it first parked (every such
    /// commit wakes it), for longer than the threshold; whatever should wake it has not run.
    /// </summary>
    internal bool LikelyStalled => Wakeups == 0;
}
