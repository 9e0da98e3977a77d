using System.Globalization;
using System.Reflection;
using Microsoft.Coyote;
using Microsoft.Coyote.Logging;
using Microsoft.Coyote.SystematicTesting;

namespace Stm.Tests.Coyote;

/// <summary>
/// Runs a scenario under Coyote's <see cref="TestingEngine"/>: each iteration re-runs the scenario from
/// scratch under a different schedule chosen by the exploration strategy, with scheduling points at
/// every task operation, lock and <see cref="Interlocked"/> operation of the rewritten assemblies
/// (Stm.dll, Stm.Collections.dll and this one), and at every <see cref="Volatile"/> access too when a
/// scenario or <c>STM_COYOTE_VOLATILE=1</c> asks for it.
/// </summary>
/// <remarks>
/// Environment variables: <c>STM_COYOTE_ITERATIONS</c> replaces the default
/// iteration count of every scenario (CI keeps the defaults, a few seconds per test); <c>STM_COYOTE_SEED</c>
/// sets the random seed (default 20261125, so CI runs are reproducible); <c>STM_COYOTE_STRATEGY</c> is
/// <c>random</c> (default), <c>pct</c> or <c>fair-pct</c>.
/// </remarks>
internal static class CoyoteExplorer
{
    /// <summary>The default seed: runs are reproducible unless <c>STM_COYOTE_SEED</c> says otherwise.</summary>
    private const uint DefaultSeed = 20261125;

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
        configuration = (Environment.GetEnvironmentVariable("STM_COYOTE_STRATEGY") ?? "random") switch
        {
            "pct" => configuration.WithPrioritizationStrategy(isFair: false, priorityChangeBound: 10),
            "fair-pct" => configuration.WithPrioritizationStrategy(isFair: true, priorityChangeBound: 10),
            _ => configuration.WithRandomStrategy(),
        };

        if (Environment.GetEnvironmentVariable("STM_COYOTE_VERBOSE") == "1")
        {
            configuration = configuration.WithVerbosityEnabled(VerbosityLevel.Exhaustive).WithConsoleLoggingEnabled();
        }

        using var engine = TestingEngine.Create(configuration, scenario);
        engine.Run();
        TestReport report = engine.TestReport;
        string? tracePath = null;
        if (report.NumOfFoundBugs > 0 && !string.IsNullOrEmpty(engine.ReproducibleTrace))
        {
            tracePath = Path.Combine(Path.GetTempPath(), $"stm-coyote-{name}-{seed}.trace");
            File.WriteAllText(tracePath, engine.ReproducibleTrace);
            File.WriteAllText(Path.ChangeExtension(tracePath, ".txt"), engine.ReadableTrace);
        }

        return new ExplorationResult(
            name,
            iterations,
            [.. report.BugReports],
            [.. report.UncontrolledInvocations],
            tracePath,
            report.MaxFairStepsHitInFairTests + report.MaxUnfairStepsHitInUnfairTests,
            engine.GetReport());
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
