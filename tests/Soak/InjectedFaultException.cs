namespace Stm.Soak;

/// <summary>An exception the soak runner throws on purpose at a fault point.</summary>
public sealed class InjectedFaultException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="InjectedFaultException"/> class.</summary>
    public InjectedFaultException()
        : this("injected fault")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="InjectedFaultException"/> class.</summary>
    /// <param name="message">The message.</param>
    public InjectedFaultException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="InjectedFaultException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The inner exception.</param>
    public InjectedFaultException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Gets where the fault was thrown.</summary>
    internal FaultKind Kind { get; init; }

    /// <summary>Finds the injected fault in <paramref name="exception"/> (itself or wrapped in an <see cref="AggregateException"/>).</summary>
    /// <param name="exception">The exception that escaped a transaction.</param>
    /// <returns>The injected fault, or <see langword="null"/> if the exception is something else.</returns>
    internal static InjectedFaultException? Find(Exception exception) => exception switch
    {
        InjectedFaultException fault => fault,
        AggregateException aggregate => aggregate.Flatten().InnerExceptions.Select(Find).FirstOrDefault(f => f is not null),
        _ => null,
    };

    /// <summary>Says whether <paramref name="exception"/> is or wraps an injected fault of kind <paramref name="kind"/>.</summary>
    /// <param name="exception">The exception that escaped a transaction.</param>
    /// <param name="kind">The kind looked for.</param>
    /// <returns><see langword="true"/> if found.</returns>
    internal static bool Contains(Exception exception, FaultKind kind) => exception switch
    {
        InjectedFaultException fault => fault.Kind == kind,
        AggregateException aggregate => aggregate.Flatten().InnerExceptions.Any(e => Contains(e, kind)),
        _ => false,
    };
}
