namespace Stm.Soak;

/// <summary>How a transaction that may wait in Retry is started.</summary>
internal enum WaitMode
{
    /// <summary><c>Atomic.Run(body, token)</c> with the run's stop token: waits until woken or the run stops.</summary>
    UntilStopped,

    /// <summary><c>Atomic.Run(body, token)</c> with a token cancelled after a short random delay (a cancellation mid-wait).</summary>
    CancelSoon,

    /// <summary><c>Atomic.TryRun(body, timeout)</c> with a short random timeout (a timeout mid-wait).</summary>
    ShortTimeout,
}
