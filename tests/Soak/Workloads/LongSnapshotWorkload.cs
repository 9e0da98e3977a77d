using System.Diagnostics;
using Stm.Internal;

namespace Stm.Soak.Workloads;

/// <summary>
/// Checks version retention under a snapshot held open for long stretches. One worker at a time
/// opens a read-only checkout, reads a few hot TVars, and keeps it open for
/// <see cref="OpenFor"/> while the other workers move amounts between those TVars as fast as they
/// can. While it is open: every re-read through the checkout returns what it read at the start
/// (the sum stays 0), and no hot TVar keeps more versions than there are live snapshots plus two
/// (<see cref="VersionBound"/>), nor does the heap grow by more than <see cref="HeapGrowthBound"/>.
/// Before closing it, the reader stops the writers and waits for them to finish; closing the
/// checkout (whose snapshot is old) runs the reclaimer, after which every hot TVar must be back to
/// at most two versions, without a further write.
/// </summary>
internal sealed class LongSnapshotWorkload : SoakWorkload
{
    /// <summary>The workload's name in <c>--workloads</c>.</summary>
    public const string WorkloadName = "long-snapshot";

    /// <summary>The number of hot TVars.</summary>
    private const int HotCount = 4;

    /// <summary>
    /// Bytes of ballast in each value: about 0.5 KiB a version, so that every version kept for
    /// nothing shows in the heap (a thousand of them is half a MiB).
    /// </summary>
    private const int BallastBytes = 512;

    /// <summary>Transfers a writer commits per step.</summary>
    private const int TransfersPerStep = 16;

    /// <summary>
    /// How much the heap may grow while one snapshot is open. With correct retention the hot TVars
    /// keep a few dozen versions (tens of KiB), and one forced collection amid running writers reads
    /// up to a few dozen MiB of their fresh allocations; keeping every
    /// version keeps two per transfer, hundreds of thousands of them a second, which is hundreds of MiB.
    /// </summary>
    private const long HeapGrowthBound = 128L * 1024 * 1024;

    /// <summary>How long each snapshot stays open.</summary>
    private static readonly TimeSpan OpenFor = TimeSpan.FromSeconds(1);

    /// <summary>How often the reader samples version counts while its snapshot is open.</summary>
    private static readonly TimeSpan SampleEvery = TimeSpan.FromMilliseconds(10);

    /// <summary>How long the reader waits for writers to finish their step before it closes.</summary>
    private static readonly TimeSpan DrainBound = TimeSpan.FromSeconds(10);

    /// <summary>The hot TVars; their amounts sum to 0.</summary>
    private readonly TVar<HotValue>[] _hot;

    /// <summary>The most versions of one hot TVar a snapshot open over many writers may leave; see <see cref="VersionBound"/>.</summary>
    private readonly int _versionBound;

    /// <summary>Whether this workload runs alone, with no other transactions that could pin versions after the close.</summary>
    private readonly bool _alone;

    /// <summary>1 while a worker holds the long snapshot.</summary>
    private int _reading;

    /// <summary>1 while the reader is closing: writers keep off the hot TVars.</summary>
    private int _quiet;

    /// <summary>Writers inside a step.</summary>
    private int _writersIn;

    /// <summary>Snapshots held open to the end of their stretch.</summary>
    private long _snapshots;

    /// <summary>Transfers committed.</summary>
    private long _transfers;

    /// <summary>The most versions one hot TVar kept while a snapshot was open.</summary>
    private int _maxVersionsOpen;

    /// <summary>The most versions one hot TVar kept just after a snapshot closed.</summary>
    private int _maxVersionsAfterClose;

    /// <summary>The most the heap grew while one snapshot was open, in bytes.</summary>
    private long _maxHeapGrowth;

    /// <summary>Initializes a new instance of the <see cref="LongSnapshotWorkload"/> class.</summary>
    /// <param name="threads">The soak's worker threads.</param>
    /// <param name="alone">Whether no other workload runs beside it.</param>
    public LongSnapshotWorkload(int threads, bool alone)
    {
        _alone = alone;

        // A TVar keeps its newest version and one per live snapshot: each worker runs at most one
        // transaction at a time (the long reader is one of them, counted once more), plus 2. In the
        // full mix some probes run a transaction on a helper or pool thread besides their worker's:
        // at most one per worker at a time.
        _versionBound = threads + 1 + 2 + (alone ? 0 : threads);
        _hot = [.. Enumerable.Range(0, HotCount).Select(i => new TVar<HotValue>(new HotValue(0), $"hot{i}"))];
    }

    /// <inheritdoc/>
    public override string Name => WorkloadName;

    /// <inheritdoc/>
    public override int Weight => 2;

    /// <summary>Gets the bound on versions of one hot TVar while a snapshot is open.</summary>
    public int VersionBound => _versionBound;

    /// <summary>Gets the most versions one hot TVar kept while a snapshot was open.</summary>
    public int MaxVersionsOpen => Volatile.Read(ref _maxVersionsOpen);

    /// <summary>Gets the most versions one hot TVar kept just after a snapshot closed.</summary>
    public int MaxVersionsAfterClose => Volatile.Read(ref _maxVersionsAfterClose);

    /// <summary>Gets the most the heap grew while one snapshot was open, in bytes.</summary>
    public long MaxHeapGrowth => Interlocked.Read(ref _maxHeapGrowth);

    /// <summary>Gets the number of snapshots held open.</summary>
    public long Snapshots => Interlocked.Read(ref _snapshots);

    /// <inheritdoc/>
    public override void Step(Worker worker)
    {
        if (Interlocked.CompareExchange(ref _reading, 1, 0) == 0)
        {
            try
            {
                HoldSnapshot(worker.Context);
            }
            finally
            {
                Volatile.Write(ref _reading, 0);
            }

            return;
        }

        Write(worker);
    }

    /// <inheritdoc/>
    public override void Verify(SoakContext context)
    {
        if (Snapshots == 0 && context.Steps > 5_000)
        {
            context.Fail($"{Name}: no long snapshot was held in {context.Steps} steps");
        }

        if (Snapshots > 0 && Interlocked.Read(ref _transfers) == 0)
        {
            context.Fail($"{Name}: no transfer committed while snapshots were held: the check saw no writes");
        }
    }

    private static void InterlockedMax(ref int location, int value)
    {
        int current = Volatile.Read(ref location);
        while (value > current)
        {
            int seen = Interlocked.CompareExchange(ref location, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    private static void InterlockedMax(ref long location, long value)
    {
        long current = Interlocked.Read(ref location);
        while (value > current)
        {
            long seen = Interlocked.CompareExchange(ref location, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    private void Write(Worker worker)
    {
        if (Volatile.Read(ref _quiet) != 0)
        {
            // The reader is about to check that the hot TVars shrink without writes: keep off them.
            Thread.Sleep(1);
            return;
        }

        Interlocked.Increment(ref _writersIn);
        try
        {
            // Checked again after announcing: a reader that set quiet before this waits for the count.
            if (Volatile.Read(ref _quiet) != 0)
            {
                return;
            }

            for (int i = 0; i < TransfersPerStep && !worker.Context.Stopping; i++)
            {
                TVar<HotValue> from = _hot[worker.Random.Next(HotCount)];
                TVar<HotValue> to = _hot[worker.Random.Next(HotCount)];
                long amount = worker.Random.Next(1, 100);
                Atomic.Run(() =>
                {
                    from.Value = new HotValue(from.Value.Amount - amount);
                    to.Value = new HotValue(to.Value.Amount + amount);
                });
                Interlocked.Increment(ref _transfers);
            }
        }
        finally
        {
            Interlocked.Decrement(ref _writersIn);
        }
    }

    private long[] ReadAmounts(Checkout checkout) =>
        checkout.Run(() =>
        {
            var amounts = new long[HotCount];
            for (int i = 0; i < HotCount; i++)
            {
                amounts[i] = _hot[i].Value.Amount;
            }

            return amounts;
        });

    /// <summary>
    /// The heap after one full blocking collection. Not <c>GetTotalMemory(true)</c>, which collects
    /// until the size settles: with writers running and a retention bug it never does.
    /// </summary>
    private static long MeasureHeap()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true);
        return GC.GetTotalMemory(forceFullCollection: false);
    }

    private int MostVersions()
    {
        int most = 0;
        foreach (TVar<HotValue> hot in _hot)
        {
            most = Math.Max(most, hot.VersionCount);
        }

        return most;
    }

    private void HoldSnapshot(SoakContext context)
    {
        var clock = Stopwatch.StartNew();
        Checkout checkout = Atomic.Checkout();
        try
        {
            long[] seen;
            try
            {
                seen = ReadAmounts(checkout);
            }
            catch (ConflictException exception)
            {
                context.Fail($"{Name}: a fresh read-only checkout could not read the hot TVars: {exception.Message}");
                return;
            }

            if (seen.Sum() != 0)
            {
                context.Fail($"{Name}: a snapshot saw hot amounts [{string.Join(", ", seen)}] that do not sum to 0 (torn snapshot)");
                return;
            }

            long heapAtOpen = MeasureHeap();
            int mostOpen = 0;
            long lastRead = 0;
            while (clock.Elapsed < OpenFor && !context.Stopping)
            {
                _ = context.StopToken.WaitHandle.WaitOne(SampleEvery);
                mostOpen = Math.Max(mostOpen, MostVersions());
                if (mostOpen > _versionBound)
                {
                    break;
                }

                if (clock.ElapsedMilliseconds - lastRead >= 50)
                {
                    lastRead = clock.ElapsedMilliseconds;
                    long[] again;
                    try
                    {
                        again = ReadAmounts(checkout);
                    }
                    catch (ConflictException exception)
                    {
                        context.Fail(
                            $"{Name}: a read-only snapshot open for {clock.Elapsed.TotalMilliseconds:F0}ms could not re-read the hot TVars "
                            + $"(a version it reads was unlinked): {exception.Message}");
                        return;
                    }

                    if (!again.AsSpan().SequenceEqual(seen))
                    {
                        context.Fail(
                            $"{Name}: a snapshot read hot amounts [{string.Join(", ", seen)}] at open and [{string.Join(", ", again)}] "
                            + $"{clock.Elapsed.TotalMilliseconds:F0}ms later: it must see the same state at every read");
                        return;
                    }
                }
            }

            long heapGrowth = MeasureHeap() - heapAtOpen;
            InterlockedMax(ref _maxVersionsOpen, mostOpen);
            InterlockedMax(ref _maxHeapGrowth, heapGrowth);
            if (mostOpen > _versionBound)
            {
                context.Fail(
                    $"{Name}: a hot TVar kept {mostOpen} versions while a snapshot was open (bound {_versionBound}: live snapshots + 2): "
                    + "versions nobody can read are retained");
            }

            if (heapGrowth > HeapGrowthBound)
            {
                context.Fail(
                    $"{Name}: the heap grew by {heapGrowth / 1024}KiB while one snapshot was open for {clock.Elapsed.TotalMilliseconds:F0}ms "
                    + $"(bound {HeapGrowthBound / 1024}KiB): versions nobody can read are retained");
            }

            if (context.Stopping)
            {
                return;
            }

            CloseAndCheck(context, checkout);
            Interlocked.Increment(ref _snapshots);
        }
        finally
        {
            checkout.Dispose();
            Volatile.Write(ref _quiet, 0);
        }
    }

    /// <summary>Stops the writers, closes the checkout and checks that the hot TVars shrank back.</summary>
    private void CloseAndCheck(SoakContext context, Checkout checkout)
    {
        Volatile.Write(ref _quiet, 1);
        var drain = Stopwatch.StartNew();
        SpinWait spin = default;
        while (Volatile.Read(ref _writersIn) != 0)
        {
            if (drain.Elapsed > DrainBound)
            {
                context.Fail($"{Name}: writers did not finish a step of {TransfersPerStep} transfers within {DrainBound.TotalSeconds:F0}s");
                return;
            }

            spin.SpinOnce();
        }

        // Snapshots of other transactions live now may each pin one older version; none that starts
        // later can (no hot writes any more). The closing reclaimer is what must free the rest.
        long[]? live = null;
        int othersLive = SnapshotRegistry.ScanLive(ref live, VersionClock.Now) - 2; // less the clock and this checkout
        checkout.Dispose();
        int after = MostVersions();
        InterlockedMax(ref _maxVersionsAfterClose, after);
        if (_alone && after > 2)
        {
            context.Fail(
                $"{Name}: a hot TVar kept {after} versions after the only long snapshot closed with no writer running "
                + $"({othersLive} other snapshots live): closing it must release the versions it pinned");
        }
    }

    /// <summary>An immutable hot value: an amount, and ballast that makes each version weigh in the heap.</summary>
    /// <param name="amount">The amount.</param>
    private sealed class HotValue(long amount)
    {
        /// <summary>Never read: it is there to be kept, or not, with the version.</summary>
        private readonly byte[] _ballast = new byte[BallastBytes];

        /// <summary>Gets the amount.</summary>
        public long Amount { get; } = amount;

        /// <summary>Gets the ballast's size (keeps the analyzers from calling the field unused).</summary>
        public int Weight => _ballast.Length;
    }
}
