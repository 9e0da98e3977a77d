namespace Stm.Testing.History;

/// <summary>
/// Collects the operations of a concurrent history, stamped by one <see cref="LogicalClock"/>, for
/// <see cref="LinearizabilityChecker"/>. Thread-safe.
/// </summary>
/// <typeparam name="TInput">The operation and its arguments.</typeparam>
/// <typeparam name="TOutput">What operations return.</typeparam>
/// <example>
/// <code>
/// var invoked = recorder.Invoke();
/// var item = queue.Dequeue();
/// recorder.Complete(process, new Dequeue(), item, invoked);
/// </code>
/// </example>
public sealed class OperationRecorder<TInput, TOutput>
{
    /// <summary>Guards <see cref="_operations"/>.</summary>
    private readonly Lock _lock = new();

    /// <summary>The operations recorded, in the order they completed (or were given up).</summary>
    private readonly List<TimedOperation<TInput, TOutput>> _operations = [];

    /// <summary>Creates a recorder.</summary>
    /// <param name="clock">The clock to stamp with; a new one when null.</param>
    public OperationRecorder(LogicalClock? clock = null) => Clock = clock ?? new LogicalClock();

    /// <summary>The clock that stamps invocations and responses.</summary>
    public LogicalClock Clock { get; }

    /// <summary>Stamps an invocation: call it just before the operation starts.</summary>
    /// <returns>The invocation time, to pass to <see cref="Complete"/> or <see cref="GiveUp"/>.</returns>
    public long Invoke() => Clock.Next();

    /// <summary>Stamps the response of an operation and records it: call it just after the operation returned.</summary>
    /// <param name="process">The process (thread) that ran it.</param>
    /// <param name="input">The operation and its arguments.</param>
    /// <param name="output">What it returned.</param>
    /// <param name="invoked">What <see cref="Invoke"/> returned before it started.</param>
    public void Complete(int process, TInput input, TOutput output, long invoked)
    {
        var returned = Clock.Next();
        Add(new TimedOperation<TInput, TOutput>(process, input, output, invoked, returned));
    }

    /// <summary>Records an operation whose result is unknown (it timed out or failed): it may or may not have taken effect.</summary>
    /// <param name="process">The process (thread) that ran it.</param>
    /// <param name="input">The operation and its arguments.</param>
    /// <param name="invoked">What <see cref="Invoke"/> returned before it started.</param>
    public void GiveUp(int process, TInput input, long invoked) =>
        Add(TimedOperation<TInput, TOutput>.Pending(process, input, invoked));

    /// <summary>Returns a snapshot of the operations recorded so far.</summary>
    /// <returns>The snapshot.</returns>
    public IReadOnlyList<TimedOperation<TInput, TOutput>> Snapshot()
    {
        lock (_lock)
        {
            return [.. _operations];
        }
    }

    /// <summary>Adds an operation.</summary>
    private void Add(TimedOperation<TInput, TOutput> operation)
    {
        lock (_lock)
        {
            _operations.Add(operation);
        }
    }
}
