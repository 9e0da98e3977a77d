using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Stm.Tests.Properties.Core;

/// <summary>
/// Issue 3, the laws of Retry and OrElse over generated programs (reads, writes, checks, retries,
/// OrElse, nested Run, nested Run that throws), single-threaded: both sides of each law run on the
/// STM from the same initial state and must give the same outcome (retried or committed, trace of
/// reads, final variables), and each must match a sequential reference model.
/// </summary>
public sealed class RetryOrElseLawTests
{
    [Property(MaxTest = 40, Arbitrary = [typeof(CoreArbitraries)])]
    public Property OrElse_RetryFirst_BehavesAsSecond(LawCase law) =>
        Law(law, [.. law.Prefix, Stmt.OrElse([Stmt.Retry], law.B)], [.. law.Prefix, .. law.B]);

    [Property(MaxTest = 40, Arbitrary = [typeof(CoreArbitraries)])]
    public Property OrElse_RetrySecond_BehavesAsFirst(LawCase law)
    {
        var aRetries = StmtInterpreter.RunOnModel(law.Initial, [.. law.Prefix, .. law.A]).Retried;
        return Law(law, [.. law.Prefix, Stmt.OrElse(law.A, [Stmt.Retry])], [.. law.Prefix, .. law.A])
            .Classify(aRetries, "a retries (both sides retry)");
    }

    [Property(MaxTest = 40, Arbitrary = [typeof(CoreArbitraries)])]
    public Property OrElse_Nesting_IsAssociative(LawCase law) =>
        Law(
            law,
            [.. law.Prefix, Stmt.OrElse([Stmt.OrElse(law.A, law.B)], law.C)],
            [.. law.Prefix, Stmt.OrElse(law.A, [Stmt.OrElse(law.B, law.C)])]);

    [Property(MaxTest = 40, Arbitrary = [typeof(CoreArbitraries)])]
    public Property OrElse_NestedRunThatRetriesInFirstBranch_RollsBackNestedWritesAndRunsSecond(LawCase law)
    {
        // first = x0 := 100; run{ x1 := 200; a; x2 := 300; retry }: always retries, so nothing of it may remain.
        IReadOnlyList<Stmt> first = [Stmt.Write(0, 100), Stmt.Nested([Stmt.Write(1, 200), .. law.A, Stmt.Write(2, 300), Stmt.Retry])];
        return Law(law, [.. law.Prefix, Stmt.OrElse(first, law.B), Stmt.Read(0), Stmt.Read(1), Stmt.Read(2)], [.. law.Prefix, .. law.B, Stmt.Read(0), Stmt.Read(1), Stmt.Read(2)]);
    }

    [Property(MaxTest = 40, Arbitrary = [typeof(CoreArbitraries)])]
    public Property GeneratedProgram_OnStm_MatchesSequentialModel(LawCase law)
    {
        IReadOnlyList<Stmt> program = [.. law.Prefix, Stmt.OrElse(law.A, law.B), .. law.C];
        var stm = StmtInterpreter.RunOnStm(law.Initial, program);
        var model = StmtInterpreter.RunOnModel(law.Initial, program);
        return stm.SameAs(model)
            .Label($"program {Stmt.Format(program)}{Environment.NewLine}stm:   {stm}{Environment.NewLine}model: {model}")
            .Classify(model.Retried, "retries");
    }

    /// <summary>Both sides on the STM must agree with each other and with the model.</summary>
    private static Property Law(LawCase law, IReadOnlyList<Stmt> left, IReadOnlyList<Stmt> right)
    {
        var leftStm = StmtInterpreter.RunOnStm(law.Initial, left);
        var rightStm = StmtInterpreter.RunOnStm(law.Initial, right);
        var leftModel = StmtInterpreter.RunOnModel(law.Initial, left);
        var rightModel = StmtInterpreter.RunOnModel(law.Initial, right);
        var ok = leftStm.SameAs(rightStm) && leftStm.SameAs(leftModel) && rightStm.SameAs(rightModel);
        return ok.Label(
            $"left  {Stmt.Format(left)}{Environment.NewLine}  stm:   {leftStm}{Environment.NewLine}  model: {leftModel}"
            + $"{Environment.NewLine}right {Stmt.Format(right)}{Environment.NewLine}  stm:   {rightStm}{Environment.NewLine}  model: {rightModel}");
    }
}
