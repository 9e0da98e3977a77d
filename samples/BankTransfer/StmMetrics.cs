using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace BankTransfer;

/// <summary>
/// Listens to the <c>Stm</c> meter (<c>System.Diagnostics.Metrics</c>) and adds up what the engine
/// reports: <c>stm.commits</c>, <c>stm.conflicts</c> (tagged with the conflicting TVar's name),
/// <c>stm.retries</c> and the <c>stm.attempts</c> histogram (attempts per committed transaction).
/// This is the same data any OpenTelemetry or dotnet-counters listener would see.
/// </summary>
internal sealed class StmMetrics : IDisposable
{
    /// <summary>The name of the engine's meter.</summary>
    private const string MeterName = "Stm";

    /// <summary>The listener; started in the constructor, so it must exist before the first transaction.</summary>
    private readonly MeterListener _listener = new();

    /// <summary>Conflicts per TVar name (the <c>tvar</c> tag of <c>stm.conflicts</c>).</summary>
    private readonly ConcurrentDictionary<string, long> _conflictsByTVar = new(StringComparer.Ordinal);

    /// <summary>
    /// Conflicts per managed thread id. The engine records a measurement on the thread whose attempt
    /// lost, and a <see cref="MeterListener"/> callback runs on the recording thread, so the current
    /// thread is the one that re-ran its transaction.
    /// </summary>
    private readonly ConcurrentDictionary<int, long> _conflictsByThread = new();

    private long _commits;
    private long _conflicts;
    private long _retries;
    private long _attempts;
    private long _attemptRecords;
    private int _instruments;

    /// <summary>Starts listening to the <c>Stm</c> meter.</summary>
    public StmMetrics()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == MeterName)
            {
                Interlocked.Increment(ref _instruments);
                listener.EnableMeasurementEvents(instrument);
            }
        };

        // Counters and histograms may be declared with int or long; accept both.
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.Start();
    }

    /// <summary>Whether the engine published any instrument on the <c>Stm</c> meter.</summary>
    public bool IsAvailable => Volatile.Read(ref _instruments) > 0;

    /// <summary>Committed transactions (transfers, declined transfers and audits alike).</summary>
    public long Commits => Interlocked.Read(ref _commits);

    /// <summary>Attempts rolled back because of a conflicting commit (and then re-run).</summary>
    public long Conflicts => Interlocked.Read(ref _conflicts);

    /// <summary>Attempts that called Retry and waited.</summary>
    public long Retries => Interlocked.Read(ref _retries);

    /// <summary>Attempts of all committed transactions (sum of the <c>stm.attempts</c> histogram).</summary>
    public long Attempts => Interlocked.Read(ref _attempts);

    /// <summary>Mean attempts per committed transaction, or 0 if none was reported.</summary>
    public double MeanAttempts
    {
        get
        {
            long records = Interlocked.Read(ref _attemptRecords);
            return records == 0 ? 0 : (double)Attempts / records;
        }
    }

    /// <summary>Conflicts lost by the thread with <paramref name="managedThreadId"/> so far.</summary>
    public long ConflictsOfThread(int managedThreadId) =>
        _conflictsByThread.TryGetValue(managedThreadId, out long conflicts) ? conflicts : 0;

    /// <summary>The TVars that lost the most conflicts, most first.</summary>
    public IEnumerable<KeyValuePair<string, long>> HottestTVars(int count) =>
        _conflictsByTVar.OrderByDescending(static pair => pair.Value).ThenBy(static pair => pair.Key, StringComparer.Ordinal).Take(count);

    /// <summary>Stops listening.</summary>
    public void Dispose() => _listener.Dispose();

    private void Record(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        switch (instrument.Name)
        {
            case "stm.commits":
                Interlocked.Add(ref _commits, value);
                break;
            case "stm.conflicts":
                Interlocked.Add(ref _conflicts, value);
                _conflictsByThread.AddOrUpdate(Environment.CurrentManagedThreadId, value, (_, total) => total + value);
                foreach (KeyValuePair<string, object?> tag in tags)
                {
                    if (tag.Key == "tvar" && tag.Value is string name)
                    {
                        _conflictsByTVar.AddOrUpdate(name, value, (_, total) => total + value);
                    }
                }

                break;
            case "stm.retries":
                Interlocked.Add(ref _retries, value);
                break;
            case "stm.attempts":
                Interlocked.Add(ref _attempts, value);
                Interlocked.Increment(ref _attemptRecords);
                break;
            default:
                break;
        }
    }
}
