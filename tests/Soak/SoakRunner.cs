using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using Stm.Internal;
using Stm.Testing;
using Stm.Soak.Workloads;

namespace Stm.Soak;

/// <summary>
/// Runs the soak: a weighted mix of workloads on many threads with faults injected at random (seeded)
/// points, continuous checks inside the workloads, and end-of-run checks of invariants,
/// serializability, wake-ups, retries and memory.
/// </summary>
public static class SoakRunner
{
    /// <summary>Runs a soak and returns what it found. Writes progress and the verdict to <see cref="SoakOptions.Output"/>.</summary>
    /// <param name="options">The options.</param>
    /// <returns>The report; <see cref="SoakReport.Passed"/> is the verdict.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static SoakReport Run(SoakOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        SetSeededBug(options.SeededBug);
        try
        {
            return RunCore(options);
        }
        finally
        {
            SetSeededBug(SeededBug.None);
        }
    }

    private static void SetSeededBug(SeededBug bug)
    {
        PlantedBugs.ClearAll();
        if (bug != SeededBug.None)
        {
            // SeededBug names the planted bugs one for one.
            _ = PlantedBugs.Plant(Enum.Parse<PlantedBug>(bug.ToString()));
        }
    }

    private static SoakReport RunCore(SoakOptions options)
    {
        TextWriter output = options.Output;
        using var context = new SoakContext(options);

        SoakWorkload[] workloads = CreateWorkloads(options);
        var listAppend = workloads.OfType<ListAppendWorkload>().SingleOrDefault();
        var longSnapshot = workloads.OfType<LongSnapshotWorkload>().SingleOrDefault();
        var stalledBody = workloads.OfType<StalledBodyWorkload>().SingleOrDefault();
        var fairness = workloads.OfType<FairnessProbeWorkload>().SingleOrDefault();
        int[] cumulativeWeights = new int[workloads.Length];
        int totalWeight = 0;
        for (int i = 0; i < workloads.Length; i++)
        {
            totalWeight += workloads[i].Weight;
            cumulativeWeights[i] = totalWeight;
        }

        long heapBefore = MeasureHeap();
        string limit = options.Transactions is { } budget
            ? string.Create(CultureInfo.InvariantCulture, $"steps={budget}")
            : string.Create(CultureInfo.InvariantCulture, $"seconds={options.Duration.TotalSeconds:F0}");
        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"soak: threads={options.Threads} seed={options.Seed} fault-rate={options.FaultRate} {limit} seeded-bug={options.SeededBug} workloads={string.Join(",", workloads.Select(w => w.Name))} heap={heapBefore / 1024}KiB"));

        var workers = new Worker[options.Threads];
        var statistics = new long[options.Threads, 3];
        var threads = new Thread[options.Threads];
        using var start = new Barrier(options.Threads + 1);
        for (int i = 0; i < threads.Length; i++)
        {
            var worker = workers[i] = new Worker(i, context);
            int index = i;
            threads[i] = new Thread(() => WorkerLoop(worker, workloads, cumulativeWeights, totalWeight, start, statistics, index))
            {
                IsBackground = true,
                Name = $"soak worker {i}",
            };
            threads[i].Start();
        }

        using var meter = new MeterCounters();
        var clock = Stopwatch.StartNew();
        start.SignalAndWait();
        long lastSteps = 0;
        TimeSpan lastTime = TimeSpan.Zero;
        while (!context.Stopping)
        {
            bool finished = options.Transactions is null
                ? !SleepUntil(clock, options.Duration, options.ProgressInterval, context)
                : WaitForStepBudget(options.ProgressInterval, context);
            TimeSpan now = clock.Elapsed;
            long steps = context.Steps;
            double rate = (steps - lastSteps) / Math.Max((now - lastTime).TotalSeconds, 1e-3);
            output.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"[{now.TotalSeconds,6:F1}s] tx/s={rate,9:F0} steps={steps} commits={meter.Commits} conflicts={meter.Conflicts} retries={meter.Retries} faults={context.Faults} failures={context.FailureCount}"));
            lastSteps = steps;
            lastTime = now;
            if (finished)
            {
                context.Stop();
            }
        }

        TimeSpan elapsed = clock.Elapsed;
        TimeSpan joinBound = options.WakeUpBound + TimeSpan.FromSeconds(10);
        foreach (Thread thread in threads)
        {
            if (!thread.Join(joinBound))
            {
                context.Fail($"{thread.Name} did not stop within {joinBound.TotalSeconds:F0}s of the end of the run (stuck in a transaction)");
            }
        }

        foreach (SoakWorkload workload in workloads)
        {
            Guard(context, workload.Name + " drain", () => workload.Drain(context));
        }

        int historyTransactions = listAppend?.Recorded ?? 0;
        foreach (SoakWorkload workload in workloads)
        {
            Guard(context, workload.Name + " verify", () => workload.Verify(context));
        }

        int maxAttempts = workers.Max(w => w.MaxAttempts);
        if (maxAttempts > options.MaxAttemptsAllowed)
        {
            context.Fail($"a transaction took {maxAttempts} attempts (bound {options.MaxAttemptsAllowed}): contention management did not give it priority");
        }

        foreach (SoakWorkload workload in workloads)
        {
            workload.ReleaseBookkeeping();
        }

        long heapAfter = MeasureHeap();
        if (heapAfter - heapBefore > options.HeapGrowthAllowedBytes)
        {
            context.Fail($"heap grew from {heapBefore / 1024}KiB to {heapAfter / 1024}KiB after a full collection (allowed {options.HeapGrowthAllowedBytes / 1024}KiB): versions or logs are retained");
        }

        long commits = 0;
        long conflicts = 0;
        long retries = 0;
        for (int i = 0; i < options.Threads; i++)
        {
            commits += statistics[i, 0];
            conflicts += statistics[i, 1];
            retries += statistics[i, 2];
        }

        var report = new SoakReport
        {
            Failures = context.SnapshotFailures(),
            Steps = context.Steps,
            Commits = commits,
            Conflicts = conflicts,
            Retries = retries,
            FaultsInjected = context.Faults,
            MaxAttempts = maxAttempts,
            HistoryTransactions = historyTransactions,
            HeapBeforeBytes = heapBefore,
            HeapAfterBytes = heapAfter,
            SlowestWakeUp = context.SlowestWakeUp,
            Elapsed = elapsed,
            LongSnapshot = longSnapshot is null ? null : new LongSnapshotFigures
            {
                Snapshots = longSnapshot.Snapshots,
                MaxVersionsOpen = longSnapshot.MaxVersionsOpen,
                VersionBound = longSnapshot.VersionBound,
                MaxVersionsAfterClose = longSnapshot.MaxVersionsAfterClose,
                MaxHeapGrowthBytes = longSnapshot.MaxHeapGrowth,
            },
            StalledBody = stalledBody is null ? null : new StalledBodyFigures
            {
                Stalls = stalledBody.Stalls,
                Stall = StalledBodyWorkload.StallLength,
                FewestCommitsDuringStall = stalledBody.FewestCommitsDuringStall,
                LongestRelatedDelay = stalledBody.LongestRelatedDelay,
            },
            Fairness = fairness is null ? null : new FairnessFigures
            {
                Probes = fairness.Probes,
                OutOfOrder = fairness.OutOfOrder,
            },
        };
        output.WriteLine(report.ToString());
        return report;
    }

    /// <summary>
    /// Gets the name of every workload: the default mix, then those that only run when named in
    /// <see cref="SoakOptions.Workloads"/> (each holds a snapshot open, blocks a priority holder for
    /// long stretches, or relies on woken threads getting a core within a bounded time, which a mix
    /// with hundreds of threads does not allow for).
    /// </summary>
    public static IReadOnlyList<string> WorkloadNames { get; } =
        [.. DefaultMix, LongSnapshotWorkload.WorkloadName, StalledBodyWorkload.WorkloadName, FairnessProbeWorkload.WorkloadName];

    private static IReadOnlyList<string> DefaultMix => ["bank", "commute", "handoff", "orelse", "list-append", "wakeup", "tmap", "queues", "contention"];

    private static SoakWorkload[] CreateWorkloads(SoakOptions options)
    {
        IReadOnlyList<string> names = options.Workloads ?? DefaultMix;
        bool alone = names.Count == 1;
        return [.. names.Distinct(StringComparer.Ordinal).Select(name => name switch
        {
            "bank" => new BankWorkload(),
            "commute" => new CommuteCounterWorkload(),
            "handoff" => new HandOffWorkload(),
            "orelse" => new OrElseWorkload(options.Threads),
            "list-append" => new ListAppendWorkload(),
            "wakeup" => new WakeUpProbeWorkload(),
            "tmap" => new MapWorkload(),
            "queues" => new QueueWorkload(),
            "contention" => new ContentionProbeWorkload(),
            LongSnapshotWorkload.WorkloadName => new LongSnapshotWorkload(options.Threads, alone),
            StalledBodyWorkload.WorkloadName => new StalledBodyWorkload(options.Threads),
            FairnessProbeWorkload.WorkloadName => (SoakWorkload)new FairnessProbeWorkload(options.Threads),
            _ => throw new ArgumentOutOfRangeException(nameof(options), name, "unknown workload"),
        })];
    }

    private static void WorkerLoop(
        Worker worker,
        SoakWorkload[] workloads,
        int[] cumulativeWeights,
        int totalWeight,
        Barrier start,
        long[,] statistics,
        int index)
    {
        SoakContext context = worker.Context;
        long commits = TransactionStatistics.Commits;
        long conflicts = TransactionStatistics.Conflicts;
        long retries = TransactionStatistics.Retries;
        start.SignalAndWait();
        while (!context.Stopping)
        {
            int roll = worker.Random.Next(totalWeight);
            int pick = 0;
            while (cumulativeWeights[pick] <= roll)
            {
                pick++;
            }

            SoakWorkload workload = workloads[pick];
            try
            {
                workload.Step(worker);
            }
            catch (OperationCanceledException) when (context.Stopping)
            {
                break;
            }
            catch (Exception exception)
            {
                context.Fail($"{workload.Name}: worker {worker.Index} got an unexpected {exception.GetType().Name}: {exception.Message}");
            }

            if (context.CountStep())
            {
                context.Stop();
            }
        }

        statistics[index, 0] = TransactionStatistics.Commits - commits;
        statistics[index, 1] = TransactionStatistics.Conflicts - conflicts;
        statistics[index, 2] = TransactionStatistics.Retries - retries;
    }

    /// <summary>Sleeps one progress interval, or less if the run's time is up; returns false when it is up.</summary>
    private static bool SleepUntil(Stopwatch clock, TimeSpan duration, TimeSpan interval, SoakContext context)
    {
        TimeSpan left = duration - clock.Elapsed;
        if (left <= TimeSpan.Zero)
        {
            return false;
        }

        context.StopToken.WaitHandle.WaitOne(left < interval ? left : interval);
        return clock.Elapsed < duration;
    }

    /// <summary>Waits one progress interval for the step budget; returns true when the workers have stopped.</summary>
    private static bool WaitForStepBudget(TimeSpan interval, SoakContext context) =>
        context.StopToken.WaitHandle.WaitOne(interval);

    private static void Guard(SoakContext context, string what, Action action)
    {
        try
        {
            action();
        }
        catch (Exception exception)
        {
            context.Fail($"{what} threw {exception.GetType().Name}: {exception.Message}");
        }
    }

    private static long MeasureHeap()
    {
        for (int i = 0; i < 3; i++)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }

        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
