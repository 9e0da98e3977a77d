namespace Stm.Tests.Properties.Core;

/// <summary>The statements of the little transactional language of the Retry/OrElse law tests.</summary>
public enum StmtKind
{
    /// <summary>Read a variable and add its value to the trace.</summary>
    Read,

    /// <summary>Write a constant to a variable.</summary>
    Write,

    /// <summary>Add a constant to a variable (read-modify-write).</summary>
    Add,

    /// <summary><c>Atomic.Retry()</c>.</summary>
    Retry,

    /// <summary><c>Atomic.Check(variable &gt;= constant)</c>.</summary>
    CheckAtLeast,

    /// <summary><c>Atomic.OrElse(first, second)</c>; the trace of the branch that ran.</summary>
    OrElse,

    /// <summary>A nested <c>Atomic.Run(first)</c>.</summary>
    Nested,

    /// <summary>A nested <c>Atomic.Run(first; throw)</c> whose exception the outer body catches: only the nested writes roll back.</summary>
    NestedThrow,
}
