namespace Stm.Tests.Properties.Core;

/// <summary>Thrown at the end of a <see cref="StmtKind.NestedThrow"/> body and caught by the enclosing statement.</summary>
public sealed class NestedAbortException : Exception
{
    public NestedAbortException()
        : base("nested body aborted on purpose")
    {
    }

    public NestedAbortException(string message)
        : base(message)
    {
    }

    public NestedAbortException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
