namespace Stm.Tests.Properties.Core;

/// <summary>Generated material for one Retry/OrElse law: initial values of 3 variables, a prefix, and blocks a, b, c.</summary>
public sealed record LawCase(IReadOnlyList<int> Initial, IReadOnlyList<Stmt> Prefix, IReadOnlyList<Stmt> A, IReadOnlyList<Stmt> B, IReadOnlyList<Stmt> C)
{
    public const int Variables = 3;

    public override string ToString() =>
        $"x=[{string.Join(", ", Initial)}] prefix={Stmt.Format(Prefix)} a={Stmt.Format(A)} b={Stmt.Format(B)} c={Stmt.Format(C)}";
}
