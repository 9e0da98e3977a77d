namespace Stm.Benchmarks.Scaling;

/// <summary>
/// The "time is up" flag of one run: set once by the timing thread, polled by the workers between
/// batches. A plain volatile flag rather than a <see cref="CancellationToken"/> so that the worker
/// loops call exactly the <c>Atomic.Run</c> overloads a user would, not the cancellable ones.
/// </summary>
internal sealed class StopSignal
{
    /// <summary>Whether the run is over; written once, read by every worker.</summary>
    private volatile bool _isSet;

    /// <summary>Whether the workers should stop.</summary>
    public bool IsSet => _isSet;

    /// <summary>Tells the workers to stop.</summary>
    public void Set() => _isSet = true;
}
