using System.Runtime.ExceptionServices;

namespace Stm.Benchmarks.Infrastructure;

/// <summary>
/// A fixed set of long-lived worker threads that run one round of work per <see cref="Run"/> call.
/// </summary>
/// <remarks>
/// The threads are created once (in a benchmark's <c>[GlobalSetup]</c>) so thread start-up is never
/// measured. Each round starts behind a <see cref="Barrier"/> shared by the workers and the calling
/// thread, so every worker begins at the same moment, and <see cref="Run"/> returns once all of them
/// have finished (the same barrier, a second phase). The barrier's phases are full fences, so the
/// work delegate and anything written before <see cref="Run"/> are visible to the workers, and what
/// the workers wrote is visible to the caller afterwards. Benchmarks pass cached delegates so that
/// a round allocates nothing.
/// </remarks>
internal sealed class WorkerGroup : IDisposable
{
    /// <summary>Two phases per round: "start" (workers released) and "done" (caller released).</summary>
    private readonly Barrier _barrier;

    /// <summary>The worker threads; index <c>i</c> calls the work with <c>i</c>.</summary>
    private readonly Thread[] _threads;

    /// <summary>The work of the current round; written by the caller before the start phase.</summary>
    private Action<int>? _work;

    /// <summary>The first exception a worker threw in the current round; rethrown by <see cref="Run"/>.</summary>
    private Exception? _failure;

    /// <summary>Set by <see cref="Dispose"/> before the last start phase so the workers exit.</summary>
    private bool _stopping;

    /// <summary>Starts <paramref name="threadCount"/> worker threads, parked until the first round.</summary>
    /// <param name="threadCount">How many workers; at least 1.</param>
    public WorkerGroup(int threadCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(threadCount);
        _barrier = new Barrier(threadCount + 1);
        _threads = new Thread[threadCount];
        for (int i = 0; i < threadCount; i++)
        {
            int index = i;
            _threads[i] = new Thread(() => WorkerLoop(index))
            {
                IsBackground = true,
                Name = $"bench-worker-{index}",
            };
            _threads[i].Start();
        }
    }

    /// <summary>How many worker threads run each round.</summary>
    public int ThreadCount => _threads.Length;

    /// <summary>
    /// Runs <paramref name="work"/> once on every worker (with the worker's index), all released
    /// together, and returns when all have finished. Rethrows the first exception a worker threw.
    /// </summary>
    /// <param name="work">The round's work; a cached delegate, so the round allocates nothing.</param>
    public void Run(Action<int> work)
    {
        _work = work;
        _barrier.SignalAndWait();
        _barrier.SignalAndWait();
        Exception? failure = Interlocked.Exchange(ref _failure, null);
        if (failure is not null)
        {
            ExceptionDispatchInfo.Throw(failure);
        }
    }

    /// <summary>Stops the workers and waits for them to exit.</summary>
    public void Dispose()
    {
        if (_stopping)
        {
            return;
        }

        _stopping = true;
        _barrier.SignalAndWait();
        foreach (Thread thread in _threads)
        {
            thread.Join();
        }

        _barrier.Dispose();
    }

    /// <summary>A worker: wait for a round, run it, report completion, until stopped.</summary>
    private void WorkerLoop(int index)
    {
        while (true)
        {
            _barrier.SignalAndWait();
            if (_stopping)
            {
                return;
            }

            try
            {
                _work!(index);
            }
            catch (Exception exception)
            {
                Interlocked.CompareExchange(ref _failure, exception, null);
            }

            _barrier.SignalAndWait();
        }
    }
}
