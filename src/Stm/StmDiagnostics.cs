using Stm.Internal;

namespace Stm;

/// <summary>
/// Shows why a program that uses transactions hangs or slows down: which transactions wait in
/// <see cref="Atomic.Retry"/>, on which TVars and since when, and which TVars conflicts are attributed to.
/// </summary>
/// <remarks>
/// <para><see cref="GetSnapshot"/> is for tests, debuggers and health endpoints. The same signals reach
/// tools while they listen: the <see cref="MeterName"/> meter (System.Diagnostics.Metrics) has the
/// <c>stm.waiting</c> gauge and the <c>stm.long_waits</c> counter, and the <see cref="EventSourceName"/>
/// event source writes a <c>LongWait</c> event (informational) or a <c>StalledWait</c> event (a
/// warning) for each transaction that waits longer than <see cref="LongWaitThreshold"/>.</para>
/// <para>None of this touches a transaction that commits without waiting: waiters are listed when
/// they park, conflicts are counted when an attempt is aborted, and the long-wait check runs on a
/// timer that exists only while someone listens and someone waits.</para>
/// </remarks>
public static class StmDiagnostics
{
    /// <summary>The name of the System.Diagnostics.Metrics meter the engine publishes on (<c>AddMeter("Stm")</c> in OpenTelemetry).</summary>
    public const string MeterName = "Stm";

    /// <summary>The name of the engine's event source (<c>dotnet-trace collect --providers Stm</c>).</summary>
    public const string EventSourceName = "Stm";

    /// <summary>The default of <see cref="LongWaitThreshold"/>: ten seconds.</summary>
    internal static readonly TimeSpan DefaultLongWaitThreshold = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a transaction may wait in <see cref="Atomic.Retry"/> (since it first parked, across
    /// wake-ups that did not let it commit) before it counts as a long wait: reported once per park on
    /// the <c>stm.long_waits</c> counter and as a <c>LongWait</c> or <c>StalledWait</c> event, while a
    /// listener is attached. Ten seconds by default; <see cref="Timeout.InfiniteTimeSpan"/> turns the
    /// reports off. Get or set it anywhere, inside or outside a transaction; a change applies from the
    /// next check (within a second).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is zero or negative (other than <see cref="Timeout.InfiniteTimeSpan"/>), or longer than <see cref="int.MaxValue"/> milliseconds.</exception>
    public static TimeSpan LongWaitThreshold
    {
        get => LongWaitMonitor.Threshold;
        set
        {
            if (value != Timeout.InfiniteTimeSpan)
            {
                ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(value, TimeSpan.Zero);
                ArgumentOutOfRangeException.ThrowIfGreaterThan(value, TimeSpan.FromMilliseconds(int.MaxValue));
            }

            LongWaitMonitor.Threshold = value;
        }
    }

    /// <summary>
    /// The time base the version clock uses now: <c>"counter"</c> (a shared counter that every update
    /// commit moves on) or <c>"hardware"</c> (the processor's time-stamp counter, which commits need
    /// not write). The setting <c>STM_TIME_BASE</c> (or the AppContext setting <c>Stm.TimeBase</c>)
    /// chooses whether it may change at run time: <c>adaptive</c> (the default) uses the hardware
    /// counter while three or more threads commit at once, where a start-up check allows it.
    /// Every time base keeps every guarantee; they differ only in speed. Read it anywhere, inside or
    /// outside a transaction: it reads one word and never blocks.
    /// </summary>
    public static string TimeBase => VersionClock.UsesHardware ? "hardware" : "counter";

    /// <summary>
    /// Describes the transactions waiting in <see cref="Atomic.Retry"/> now (blocking waits,
    /// <see cref="Atomic.RunAsync(Action, CancellationToken)"/> waits and checkout waits), longest
    /// waiting first, and the TVars that conflicts have been attributed to, most conflicts first. Call it
    /// anywhere, inside or outside a transaction: it reads no TVar value and never blocks on a
    /// transaction. It is not atomic: a transaction that parks or wakes during the call may be missing
    /// or included.
    /// </summary>
    /// <returns>An immutable snapshot.</returns>
    public static StmDiagnosticsSnapshot GetSnapshot()
    {
        DateTime now = DateTime.UtcNow;
        return new StmDiagnosticsSnapshot(now, WaiterRegistry.Snapshot(now), ConflictTable.Snapshot());
    }
}
