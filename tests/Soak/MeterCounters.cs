using System.Diagnostics.Metrics;

namespace Stm.Soak;

/// <summary>
/// Listens to the engine's <c>Stm</c> meter for the progress lines (process-wide: in a test host it
/// also counts other tests' transactions; the report uses the workers' own per-thread statistics).
/// </summary>
internal sealed class MeterCounters : IDisposable
{
    /// <summary>The listener.</summary>
    private readonly MeterListener _listener = new();

    /// <summary><c>stm.commits</c> so far.</summary>
    private long _commits;

    /// <summary><c>stm.conflicts</c> so far.</summary>
    private long _conflicts;

    /// <summary><c>stm.retries</c> so far.</summary>
    private long _retries;

    /// <summary>Initializes a new instance of the <see cref="MeterCounters"/> class and starts listening.</summary>
    public MeterCounters()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "Stm" && instrument.Name is "stm.commits" or "stm.conflicts" or "stm.retries")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => Add(instrument.Name, value));
        _listener.SetMeasurementEventCallback<int>((instrument, value, _, _) => Add(instrument.Name, value));
        _listener.Start();
    }

    /// <summary>Gets the commits counted so far.</summary>
    public long Commits => Interlocked.Read(ref _commits);

    /// <summary>Gets the conflicts counted so far.</summary>
    public long Conflicts => Interlocked.Read(ref _conflicts);

    /// <summary>Gets the retries counted so far.</summary>
    public long Retries => Interlocked.Read(ref _retries);

    /// <inheritdoc/>
    public void Dispose() => _listener.Dispose();

    private void Add(string name, long value)
    {
        switch (name)
        {
            case "stm.commits":
                Interlocked.Add(ref _commits, value);
                break;
            case "stm.conflicts":
                Interlocked.Add(ref _conflicts, value);
                break;
            default:
                Interlocked.Add(ref _retries, value);
                break;
        }
    }
}
