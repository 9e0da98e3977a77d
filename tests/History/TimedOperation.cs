namespace Stm.Testing.History;

/// <summary>
/// One operation of a concurrent history for <see cref="LinearizabilityChecker"/>: what a process
/// asked (<see cref="Input"/>), what it got (<see cref="Output"/>), and when it was invoked and
/// when it returned. A pending operation (it never returned, e.g. it timed out) may or may not
/// have taken effect. Immutable.
/// </summary>
/// <typeparam name="TInput">The operation and its arguments, e.g. a record <c>Enqueue(5)</c>.</typeparam>
/// <typeparam name="TOutput">What the operation returned.</typeparam>
public sealed class TimedOperation<TInput, TOutput>
{
    /// <summary>Creates a completed operation.</summary>
    /// <param name="process">The process (thread) that ran it.</param>
    /// <param name="input">The operation and its arguments.</param>
    /// <param name="output">What it returned.</param>
    /// <param name="invoked">The time it was invoked.</param>
    /// <param name="returned">The time it returned; not before <paramref name="invoked"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="returned"/> is before <paramref name="invoked"/>.</exception>
    public TimedOperation(int process, TInput input, TOutput output, long invoked, long returned)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(returned, invoked);
        Process = process;
        Input = input;
        Output = output;
        Invoked = invoked;
        Returned = returned;
        IsPending = false;
    }

    /// <summary>Creates a pending operation.</summary>
    private TimedOperation(int process, TInput input, long invoked)
    {
        Process = process;
        Input = input;
        Output = default;
        Invoked = invoked;
        Returned = long.MaxValue;
        IsPending = true;
    }

    /// <summary>The process (thread) that ran the operation.</summary>
    public int Process { get; }

    /// <summary>The operation and its arguments.</summary>
    public TInput Input { get; }

    /// <summary>What the operation returned; meaningless (default) when <see cref="IsPending"/>.</summary>
    public TOutput? Output { get; }

    /// <summary>The time the operation was invoked.</summary>
    public long Invoked { get; }

    /// <summary>The time it returned; <see cref="long.MaxValue"/> when <see cref="IsPending"/>.</summary>
    public long Returned { get; }

    /// <summary>Whether the operation never returned (its effect is unknown).</summary>
    public bool IsPending { get; }

    /// <summary>Creates a pending operation: invoked, never returned; it may or may not have taken effect.</summary>
    /// <param name="process">The process (thread) that ran it.</param>
    /// <param name="input">The operation and its arguments.</param>
    /// <param name="invoked">The time it was invoked.</param>
    /// <returns>The operation.</returns>
    public static TimedOperation<TInput, TOutput> Pending(int process, TInput input, long invoked) => new(process, input, invoked);

    /// <summary>Formats the operation as <c>P1 Dequeue -> 5 [invoked 3, returned 8]</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() =>
        IsPending
            ? $"P{Process} {HistoryFormat.Value(Input)} -> (pending) [invoked {Invoked}, never returned]"
            : $"P{Process} {HistoryFormat.Value(Input)} -> {HistoryFormat.Value(Output)} [invoked {Invoked}, returned {Returned}]";
}
