using System.Globalization;
using System.Reflection;
using Microsoft.Coyote;
using Microsoft.Coyote.Logging;
using Microsoft.Coyote.SystematicTesting;
using Stm.Internal;

namespace Stm.Tests.Coyote;

/// <summary>
/// Runs a scenario under Coyote's <see cref="TestingEngine"/>: each iteration re-runs the scenario from
/// scratch under a different schedule chosen by the exploration strategy, with scheduling points at
/// every task operation, lock and <see cref="Interlocked"/> operation of the rewritten assemblies
/// (Stm.dll, Stm.Collections.dll and this one), and at every <see cref="Volatile"/> access too when a
/// scenario or <c>STM_COYOTE_VOLATILE=1</c> asks for it.
/// </summary>
/// <remarks>
/// <para>Environment variables: <c>STM_COYOTE_ITERATIONS</c> replaces the default
/// iteration count of every scenario (CI keeps the defaults, a few seconds per test); <c>STM_COYOTE_SEED</c>
/// sets the random seed (default 20261125, so CI runs are reproducible); <c>STM_COYOTE_STRATEGY</c> is
/// <c>random</c> (default) or <c>pct</c> (see <see cref="PrioritizedSteps"/>); any other value fails the test.</para>
/// <para>The engine keeps process-wide state (the version clock, the priority holder), and every
/// schedule of every exploration runs in this one process. A schedule
/// cut off at the step bound has its threads stopped wherever they are, possibly in the middle of
/// a sole commit that holds the version clock; every later schedule would then spin on that clock.
/// So the engine must be at rest before an exploration and after each schedule, or the exploration
/// stops and <see cref="Explore"/> throws, naming the schedule.</para>
/// </remarks>
internal static class CoyoteExplorer
{
    /// <summary>The default seed: runs are reproducible unless <c>STM_COYOTE_SEED</c> says otherwise.</summary>
    private const uint DefaultSeed = 20261125;

    /// <summary>
    /// Under <c>pct</c>, the scheduling steps of each schedule that Coyote's priority-based strategy
    /// (PCT) orders, with up to ten priority changes; later steps are scheduled at random. The engine
    /// waits for a commit in flight by spinning (<see cref="SpinWait"/>, a yielding scheduling point
    /// under Coyote), and so do some scenarios while they wait for a waiter to park. PCT in Coyote
    /// 1.7.11 ignores yields: a spinning task that outranks the one it waits for keeps the processor
    /// until a priority change, so unbounded PCT cuts most schedules off at the step bound, and its
    /// change points, drawn over the longest schedule seen, spread far past the steps where the
    /// scenarios race. The scenarios take 10 to 430 steps under the random strategy, so a prefix of
    /// 1,000 covers every race they have, and the random tail ends the spins.
    /// </summary>
    private const int PrioritizedSteps = 1_000;

    /// <summary>How long a finished schedule's threads get to unwind before the engine must be at rest.</summary>
    private static readonly TimeSpan SettleTime = TimeSpan.FromSeconds(2);

    /// <summary>Explores <paramref name="scenario"/> for the configured number of schedules.</summary>
    /// <param name="name">The scenario's name, used in reports and trace file names.</param>
    /// <param name="scenario">The scenario; it must create all its state itself (it runs once per iteration).</param>
    /// <param name="defaultIterations">Iterations when <c>STM_COYOTE_ITERATIONS</c> is not set.</param>
    /// <param name="maxSteps">The bound on scheduling steps per iteration.</param>
    /// <param name="volatileAccessesAreSchedulingPoints">
    /// Makes every <see cref="Volatile"/> access a scheduling point for this scenario (as
    /// <c>STM_COYOTE_VOLATILE=1</c> does for all): needed where the race sits between two plain
    /// publications, such as a sole commit's, which take no lock.
    /// </param>
    /// <returns>What the exploration found.</returns>
    public static ExplorationResult Explore(
        string name, Action scenario, uint defaultIterations, int maxSteps = 20_000, bool volatileAccessesAreSchedulingPoints = false)
    {
        EnsureRewritten();
        if (BusyState() is { } before)
        {
            throw new InvalidOperationException(
                $"{name}: the engine is not at rest before the exploration ({before}): an earlier exploration in this process left it so, and every schedule here would run over that state.");
        }

        uint iterations = ReadUInt("STM_COYOTE_ITERATIONS") ?? defaultIterations;
        uint seed = ReadUInt("STM_COYOTE_SEED") ?? DefaultSeed;
        var configuration = Configuration.Create()
            .WithTestingIterations(iterations)
            .WithRandomGeneratorSeed(seed)
            .WithMaxSchedulingSteps((uint)maxSteps)
            .WithAtomicOperationRaceCheckingEnabled(true)
            .WithVolatileOperationRaceCheckingEnabled(
                volatileAccessesAreSchedulingPoints || Environment.GetEnvironmentVariable("STM_COYOTE_VOLATILE") == "1")
            .WithLockAccessRaceCheckingEnabled(true)
            .WithPartiallyControlledConcurrencyAllowed(true)
            // Real deadlocks among controlled tasks are reported at once; this timeout only bounds a
            // task that never reaches a scheduling point, and must outlast a busy CI machine.
            .WithDeadlockTimeout(15_000);
        string strategy = Environment.GetEnvironmentVariable("STM_COYOTE_STRATEGY") ?? "random";
        configuration = strategy switch
        {
            "random" => configuration.WithRandomStrategy(),

            // Coyote's fair variant of PCT: prioritized for the first PrioritizedSteps steps (its
            // "unfair" steps), random after; the fair bound stays ten times maxSteps, as for random.
            "pct" => configuration
                .WithPrioritizationStrategy(isFair: true, priorityChangeBound: 10)
                .WithMaxSchedulingSteps((uint)Math.Min(PrioritizedSteps, maxSteps), 10 * (uint)maxSteps),
            _ => throw new InvalidOperationException($"STM_COYOTE_STRATEGY={strategy}: use random or pct."),
        };

        if (Environment.GetEnvironmentVariable("STM_COYOTE_VERBOSE") == "1")
        {
            configuration = configuration.WithVerbosityEnabled(VerbosityLevel.Exhaustive).WithConsoleLoggingEnabled();
        }

        using var engine = TestingEngine.Create(configuration, scenario);
        string? leftBusy = null;
        engine.RegisterEndIterationCallBack(iteration =>
        {
            if (leftBusy is null && BusyState() is { } state)
            {
                leftBusy = $"schedule {iteration + 1} left the engine busy ({state})";
                engine.Stop();
            }
        });
        engine.Run();
        TestReport report = engine.TestReport;
        string? tracePath = null;
        if (report.NumOfFoundBugs > 0 && !string.IsNullOrEmpty(engine.ReproducibleTrace))
        {
            tracePath = Path.Combine(Path.GetTempPath(), $"stm-coyote-{name}-{seed}.trace");
            File.WriteAllText(tracePath, engine.ReproducibleTrace);
            File.WriteAllText(Path.ChangeExtension(tracePath, ".txt"), engine.ReadableTrace);
        }

        var result = new ExplorationResult(
            name,
            iterations,
            [.. report.BugReports],
            [.. report.UncontrolledInvocations],
            tracePath,
            report.MaxFairStepsHitInFairTests + report.MaxUnfairStepsHitInUnfairTests,
            engine.GetReport());
        if (leftBusy is not null)
        {
            throw new InvalidOperationException(
                $"{leftBusy}: every later schedule in this process would run over that state, so the exploration stopped (a schedule cut off at the step bound stops its threads wherever they are, even inside a commit). {result}");
        }

        return result;
    }

    /// <summary>
    /// Waits up to <see cref="SettleTime"/> for the engine's process-wide state to be at rest (no
    /// transaction runs between schedules) and describes what is not, or returns null. A schedule's
    /// stopped threads may still be unwinding (a holder gives priority up as its run ends), hence
    /// the wait; a sole commit stopped while it holds the version clock never releases it. (A
    /// driven contention clock is not checked: tests drive it around a whole exploration.)
    /// </summary>
    private static string? BusyState()
    {
        long giveUpAt = Environment.TickCount64 + (long)SettleTime.TotalMilliseconds;
        while (true)
        {
            string? state =
                VersionClock.IsSoleCommitRunning(VersionClock.Now) ? $"the version clock is held at {VersionClock.Now}, by a sole commit or a reclaimer's pause that never ended"
                : ContentionManager.Holder != 0 ? $"priority is held by ticket {ContentionManager.Holder}"
                : null;
            if (state is null || Environment.TickCount64 >= giveUpAt)
            {
                return state;
            }

            Thread.Sleep(10);
        }
    }

    /// <summary>
    /// Fails loudly when the build did not rewrite the assemblies (for example with
    /// <c>SkipCoyoteRewrite=true</c>): without rewriting Coyote controls nothing and every test would
    /// pass vacuously.
    /// </summary>
    private static void EnsureRewritten()
    {
        foreach (Assembly assembly in new[] { typeof(Atomic).Assembly, typeof(CoyoteExplorer).Assembly })
        {
            bool rewritten = assembly.GetCustomAttributes().Any(a => a.GetType().Name == "RewritingSignatureAttribute");
            if (!rewritten)
            {
                throw new InvalidOperationException(
                    $"{assembly.GetName().Name} was not rewritten by 'coyote rewrite'; build tests/Coyote without SkipCoyoteRewrite (see docs/testing.md).");
            }
        }
    }

    private static uint? ReadUInt(string variable)
    {
        string? text = Environment.GetEnvironmentVariable(variable);
        return uint.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out uint value) ? value : null;
    }
}
