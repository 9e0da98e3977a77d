using System.Diagnostics;
using Stm.Internal;

namespace Stm.Soak.Workloads;

/// <summary>
/// Checks that a priority holder blocked in its body stops nobody. One worker at a time runs a
/// transaction that reads a fresh TVar which a helper thread writes in each of its attempts, so it
/// keeps losing and takes priority; its losing attempts are long (<see cref="LosingAttempt"/>), so
/// the grant it gets (twice its longest attempt) outlasts the stall. Once it holds priority it
/// blocks in its body for <see cref="Stall"/>. Meanwhile the other workers and a helper of the
/// probe write TVars of their own: they must keep committing during the stall. The helper that
/// wrote the holder's TVar writes it again as the stall begins: it may be held back, but must
/// commit within the longest grant (<see cref="ContentionManager.MaxGrantMilliseconds"/>) plus
/// <see cref="SchedulingSlack"/>.
/// </summary>
internal sealed class StalledBodyWorkload : SoakWorkload
{
    /// <summary>The workload's name in <c>--workloads</c>.</summary>
    public const string WorkloadName = "stalled-body";

    /// <summary>Attempts that may be interfered with before the probe gives up waiting for priority (it gets it after 6 conflicts).</summary>
    private const int MaxInterferedAttempts = 12;

    /// <summary>Commits a worker makes to its own TVar per step when it is not the probe.</summary>
    private const int WritesPerStep = 16;

    /// <summary>How long each losing attempt lasts: the grant will be at least twice this.</summary>
    private static readonly TimeSpan LosingAttempt = TimeSpan.FromMilliseconds(100);

    /// <summary>How long the holder blocks in its body: less than its grant, so a bug that holds everyone back does so for all of it.</summary>
    private static readonly TimeSpan Stall = TimeSpan.FromMilliseconds(150);

    /// <summary>How long into the stall unrelated commits start to count: commits already past the priority check may still land.</summary>
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(20);

    /// <summary>How long a helper waits for a request before it checks whether the stall began.</summary>
    private static readonly TimeSpan HelperPoll = TimeSpan.FromMilliseconds(2);

    /// <summary>Room for the scheduler of a loaded two-core machine on top of the longest grant.</summary>
    private static readonly TimeSpan SchedulingSlack = TimeSpan.FromSeconds(1);

    /// <summary>One TVar per worker, written only by it.</summary>
    private readonly TVar<long>[] _own;

    /// <summary>1 while a probe runs.</summary>
    private int _probing;

    /// <summary>Commits to TVars no probe reads, by workers and the probe's own unrelated writer.</summary>
    private long _unrelatedCommits;

    /// <summary>Probes run.</summary>
    private long _probes;

    /// <summary>Probes whose transaction took priority and stalled.</summary>
    private long _stalls;

    /// <summary>The fewest unrelated commits counted during one stall, or -1 before the first.</summary>
    private long _fewestDuringStall = -1;

    /// <summary>The longest a writer of the holder's TVar took to commit from the start of a stall, in ticks.</summary>
    private long _longestRelatedDelayTicks;

    /// <summary>Initializes a new instance of the <see cref="StalledBodyWorkload"/> class.</summary>
    /// <param name="threads">The soak's worker threads.</param>
    public StalledBodyWorkload(int threads) =>
        _own = [.. Enumerable.Range(0, threads).Select(i => new TVar<long>(0, $"stall.own{i}"))];

    /// <inheritdoc/>
    public override string Name => WorkloadName;

    /// <inheritdoc/>
    public override int Weight => 2;

    /// <summary>Gets the number of probes that stalled while holding priority.</summary>
    public long Stalls => Interlocked.Read(ref _stalls);

    /// <summary>Gets the fewest unrelated commits counted during one stall, or -1 if none stalled.</summary>
    public long FewestCommitsDuringStall => Interlocked.Read(ref _fewestDuringStall);

    /// <summary>Gets the longest a writer of the holder's TVar took to commit from the start of a stall.</summary>
    public TimeSpan LongestRelatedDelay => TimeSpan.FromTicks(Interlocked.Read(ref _longestRelatedDelayTicks));

    /// <summary>Gets how long a stall lasts.</summary>
    public static TimeSpan StallLength => Stall;

    /// <inheritdoc/>
    public override void Step(Worker worker)
    {
        if (Interlocked.CompareExchange(ref _probing, 1, 0) == 0)
        {
            try
            {
                Interlocked.Increment(ref _probes);
                Probe(worker.Context);
            }
            finally
            {
                Volatile.Write(ref _probing, 0);
            }

            return;
        }

        TVar<long> own = _own[worker.Index];
        for (int i = 0; i < WritesPerStep && !worker.Context.Stopping; i++)
        {
            own.Modify(x => x + 1);
            Interlocked.Increment(ref _unrelatedCommits);
        }
    }

    /// <inheritdoc/>
    public override void Verify(SoakContext context)
    {
        long probes = Interlocked.Read(ref _probes);
        if (probes >= 2 && Stalls == 0)
        {
            context.Fail($"{Name}: none of {probes} transactions that kept losing took priority, so none stalled holding it");
        }
    }

    /// <summary>True if the calling thread's run holds priority now: nobody else's commit waits for it here, but others' may.</summary>
    private static bool HoldsPriority()
    {
        int holder = ContentionManager.Holder;
        return holder != 0 && !ContentionManager.MustWaitFor(holder);
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

    private void RecordFewest(long commits)
    {
        long current = Interlocked.Read(ref _fewestDuringStall);
        while (current < 0 || commits < current)
        {
            long seen = Interlocked.CompareExchange(ref _fewestDuringStall, commits, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    private void Probe(SoakContext context)
    {
        TimeSpan bound = context.Options.WakeUpBound;
        var read = new TVar<int>(0, "stall.read");
        var result = new TVar<int>(0, "stall.result");
        var unrelated = new TVar<long>(0, "stall.unrelated");
        using var request = new SemaphoreSlim(0);
        using var written = new SemaphoreSlim(0);
        using var stallBegan = new ManualResetEventSlim();
        using var done = new CancellationTokenSource();
        long stallStart = 0;
        long relatedDelay = -1;

        // Writes the holder's TVar: once per losing attempt on request, then once as the stall begins.
        Task related = Task.Factory.StartNew(
            () =>
            {
                bool wroteDuringStall = false;
                while (!done.IsCancellationRequested)
                {
                    if (request.Wait(HelperPoll))
                    {
                        read.Modify(x => x + 1);
                        written.Release();
                    }
                    else if (!wroteDuringStall && stallBegan.IsSet)
                    {
                        wroteDuringStall = true;
                        read.Modify(x => x + 1);
                        Volatile.Write(ref relatedDelay, Stopwatch.GetTimestamp() - Volatile.Read(ref stallStart));
                    }
                }
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);

        // Writes a TVar of its own all along, so that an unrelated writer runs whatever the other workers do.
        Task unrelatedWriter = Task.Factory.StartNew(
            () =>
            {
                while (!done.IsCancellationRequested)
                {
                    unrelated.Modify(x => x + 1);
                    Interlocked.Increment(ref _unrelatedCommits);
                    Thread.Sleep(1);
                }
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);

        int attempts = 0;
        bool stalled = false;
        long duringStall = 0;

        // Atomic.Run rather than Worker.Execute: no fault may end the probe, and its body must block.
#pragma warning disable STM0003 // the body sleeps on purpose: a holder blocked in its body is what the probe is about
        Atomic.Run(() =>
        {
            int attempt = ++attempts;
            int value = read.Value;
            if (!stalled && HoldsPriority())
            {
                stalled = true;
                Volatile.Write(ref stallStart, Stopwatch.GetTimestamp());
                stallBegan.Set();
                Thread.Sleep(Settle);
                long before = Interlocked.Read(ref _unrelatedCommits);
                Thread.Sleep(Stall - Settle);
                duringStall = Interlocked.Read(ref _unrelatedCommits) - before;
            }
            else if (!stalled && attempt <= MaxInterferedAttempts)
            {
                // A long losing attempt: the grant, twice the longest attempt, then outlasts the stall.
                Thread.Sleep(LosingAttempt);
                request.Release();
                _ = written.Wait(LosingAttempt);
            }

            result.Value = value + 1;
        });
#pragma warning restore STM0003

        if (stalled)
        {
            // The holder has committed: the held-back writer of its TVar can go on now.
            var wait = Stopwatch.StartNew();
            while (Volatile.Read(ref relatedDelay) < 0 && wait.Elapsed < bound)
            {
                Thread.Sleep(1);
            }
        }

        done.Cancel();
        if (!Task.WaitAll([related, unrelatedWriter], bound))
        {
            context.Fail($"{Name}: the helpers of a stalled-body probe did not stop within {bound.TotalSeconds:F0}s");
        }

        if (!stalled)
        {
            return;
        }

        Interlocked.Increment(ref _stalls);
        RecordFewest(duringStall);
        if (duringStall == 0)
        {
            context.Fail(
                $"{Name}: no commit to an unrelated TVar landed in the {(Stall - Settle).TotalMilliseconds:F0}ms a priority holder was blocked in its body: "
                + "priority held back writers that do not conflict with it");
        }

        long delayTicks = Volatile.Read(ref relatedDelay);
        TimeSpan allowed = TimeSpan.FromMilliseconds(ContentionManager.MaxGrantMilliseconds) + SchedulingSlack;
        if (delayTicks < 0)
        {
            context.Fail($"{Name}: a writer of a TVar the stalled priority holder read did not commit within {bound.TotalSeconds:F0}s: it was stopped, not delayed");
            return;
        }

        TimeSpan delay = Stopwatch.GetElapsedTime(0, delayTicks);
        InterlockedMax(ref _longestRelatedDelayTicks, delay.Ticks);
        if (delay > allowed)
        {
            context.Fail(
                $"{Name}: a writer of a TVar the stalled priority holder read took {delay.TotalMilliseconds:F0}ms to commit "
                + $"(bound {allowed.TotalMilliseconds:F0}ms: the longest grant plus scheduling): it must only be delayed");
        }
    }
}
