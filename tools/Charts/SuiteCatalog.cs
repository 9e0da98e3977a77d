namespace Stm.Charts;

/// <summary>
/// What the tool knows about the repository's benchmark classes: a readable title per suite, which
/// suites are charted in nanoseconds instead of ratios, and the performance targets (the same ones
/// as docs/performance.md). A suite not listed here is still charted, under its class name.
/// </summary>
internal static class SuiteCatalog
{
    /// <summary>Title and image file name of each known suite, by class name.</summary>
    private static readonly Dictionary<string, (string Title, string Stem)> s_suites = new(StringComparer.Ordinal)
    {
        ["ReadOnlyTransactionBenchmarks"] = ("Read-only transaction over one TVar vs lock read", "read-only"),
        ["IncrementBenchmarks"] = ("Increment one TVar vs lock increment", "increment"),
        ["TransferBenchmarks"] = ("Transfer between 2 of 1,000 accounts vs one global lock", "transfer"),
        ["ContendedCounterBenchmarks"] = ("2 threads, one shared counter vs lock (time per increment)", "contended-counter"),
        ["RandomTransferThroughputBenchmarks"] = ("2 threads, random transfers among 1,000 vs one global lock (time per transfer)", "random-transfers"),
        ["DisjointScalingBenchmarks"] = ("2 threads on disjoint TVars vs 1 thread doing the same work (time per increment)", "disjoint"),
        ["TMapBenchmarks"] = ("TMap vs ConcurrentDictionary, 10,000 keys", "tmap"),
        ["TBoundedQueueBenchmarks"] = ("1 producer, 1 consumer, bounded 1024 vs Channel.CreateBounded (per item)", "tboundedqueue"),
        ["TQueueBenchmarks"] = ("1 producer, 1 consumer, unbounded vs Channel.CreateUnbounded (per item)", "tqueue"),
        ["TMapInsertScalingBenchmarks"] = ("Inserting disjoint keys: 2 threads vs 1 thread", "tmap-insert-scaling"),
        ["CheckoutBenchmarks"] = ("Checkouts vs Atomic.Run (sync) and SemaphoreSlim (async)", "checkout"),
        ["RunAsyncBenchmarks"] = ("RunAsync without waiting vs Atomic.Run", "runasync"),
        ["RetryPingPongBenchmarks"] = ("Hand-off through Retry vs SemaphoreSlim / Channel pairs (per round trip)", "retry-ping-pong"),
        ["OpenSnapshotCommitBenchmarks"] = ("Commits while a long read-only transaction is open", "open-snapshot-commit"),
        ["CommitFloorBenchmarks"] = ("The protocol's unavoidable steps by hand vs lock increment", "commit-floor"),
        ["CacheLineHandoffBenchmarks"] = ("What the machine charges: moving a cache line between cores", "cache-line-handoff"),
    };

    /// <summary>Suites whose baseline is not a BCL alternative but a yardstick: charted in nanoseconds.</summary>
    private static readonly HashSet<string> s_absolute = new(StringComparer.Ordinal) { "CacheLineHandoffBenchmarks" };

    /// <summary>The targets, in the order of the table in docs/performance.md.</summary>
    public static IReadOnlyList<Target> Targets { get; } =
    [
        new("DisjointScalingBenchmarks", "TwoThreadsOwnTVar", 1 / 1.6, "2 threads, disjoint TVars vs 1 thread", ">= 1.6x throughput"),
        new("RandomTransferThroughputBenchmarks", "AtomicRunTwoThreads", 1 / 0.5, "2 threads, random transfers vs global lock", ">= 0.5x throughput"),
        new("ReadOnlyTransactionBenchmarks", "AtomicRunRead", 1.5, "read-only txn, 1 TVar vs lock read", "<= 1.5x"),
        new("IncrementBenchmarks", "AtomicRunIncrement", 2, "increment, static lambda vs lock", "<= 2x"),
        new("IncrementBenchmarks", "AtomicRunIncrementCapturing", 3, "increment, capturing lambda vs lock", "<= 3x"),
        new("TransferBenchmarks", "AtomicRunTransfer", 3, "transfer, cached body vs lock", "<= 3x"),
        new("TransferBenchmarks", "AtomicRunTransferCapturing", 4.5, "transfer, capturing lambda vs lock", "<= 4.5x"),
        new("ContendedCounterBenchmarks", "AtomicRunTwoThreads", 5, "2 threads, one counter vs lock", "<= 5x"),
        new("TMapBenchmarks", "TMap.TryGetValue in Atomic.Run, capturing lambda", 15, "TMap read in Atomic.Run vs ConcurrentDictionary", "<= 15x"),
        new("TMapBenchmarks", "TMap[key] = value in Atomic.Run, capturing lambda", 4, "TMap set in Atomic.Run vs ConcurrentDictionary", "<= 4x"),
        new("TMapBenchmarks", "TMap.TryGetValue outside a transaction", 6, "TMap read outside a txn vs ConcurrentDictionary", "<= 6x"),
        new("TMapBenchmarks", "TMap[key] = value outside a transaction", 3, "TMap set outside a txn vs ConcurrentDictionary", "<= 3x"),
        new("TBoundedQueueBenchmarks", "TBoundedQueue", 2, "bounded queue 1P/1C vs bounded Channel", "<= 2x per item"),
        new("CheckoutBenchmarks", "CheckoutIncrement", 2, "checkout 1 read + 1 write vs Atomic.Run", "<= 2x"),
        new("CheckoutBenchmarks", "RunAsyncCheckoutYieldingIncrement", 1.5, "RunAsync checkout + Task.Yield vs SemaphoreSlim", "<= 1.5x"),
        new("RunAsyncBenchmarks", "RunAsyncIncrement", 1.2, "RunAsync increment vs Atomic.Run", "<= 1.2x"),
        new("RunAsyncBenchmarks", "RunAsyncRead", 1.2, "RunAsync read vs Atomic.Run", "<= 1.2x"),
        new("TMapInsertScalingBenchmarks", "TMap, 2 threads, disjoint keys", 1 / 1.6, "TMap inserts, 2 threads vs 1 thread", ">= 1.6x throughput"),
    ];

    /// <summary>The chart title of <paramref name="suite"/>.</summary>
    public static string Title(string suite) => s_suites.TryGetValue(suite, out var known) ? known.Title : suite;

    /// <summary>Whether <paramref name="suite"/> is charted in nanoseconds rather than as ratios.</summary>
    public static bool IsAbsolute(string suite) => s_absolute.Contains(suite);

    /// <summary>The target of one benchmark, if it has one.</summary>
    public static Target? TargetOf(string suite, string method) =>
        Targets.FirstOrDefault(t => t.Suite == suite && t.Method == method);

    /// <summary>The image file name (without extension) for <paramref name="suite"/>: <c>IncrementBenchmarks</c> gives <c>increment</c>.</summary>
    public static string FileStem(string suite) =>
        s_suites.TryGetValue(suite, out var known) ? known.Stem : suite.ToLowerInvariant();
}
