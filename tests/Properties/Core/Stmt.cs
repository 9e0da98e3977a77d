namespace Stm.Tests.Properties.Core;

/// <summary>One statement of a generated transactional program (see <see cref="StmtKind"/>).</summary>
public sealed record Stmt(StmtKind Kind, int Var, int Value, IReadOnlyList<Stmt> First, IReadOnlyList<Stmt> Second)
{
    public static Stmt Read(int variable) => new(StmtKind.Read, variable, 0, [], []);

    public static Stmt Write(int variable, int value) => new(StmtKind.Write, variable, value, [], []);

    public static Stmt Add(int variable, int value) => new(StmtKind.Add, variable, value, [], []);

    public static Stmt Retry { get; } = new(StmtKind.Retry, 0, 0, [], []);

    public static Stmt CheckAtLeast(int variable, int value) => new(StmtKind.CheckAtLeast, variable, value, [], []);

    public static Stmt OrElse(IReadOnlyList<Stmt> first, IReadOnlyList<Stmt> second) => new(StmtKind.OrElse, 0, 0, first, second);

    public static Stmt Nested(IReadOnlyList<Stmt> body) => new(StmtKind.Nested, 0, 0, body, []);

    public static Stmt NestedThrow(IReadOnlyList<Stmt> body) => new(StmtKind.NestedThrow, 0, 0, body, []);

    public static string Format(IReadOnlyList<Stmt> block) => "{" + string.Join("; ", block) + "}";

    public override string ToString() => Kind switch
    {
        StmtKind.Read => $"r x{Var}",
        StmtKind.Write => $"x{Var}:={Value}",
        StmtKind.Add => $"x{Var}+={Value}",
        StmtKind.Retry => "retry",
        StmtKind.CheckAtLeast => $"check x{Var}>={Value}",
        StmtKind.OrElse => $"orElse{Format(First)}{Format(Second)}",
        StmtKind.Nested => $"run{Format(First)}",
        _ => $"run{Format(First)}+throw",
    };
}
