namespace Stm.Soak.Workloads;

/// <summary>
/// Probes contention management amid the rest of the traffic: a transaction reads a fresh TVar and,
/// in each of its first <see cref="InterferedAttempts"/> attempts, has a helper thread commit to that
/// TVar before it writes (it waits up to <see cref="InterferenceWait"/> for the helper's commit), so
/// every such attempt conflicts. After a few conflicts the run must take priority, which holds the
/// helper back, and commit within <see cref="AttemptsBound"/> attempts; a run that never takes
/// priority keeps losing until the helper stops interfering. One probe runs at a time, so probes do
/// not compete with each other for priority; most probes of a run (more than half) must stay within
/// the bound.
/// </summary>
internal sealed class ContentionProbeWorkload : SoakWorkload
{
    /// <summary>Attempts the helper interferes with; a run that never takes priority takes one more.</summary>
    private const int InterferedAttempts = 40;

    /// <summary>
    /// The most attempts a probe may take: the engine gives priority after 6 conflicts, and the grant
    /// (twice the longest attempt, from 10 ms) outgrows <see cref="InterferenceWait"/> within a few
    /// more attempts; the rest is room for other runs that hold priority for a while.
    /// </summary>
    private const int AttemptsBound = 25;

    /// <summary>How long an attempt waits for the helper's commit before it goes on without it.</summary>
    private static readonly TimeSpan InterferenceWait = TimeSpan.FromMilliseconds(50);

    /// <summary>1 while a probe runs.</summary>
    private int _running;

    /// <summary>Probes run.</summary>
    private long _probes;

    /// <summary>Probes that took more than <see cref="AttemptsBound"/> attempts.</summary>
    private long _starved;

    /// <summary>The most attempts a probe took.</summary>
    private int _mostAttempts;

    /// <inheritdoc/>
    public override string Name => "contention";

    /// <inheritdoc/>
    public override int Weight => 1;

    /// <inheritdoc/>
    public override void Step(Worker worker)
    {
        if (Interlocked.CompareExchange(ref _running, 1, 0) != 0)
        {
            return;
        }

        try
        {
            Interlocked.Increment(ref _probes);
            Probe(worker.Context);
        }
        finally
        {
            Volatile.Write(ref _running, 0);
        }
    }

    /// <inheritdoc/>
    public override void Verify(SoakContext context)
    {
        long probes = Interlocked.Read(ref _probes);
        long starved = Interlocked.Read(ref _starved);
        if (probes == 0 && context.Steps > 5_000)
        {
            context.Fail($"{Name}: no contention probe ran in {context.Steps} steps");
        }

        // A probe may have to wait while other losing runs hold priority (one run holds it at a
        // time), which with hundreds of threads on two cores sometimes outlasts the bound; most
        // probes must still commit within it.
        if (starved * 2 > probes)
        {
            context.Fail(
                $"{Name}: {starved} of {probes} transactions whose every attempt a helper interfered with took more than {AttemptsBound} attempts "
                + $"(most: {Volatile.Read(ref _mostAttempts)}): contention management did not give them priority");
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

    private void Probe(SoakContext context)
    {
        TimeSpan bound = context.Options.WakeUpBound;
        var read = new TVar<int>(0, "contention.read");
        var result = new TVar<int>(0, "contention.result");
        using var request = new SemaphoreSlim(0);
        using var written = new SemaphoreSlim(0);
        using var done = new CancellationTokenSource();
        Task helper = Task.Factory.StartNew(
            () =>
            {
                while (!done.IsCancellationRequested)
                {
                    if (request.Wait(TimeSpan.FromMilliseconds(20)))
                    {
                        read.Modify(x => x + 1);
                        written.Release();
                    }
                }
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);

        // Atomic.Run rather than Worker.Execute: no fault may end the probe, and its attempts are counted exactly.
        int attempts = 0;
        Atomic.Run(() =>
        {
            int attempt = ++attempts;
            int value = read.Value;
            if (attempt <= InterferedAttempts)
            {
                request.Release();
                _ = written.Wait(InterferenceWait);
            }

            result.Value = value + 1;
        });
        done.Cancel();
        if (!helper.Wait(bound))
        {
            context.Fail($"{Name}: the helper of a contention probe did not stop within {bound.TotalSeconds:F0}s");
        }

        InterlockedMax(ref _mostAttempts, attempts);
        if (attempts > AttemptsBound)
        {
            Interlocked.Increment(ref _starved);
        }
    }
}
