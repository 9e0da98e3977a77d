using Stm.Soak;
using Xunit;
using Xunit.Abstractions;

namespace Stm.Tests.Soak;

/// <summary>
/// Short soaks run in-process as part of the suite (longer ones: <c>dotnet run -c Release --project
/// tests/Soak -- --seconds 300 --threads 64 --seed 42</c>).
/// </summary>
public sealed class SoakRunnerTests(ITestOutputHelper output)
{
    /// <summary>
    /// The wake-up bound of the runs that must pass. A correct wake-up takes milliseconds, but 256
    /// runnable threads on a two-core machine have taken 7.7 s (docs/testing.md), close to the
    /// runner's default of 10 s; the bound only has to catch a lost wake-up (which
    /// never ends), so it is generous here.
    /// </summary>
    private static readonly TimeSpan s_passingWakeUpBound = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(1, 4, 2)]
    [InlineData(2, 64, 3)]
    [InlineData(3, 256, 3)]
    public void Run_MixedWorkloadWithFaults_Passes(int seed, int threads, int seconds)
    {
        SoakReport report = RunSoak(new SoakOptions
        {
            Seed = seed,
            Threads = threads,
            Duration = TimeSpan.FromSeconds(seconds),
            FaultRate = 0.02,
            WakeUpBound = s_passingWakeUpBound,
        });

        Assert.True(report.Passed, report.ToString());
        Assert.True(report.Commits > 100, $"too little work to mean anything: {report}");
        Assert.True(report.FaultsInjected > 0, $"no fault was injected: {report}");
        Assert.True(report.HistoryTransactions > 0, $"no list-append history was recorded: {report}");
    }

    [Fact]
    public void Run_StepBudget_StopsAfterBudget()
    {
        SoakReport report = RunSoak(new SoakOptions { Seed = 4, Threads = 8, Transactions = 2_000, Duration = TimeSpan.FromMinutes(1), WakeUpBound = s_passingWakeUpBound });

        Assert.True(report.Passed, report.ToString());
        Assert.InRange(report.Steps, 2_000, 2_000 + 8);
    }

    [Fact]
    public void Run_SkipCommitValidationSeeded_FailsWithLostUpdates()
    {
        SoakReport report = RunSoak(new SoakOptions
        {
            Seed = 5,
            Threads = 8,
            Duration = TimeSpan.FromSeconds(2),
            SeededBug = SeededBug.SkipCommitValidation,
        });

        Assert.False(report.Passed, $"the soak missed commits that skip validation: {report}");
        Assert.StartsWith("SOAK FAILED: ", report.Verdict, StringComparison.Ordinal);
        // Any lost-update symptom counts: which one shows first depends on the interleaving (an item
        // two producers both wrote into the same queue cell is lost; one two consumers both took is
        // delivered twice).
        Assert.Contains(report.Failures, failure =>
            failure.Contains("delivered twice", StringComparison.Ordinal)
            || failure.Contains("produced but never delivered", StringComparison.Ordinal)
            || failure.Contains("not conserved", StringComparison.Ordinal)
            || failure.Contains("not serializable", StringComparison.Ordinal)
            || failure.Contains("committed increments", StringComparison.Ordinal));
    }

    [Fact]
    public void Run_SkipRetryRevalidationSeeded_FailsWithLostWakeUps()
    {
        SoakReport report = RunSoak(new SoakOptions
        {
            Seed = 6,
            Threads = 8,
            Duration = TimeSpan.FromSeconds(2),
            SeededBug = SeededBug.SkipRetryRevalidation,
            WakeUpBound = TimeSpan.FromSeconds(1),
        });

        Assert.False(report.Passed, $"the soak missed Retry parking without re-validation: {report}");
        Assert.Contains(report.Failures, failure => failure.Contains("lost wake-up", StringComparison.Ordinal));
    }

    [Fact]
    public void Run_ReadPastSnapshotSeeded_FailsWithTornViewsInsideAttempts()
    {
        SoakReport report = RunSeeded(SeededBug.ReadPastSnapshot, seed: 7);

        // Every symptom below is a check made inside an attempt, which only a read past the
        // snapshot can fail; which workload meets it first depends on the interleaving.
        string[] tornViewSymptoms = ["torn snapshot", "in an auditor's attempt", "non-repeatable read"];
        Assert.Contains(report.Failures, failure => tornViewSymptoms.Any(symptom => failure.Contains(symptom, StringComparison.Ordinal)));
    }

    [Fact]
    public void Run_NeverTakePrioritySeeded_FailsWithStarvedTransactions()
    {
        SoakReport report = RunSeeded(SeededBug.NeverTakePriority, seed: 8);

        Assert.Contains(report.Failures, failure => failure.Contains("did not give them priority", StringComparison.Ordinal));
    }

    [Fact]
    public void Run_CommuteOnSnapshotValueSeeded_FailsWithLostIncrements()
    {
        SoakReport report = RunSeeded(SeededBug.CommuteOnSnapshotValue, seed: 9);

        Assert.Contains(report.Failures, failure => failure.Contains("committed increments", StringComparison.Ordinal));
    }

    [Fact]
    public void Run_NestedThrowKeepsWritesSeeded_FailsWithMoneyCreated()
    {
        SoakReport report = RunSeeded(SeededBug.NestedThrowKeepsWrites, seed: 10);

        Assert.Contains(report.Failures, failure => failure.Contains("not conserved", StringComparison.Ordinal));
    }

    [Fact]
    public void Run_CompleteWakesNoWaiterSeeded_FailsWithConsumersLeftWaiting()
    {
        SoakReport report = RunSeeded(SeededBug.CompleteWakesNoWaiter, seed: 11);

        Assert.Contains(report.Failures, failure => failure.Contains("of Complete", StringComparison.Ordinal));
    }

    [Fact]
    public void Run_LongSnapshotWorkload_KeepsVersionsBoundedAndReadsConsistent()
    {
        SoakReport report = RunWorkload("long-snapshot", seed: 12);

        Assert.True(report.Passed, report.ToString());
        LongSnapshotFigures figures = Assert.IsType<LongSnapshotFigures>(report.LongSnapshot);
        Assert.True(figures.Snapshots > 0, $"no snapshot was held open: {report}");
        Assert.InRange(figures.MaxVersionsOpen, 2, figures.VersionBound);
        Assert.InRange(figures.MaxVersionsAfterClose, 1, 2);
    }

    [Fact]
    public void Run_StalledBodyWorkload_UnrelatedWritersKeepCommittingDuringTheStall()
    {
        SoakReport report = RunWorkload("stalled-body", seed: 13);

        Assert.True(report.Passed, report.ToString());
        StalledBodyFigures figures = Assert.IsType<StalledBodyFigures>(report.StalledBody);
        Assert.True(figures.Stalls > 0, $"no probe stalled holding priority: {report}");
        Assert.True(figures.FewestCommitsDuringStall > 0, report.ToString());
    }

    [Fact]
    public void Run_KeepEveryVersionSeeded_FailsWithVersionsPastTheBound()
    {
        SoakReport report = RunWorkload("long-snapshot", seed: 14, SeededBug.KeepEveryVersion);

        Assert.False(report.Passed, $"the soak missed the planted {SeededBug.KeepEveryVersion}: {report}");
        Assert.Contains(report.Failures, failure => failure.Contains("versions nobody can read are retained", StringComparison.Ordinal));
    }

    [Fact]
    public void Run_TrimVersionsInUseSeeded_FailsWithALongSnapshotThatCannotReRead()
    {
        SoakReport report = RunWorkload("long-snapshot", seed: 15, SeededBug.TrimVersionsInUse);

        Assert.False(report.Passed, $"the soak missed the planted {SeededBug.TrimVersionsInUse}: {report}");
        Assert.Contains(report.Failures, failure => failure.Contains("could not re-read", StringComparison.Ordinal));
    }

    [Fact]
    public void Run_PriorityHoldsBackEveryoneSeeded_FailsWithUnrelatedWritersStalled()
    {
        SoakReport report = RunWorkload("stalled-body", seed: 16, SeededBug.PriorityHoldsBackEveryone);

        Assert.False(report.Passed, $"the soak missed the planted {SeededBug.PriorityHoldsBackEveryone}: {report}");
        Assert.Contains(report.Failures, failure => failure.Contains("priority held back writers that do not conflict", StringComparison.Ordinal));
    }

    [Fact]
    public void Run_FairnessWorkload_ConsumersReceiveItemsInParkOrder()
    {
        SoakReport report = RunWorkload(FairnessProbeWorkloadName, seed: 17);

        Assert.True(report.Passed, report.ToString());
        FairnessFigures figures = Assert.IsType<FairnessFigures>(report.Fairness);
        Assert.True(figures.Probes > 0, $"no fairness probe fed its consumers: {report}");
        Assert.Equal(0, figures.OutOfOrder);
    }

    [Fact]
    public void Run_WakeNewestFirstSeeded_FailsWithItemsOutOfParkOrder()
    {
        SoakReport report = RunWorkload(FairnessProbeWorkloadName, seed: 18, SeededBug.WakeNewestFirst);

        Assert.False(report.Passed, $"the soak missed the planted {SeededBug.WakeNewestFirst}: {report}");
        Assert.Contains(report.Failures, failure => failure.Contains("out of park order", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_Workloads_AreRead()
    {
        SoakOptions options = SoakOptions.Parse(["--workloads", "long-snapshot,stalled-body"], TextWriter.Null);

        Assert.Equal(["long-snapshot", "stalled-body"], options.Workloads);
    }

    [Fact]
    public void Parse_UnknownWorkload_ThrowsArgumentOutOfRangeException()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SoakOptions.Parse(["--workloads", "bogus"], TextWriter.Null));
    }

    [Fact]
    public void Parse_EverySeededBug_IsAcceptedByItsKebabCaseName()
    {
        Assert.All(
            Enum.GetValues<SeededBug>(),
            bug => Assert.Equal(bug, SoakOptions.Parse(["--seeded-bug", SoakOptions.OptionName(bug)], TextWriter.Null).SeededBug));
    }

    [Fact]
    public void Parse_UnknownOption_ThrowsArgumentException()
    {
        Assert.Throws<ArgumentException>(() => SoakOptions.Parse(["--bogus", "1"], TextWriter.Null));
    }

    [Fact]
    public void Parse_ThreadsOutOfRange_ThrowsArgumentOutOfRangeException()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SoakOptions.Parse(["--threads", "257"], TextWriter.Null));
    }

    [Fact]
    public void Parse_AllOptions_AreRead()
    {
        SoakOptions options = SoakOptions.Parse(
            ["--seconds", "300", "--threads", "64", "--seed", "42", "--fault-rate", "0.1", "--seeded-bug", "skip-retry-revalidation"],
            TextWriter.Null);

        Assert.Equal(TimeSpan.FromSeconds(300), options.Duration);
        Assert.Equal(64, options.Threads);
        Assert.Equal(42, options.Seed);
        Assert.Equal(0.1, options.FaultRate);
        Assert.Equal(SeededBug.SkipRetryRevalidation, options.SeededBug);
    }

    /// <summary>The fairness workload's name in <c>--workloads</c>.</summary>
    private const string FairnessProbeWorkloadName = "fairness";

    /// <summary>A short soak with <paramref name="bug"/> planted, which must fail; waits that a lost wake-up would stall are bounded by 1 s.</summary>
    private SoakReport RunSeeded(SeededBug bug, int seed)
    {
        SoakReport report = RunSoak(new SoakOptions
        {
            Seed = seed,
            Threads = 8,
            Duration = TimeSpan.FromSeconds(2),
            SeededBug = bug,
            WakeUpBound = TimeSpan.FromSeconds(1),
        });

        Assert.False(report.Passed, $"the soak missed the planted {bug}: {report}");
        Assert.StartsWith("SOAK FAILED: ", report.Verdict, StringComparison.Ordinal);
        return report;
    }

    /// <summary>A 3-second, 8-thread soak of <paramref name="workload"/> alone, with <paramref name="bug"/> planted if any.</summary>
    private SoakReport RunWorkload(string workload, int seed, SeededBug bug = SeededBug.None) =>
        RunSoak(new SoakOptions
        {
            Seed = seed,
            Threads = 8,
            Duration = TimeSpan.FromSeconds(3),
            SeededBug = bug,
            WakeUpBound = s_passingWakeUpBound,
            Workloads = [workload],
        });

    private SoakReport RunSoak(SoakOptions options)
    {
        using var writer = new StringWriter();
        SoakReport report = SoakRunner.Run(new SoakOptions
        {
            Seed = options.Seed,
            Threads = options.Threads,
            Duration = options.Duration,
            Transactions = options.Transactions,
            FaultRate = options.FaultRate,
            SeededBug = options.SeededBug,
            WakeUpBound = options.WakeUpBound,
            Workloads = options.Workloads,
            Output = writer,
        });
        output.WriteLine(writer.ToString());
        return report;
    }
}
