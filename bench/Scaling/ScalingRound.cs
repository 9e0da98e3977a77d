namespace Stm.Benchmarks.Scaling;

/// <summary>
/// The fresh state of one measured run of a <see cref="ScalingWorkload"/> at one thread count: the
/// loop each worker thread runs, an optional background thread, and the check of the result.
/// </summary>
internal sealed class ScalingRound
{
    /// <summary>Creates a round.</summary>
    /// <param name="worker">
    /// The loop of worker thread <c>i</c>: runs operations until the stop signal is set and returns
    /// how many it completed.
    /// </param>
    /// <param name="verify">Given the total operations of all workers, throws if the state is wrong.</param>
    /// <param name="background">A thread that runs beside the workers and is not counted (a writer), or <see langword="null"/>.</param>
    public ScalingRound(Func<int, StopSignal, long> worker, Action<long> verify, Action<StopSignal>? background = null)
    {
        Worker = worker;
        Verify = verify;
        Background = background;
    }

    /// <summary>The loop of worker thread <c>i</c>; returns the operations it completed.</summary>
    public Func<int, StopSignal, long> Worker { get; }

    /// <summary>Throws <see cref="InvalidOperationException"/> if the final state contradicts the operations counted.</summary>
    public Action<long> Verify { get; }

    /// <summary>An uncounted thread that runs until the stop signal is set, or <see langword="null"/>.</summary>
    public Action<StopSignal>? Background { get; }
}
