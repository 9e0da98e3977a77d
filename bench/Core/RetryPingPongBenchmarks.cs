using System.Threading.Channels;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Stm.Benchmarks.Infrastructure;

namespace Stm.Benchmarks.Core;

/// <summary>
/// Blocking hand-off: two parties pass a token back and forth. Reported per round trip.
/// <list type="bullet">
/// <item>Blocking category: two threads; the STM side waits with <see cref="Atomic.Check(bool)"/>
/// (Retry) on a <see cref="TVar{T}"/> "side", against a pair of <see cref="SemaphoreSlim"/> (baseline).</item>
/// <item>Async category: two tasks; the STM side waits with <see cref="Atomic.RunAsync(Action, CancellationToken)"/>
/// and Check, against a pair of unbounded <see cref="Channel{T}"/>s (baseline).</item>
/// </list>
/// </summary>
/// <remarks>
/// Every batch ends with the token back at side 0, so batches can follow each other. The blocking
/// threads are created once and start each batch behind a <see cref="Barrier"/>; the async sides
/// are started with <see cref="Task.Run(Func{Task})"/> per batch (amortised over the round trips).
/// </remarks>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class RetryPingPongBenchmarks
{
    private const int RoundTrips = 1_000;
    private const string Blocking = "Blocking";
    private const string Async = "Async";

    /// <summary>Which side may go: 0 = the ping side, 1 = the pong side.</summary>
    private static readonly TVar<int> s_side = new(0, "side");

    /// <summary>Ping: wait for side 0, hand the token to the pong side.</summary>
    private static readonly Action s_ping = static () =>
    {
        Atomic.Check(s_side.Value == 0);
        s_side.Write(1);
    };

    /// <summary>Pong: wait for side 1, hand the token back.</summary>
    private static readonly Action s_pong = static () =>
    {
        Atomic.Check(s_side.Value == 1);
        s_side.Write(0);
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

    private WorkerGroup _workers = null!;

    /// <summary>Starts the two worker threads of the blocking category.</summary>
    [GlobalSetup]
    public void Setup() => _workers = new WorkerGroup(2);

    /// <summary>Stops the worker threads and checks that the STM round trips left the token with ping (every ping answered).</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _workers.Dispose();
        int side = s_side.Read();
        if (side != 0)
        {
            throw new InvalidOperationException($"After whole round trips the token is on side {side}, expected 0 (ping's).");
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
}
