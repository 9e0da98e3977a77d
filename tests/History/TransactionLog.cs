namespace Stm.Testing.History;

/// <summary>
/// The steps of one transaction attempt, in program order, kept while its body runs. Create a new
/// log at the start of every attempt (a transaction body may run several times) and hand it to
/// <see cref="HistoryRecorder.Record(TransactionLog, TransactionOutcome)"/> from the transaction's
/// <c>AfterCommit</c> (and, for aborted attempts, <c>AfterRollback</c>) handler. Not thread-safe: one
/// attempt, one thread.
/// </summary>
public sealed class TransactionLog
{
    /// <summary>The steps recorded so far, in program order.</summary>
    private readonly List<MicroOperation> _operations = [];

    /// <summary>Creates a log without real-time information.</summary>
    public TransactionLog()
    {
    }

    /// <summary>Creates a log for a transaction invoked at <paramref name="invoked"/>.</summary>
    /// <param name="invoked">
    /// <see cref="HistoryRecorder.Now"/> taken by the caller BEFORE it called <c>Atomic.Run</c>
    /// (not inside the body: a snapshot may be taken before the body starts).
    /// </param>
    public TransactionLog(long invoked) => Invoked = invoked;

    /// <summary>When the transaction was invoked (0 when unknown).</summary>
    public long Invoked { get; }

    /// <summary>The steps recorded so far, in program order.</summary>
    public IReadOnlyList<MicroOperation> Operations => _operations;

    /// <summary>Records that the attempt read <paramref name="key"/> and observed <paramref name="observed"/>.</summary>
    /// <param name="key">The key read.</param>
    /// <param name="observed">The whole list observed; it is copied.</param>
    /// <exception cref="ArgumentNullException"><paramref name="observed"/> is null.</exception>
    public void Read(int key, IEnumerable<int> observed) => _operations.Add(MicroOperation.Read(key, observed));

    /// <summary>Records that the attempt appended <paramref name="element"/> to <paramref name="key"/>.</summary>
    /// <param name="key">The key appended to.</param>
    /// <param name="element">The element; must be unique in the whole history.</param>
    public void Append(int key, int element) => _operations.Add(MicroOperation.Append(key, element));
}
