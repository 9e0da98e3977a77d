using System.Collections.Concurrent;

namespace Stm.Soak;

/// <summary>State shared by every worker of one soak run: options, the stop signal, failures and counters.</summary>
internal sealed class SoakContext : IDisposable
{
    /// <summary>Failures kept verbatim; more are only counted so that a broken engine cannot flood memory.</summary>
    private const int MaxFailuresKept = 40;
    private const int MaxFailuresKeptPerKind = 3;

    /// <summary>The failures found so far, in the order found.</summary>
    private readonly ConcurrentQueue<string> _failures = new();

    /// <summary>How many failures of each kind (message without numbers) were kept.</summary>
    private readonly ConcurrentDictionary<string, int> _keptPerKind = new(StringComparer.Ordinal);

    /// <summary>How many failures were kept in all.</summary>
    private int _failuresKept;

    /// <summary>Cancelled when the run is over; waits started with <see cref="WaitMode.CancelSoon"/> end then.</summary>
    private readonly CancellationTokenSource _stop = new();

    /// <summary>Failures found, kept or not.</summary>
    private long _failureCount;

    /// <summary>Faults injected so far.</summary>
    private long _faults;

    /// <summary>Workload steps completed so far, over all workers.</summary>
    private long _steps;

    /// <summary>The slowest wake-up seen by a probe, in <see cref="TimeSpan.Ticks"/>.</summary>
    private long _slowestWakeUpTicks;

    /// <summary>Initializes a new instance of the <see cref="SoakContext"/> class.</summary>
    /// <param name="options">The run's options.</param>
    public SoakContext(SoakOptions options) => Options = options;

    /// <summary>Gets the run's options.</summary>
    public SoakOptions Options { get; }

    /// <summary>Gets the token cancelled when the run stops.</summary>
    public CancellationToken StopToken => _stop.Token;

    /// <summary>Gets a value indicating whether the run is stopping.</summary>
    public bool Stopping => _stop.IsCancellationRequested;

    /// <summary>Gets the number of faults injected so far.</summary>
    public long Faults => Interlocked.Read(ref _faults);

    /// <summary>Gets the number of workload steps completed so far.</summary>
    public long Steps => Interlocked.Read(ref _steps);

    /// <summary>Gets the slowest wake-up seen so far.</summary>
    public TimeSpan SlowestWakeUp => TimeSpan.FromTicks(Interlocked.Read(ref _slowestWakeUpTicks));

    /// <summary>Gets the number of failures found so far.</summary>
    public long FailureCount => Interlocked.Read(ref _failureCount);

    /// <summary>Asks every worker to stop after its current step and ends every wait.</summary>
    public void Stop() => _stop.Cancel();

    /// <summary>Records a failed check.</summary>
    /// <param name="message">What was wrong.</param>
    public void Fail(string message)
    {
        // Keep a few of each kind (the message without its numbers), so that a flood of one kind of
        // failure (say, every audit of a broken run) cannot hide the end-of-run checks.
        Interlocked.Increment(ref _failureCount);
        string kind = new(message.Where(static c => !char.IsAsciiDigit(c)).ToArray());
        int keptOfKind = _keptPerKind.AddOrUpdate(kind, 1, static (_, kept) => kept + 1);
        if (keptOfKind <= MaxFailuresKeptPerKind && Interlocked.Increment(ref _failuresKept) <= MaxFailuresKept)
        {
            _failures.Enqueue(message);
        }
    }

    /// <summary>Counts an injected fault.</summary>
    public void CountFault() => Interlocked.Increment(ref _faults);

    /// <summary>Counts a completed step and says whether the step budget (if any) is used up.</summary>
    /// <returns><see langword="true"/> when the run should stop.</returns>
    public bool CountStep()
    {
        long steps = Interlocked.Increment(ref _steps);
        return Options.Transactions is { } budget && steps >= budget;
    }

    /// <summary>Records how long a waiter took to finish after its condition became true.</summary>
    /// <param name="latency">The time from the enabling commit to the waiter finishing.</param>
    public void RecordWakeUp(TimeSpan latency)
    {
        long ticks = latency.Ticks;
        long seen = Interlocked.Read(ref _slowestWakeUpTicks);
        while (ticks > seen)
        {
            long found = Interlocked.CompareExchange(ref _slowestWakeUpTicks, ticks, seen);
            if (found == seen)
            {
                break;
            }

            seen = found;
        }
    }

    /// <summary>Returns the failures found so far (and how many were dropped).</summary>
    /// <returns>The failures.</returns>
    public List<string> SnapshotFailures()
    {
        var list = _failures.ToList();
        long dropped = FailureCount - list.Count;
        if (dropped > 0)
        {
            list.Add($"... and {dropped} more failure(s)");
        }

        return list;
    }

    /// <inheritdoc/>
    public void Dispose() => _stop.Dispose();
}
