namespace Stm.Soak;

/// <summary>How a transaction that may wait in Retry is started.</summary>
internal enum WaitMode
{
    /// <summary>
    /// <c>Atomic.TryRun(body, timeout)</c> with a patient timeout (50 ms): long enough that a woken waiter
    /// finishes, short enough that workers that all wait (every consumer of an empty buffer) give up and
    /// do something else. Lost wake-ups are caught by the dedicated probes, which wait without a timeout.
    /// </summary>
    Patient,

    /// <summary><c>Atomic.Run(body, token)</c> with a token cancelled after a short random delay (a cancellation mid-wait).</summary>
    CancelSoon,

    /// <summary><c>Atomic.TryRun(body, timeout)</c> with a short random timeout (a timeout mid-wait).</summary>
    ShortTimeout,
}
