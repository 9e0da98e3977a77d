using System.Diagnostics.Metrics;
using System.Diagnostics.Tracing;
using System.Threading.Channels;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Stm.Benchmarks.Infrastructure;
using Stm.Internal;

namespace Stm.Benchmarks.Core;

/// <summary>
/// What stall diagnostics cost a park/wake round trip: two parties hand a token back and forth
/// through <c>Atomic.Check</c> (blocking threads, and <c>Atomic.RunAsync</c> tasks), with nobody
/// listening and with a listener on the wait instruments (<c>stm.waiting</c>, <c>stm.long_waits</c>)
/// and the <c>Stm</c> event source, which keeps the long-wait scan running. Every park is listed in
/// the waiter registry either way. Baselines: a <see cref="SemaphoreSlim"/> pair and a
/// <see cref="Channel"/> pair. Reported per round trip.
/// </summary>
/// <remarks>
/// A round trip on a two-core VM varies by more than the listing costs, so the Listing category also
/// measures the listing alone, on one thread: a waiter listed in the registry and unlisted again (what
/// every park adds), against two uncontended <see langword="lock"/> blocks (the least it could cost).
/// </remarks>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory, BenchmarkLogicalGroupRule.ByParams)]
[CategoriesColumn]
public class WaitDiagnosticsBenchmarks
{
    private const int RoundTrips = 1_000;
    private const string Blocking = "Blocking";
    private const string Async = "Async";
    private const string Listing = "Listing";

    /// <summary>Whose turn it is: 0 = ping, 1 = pong.</summary>
    private static readonly TVar<int> s_turn = new(0, "diagnostics-turn");

    private static readonly Action s_ping = static () =>
    {
        Atomic.Check(s_turn.Value == 0);
        s_turn.Write(1);
    };

    private static readonly Action s_pong = static () =>
    {
        Atomic.Check(s_turn.Value == 1);
        s_turn.Write(0);
    };

    private static readonly Action<int> s_stmRound = static thread =>
    {
        Action side = thread == 0 ? s_ping : s_pong;
        for (int i = 0; i < RoundTrips; i++)
        {
            Atomic.Run(side);
        }
    };

    private static readonly SemaphoreSlim s_pingSignal = new(0);
    private static readonly SemaphoreSlim s_pongSignal = new(0);

    private static readonly Action<int> s_semaphoreRound = static thread =>
    {
        for (int i = 0; i < RoundTrips; i++)
        {
            if (thread == 0)
            {
                s_pingSignal.Release();
                s_pongSignal.Wait();
            }
            else
            {
                s_pingSignal.Wait();
                s_pongSignal.Release();
            }
        }
    };

    private static readonly Channel<int> s_pingChannel = Channel.CreateUnbounded<int>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private static readonly Channel<int> s_pongChannel = Channel.CreateUnbounded<int>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private static readonly Func<Task> s_channelPing = ChannelPingAsync;
    private static readonly Func<Task> s_channelPong = ChannelPongAsync;
    private static readonly Func<Task> s_stmPingAsync = static () => StmSideAsync(s_ping);
    private static readonly Func<Task> s_stmPongAsync = static () => StmSideAsync(s_pong);

    private readonly object _gate = new();
    private long _lockedCount;
    private RetryWaiter _waiter = null!;
    private WorkerGroup _workers = null!;
    private MeterListener? _meterListener;
    private StmEventListener? _eventListener;

    /// <summary>With a listener on the wait instruments and the event source, or with nobody listening.</summary>
    [Params(false, true)]
    public bool Listening { get; set; }

    /// <summary>Starts the two blocking workers and, when <see cref="Listening"/>, the listeners.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _workers = new WorkerGroup(2);
        RunProgress progress = default;
        progress.Ticket = RetryWaiter.NextTicket();
        _waiter = RetryWaiter.Rent(in progress, isAsync: false);
        if (!Listening)
        {
            return;
        }

        _meterListener = new MeterListener
        {
            InstrumentPublished = static (instrument, listener) =>
            {
                if (instrument.Meter.Name == StmDiagnostics.MeterName && instrument.Name is "stm.waiting" or "stm.long_waits")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        _meterListener.SetMeasurementEventCallback<long>(static (_, _, _, _) => { });
        _meterListener.SetMeasurementEventCallback<int>(static (_, _, _, _) => { });
        _meterListener.Start();

        // The engine creates its event source at the first park; a baseline's process never parks.
        _ = StmEventSource.Log;
        _eventListener = new StmEventListener();
    }

    /// <summary>Stops the workers and listeners; checks that every ping was answered and that the listeners were live.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _workers.Dispose();
        bool listedAfterward = WaiterRegistry.Snapshot(DateTime.UtcNow).Count != 0;
        _waiter.Release();
        _meterListener?.Dispose();
        bool eventSourceWasEnabled = _eventListener?.Enabled ?? false;
        _eventListener?.Dispose();
        int turn = s_turn.Read();
        if (turn != 0)
        {
            throw new InvalidOperationException($"After whole round trips the turn is {turn}, expected 0 (ping's).");
        }

        if (listedAfterward)
        {
            throw new InvalidOperationException("A waiter is still listed after every round ended.");
        }

        if (Listening && !eventSourceWasEnabled)
        {
            throw new InvalidOperationException("The Stm event source was never enabled: the listening runs measured nothing.");
        }
    }

    /// <summary>Baseline (blocking): a pair of <see cref="SemaphoreSlim"/>s.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = RoundTrips)]
    [BenchmarkCategory(Blocking)]
    public void SemaphoreSlimPair() => _workers.Run(s_semaphoreRound);

    /// <summary>Blocking threads waiting with <c>Atomic.Check</c> on a TVar.</summary>
    [Benchmark(OperationsPerInvoke = RoundTrips)]
    [BenchmarkCategory(Blocking)]
    public void AtomicRunCheck() => _workers.Run(s_stmRound);

    /// <summary>Baseline (async): a pair of single-reader, single-writer unbounded channels.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = RoundTrips)]
    [BenchmarkCategory(Async)]
    public void ChannelPair() => Task.WaitAll(Task.Run(s_channelPing), Task.Run(s_channelPong));

    /// <summary>Tasks waiting with <c>Atomic.RunAsync</c> and <c>Atomic.Check</c> on a TVar.</summary>
    [Benchmark(OperationsPerInvoke = RoundTrips)]
    [BenchmarkCategory(Async)]
    public void AtomicRunAsyncCheck() => Task.WaitAll(Task.Run(s_stmPingAsync), Task.Run(s_stmPongAsync));

    /// <summary>Baseline (listing): two uncontended <see langword="lock"/> blocks.</summary>
    [Benchmark(Baseline = true)]
    [BenchmarkCategory(Listing)]
    public long LockTwice()
    {
        lock (_gate)
        {
            _lockedCount++;
        }

        lock (_gate)
        {
            return _lockedCount;
        }
    }

    /// <summary>A waiter listed in the registry and unlisted, as every park and wake-up does.</summary>
    [Benchmark]
    [BenchmarkCategory(Listing)]
    public void ListAndUnlist()
    {
        WaiterRegistry.Add(_waiter);
        WaiterRegistry.Remove(_waiter);
    }

    private static async Task ChannelPingAsync()
    {
        for (int i = 0; i < RoundTrips; i++)
        {
            s_pingChannel.Writer.TryWrite(i);
            await s_pongChannel.Reader.ReadAsync().ConfigureAwait(false);
        }
    }

    private static async Task ChannelPongAsync()
    {
        for (int i = 0; i < RoundTrips; i++)
        {
            int token = await s_pingChannel.Reader.ReadAsync().ConfigureAwait(false);
            s_pongChannel.Writer.TryWrite(token);
        }
    }

    private static async Task StmSideAsync(Action side)
    {
        for (int i = 0; i < RoundTrips; i++)
        {
            await Atomic.RunAsync(side).ConfigureAwait(false);
        }
    }

    /// <summary>Enables the <c>Stm</c> event source at the informational level, as <c>dotnet-trace</c> would.</summary>
    private sealed class StmEventListener : EventListener
    {
        /// <summary>True once the event source was enabled.</summary>
        public bool Enabled { get; private set; }

        protected override void OnEventSourceCreated(EventSource eventSource)
        {
            if (eventSource.Name == StmDiagnostics.EventSourceName)
            {
                EnableEvents(eventSource, EventLevel.Informational, EventKeywords.All);
                Enabled = true;
            }
        }
    }
}
