using Stm.Internal;

namespace Stm;

/// <summary>
/// A <see cref="Checkout"/> could not go on or commit because a concurrent commit changed a TVar it
/// read. Nothing of the checkout was written; check out again and redo the work
/// (<see cref="Atomic.RunAsync(Func{Checkout, CancellationToken, ValueTask}, CancellationToken)"/>
/// does this for you).
/// </summary>
public sealed class ConflictException : Exception
{
    /// <summary>Creates an exception with a default message and no TVar name.</summary>
    public ConflictException()
        : base(ConflictMessages.Describe(tvarName: null, atCommit: true))
    {
    }

    /// <summary>Creates an exception with the given message and no TVar name.</summary>
    /// <param name="message">The message.</param>
    public ConflictException(string? message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with the given message and inner exception, and no TVar name.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public ConflictException(string? message, Exception? innerException)
        : base(message, innerException)
    {
    }

    internal ConflictException(string? tvarName, bool atCommit)
        : base(ConflictMessages.Describe(tvarName, atCommit))
    {
        TVarName = tvarName;
    }

    /// <summary>The name of the TVar whose change made the checkout's transaction conflict, when it is known and the TVar has a name.</summary>
    public string? TVarName { get; }
}
