namespace Stm.Testing.History;

/// <summary>
/// Collects the transactions of a list-append history from many threads at once. Thread-safe.
/// Ids are given in the order transactions are recorded, starting at 1.
/// </summary>
/// <example>
/// <code>
/// Atomic.Run(() =>
/// {
///     var log = new TransactionLog();            // a new log for every attempt
///     var list = registers[1].Value;
///     log.Read(1, list);
///     registers[1].Value = list.Add(element);
///     log.Append(1, element);
///     Atomic.AfterCommit(() => recorder.Record(log, TransactionOutcome.Committed));
/// });
/// var report = recorder.CheckSerializable();
/// </code>
/// </example>
public sealed class HistoryRecorder
{
    /// <summary>Guards <see cref="_transactions"/>; recording is rare next to the work it records.</summary>
    private readonly Lock _lock = new();

    /// <summary>Every recorded transaction, in id order (index = id - 1).</summary>
    private readonly List<RecordedTransaction> _transactions = [];

    /// <summary>The number of transactions recorded so far.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _transactions.Count;
            }
        }
    }

    /// <summary>Records a transaction from its log; when the log has an invocation time, stamps the completion time now.</summary>
    /// <param name="log">The steps of the attempt; copied, so the log may be reused afterwards.</param>
    /// <param name="outcome">Whether the attempt committed.</param>
    /// <returns>The id given to the transaction.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="log"/> is null.</exception>
    public int Record(TransactionLog log, TransactionOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(log);
        var completed = log.Invoked == 0 ? 0 : Now();
        var steps = log.Operations.ToArray();
        lock (_lock)
        {
            var id = _transactions.Count + 1;
            _transactions.Add(new RecordedTransaction(id, outcome, steps, log.Invoked, completed));
            return id;
        }
    }

    /// <summary>
    /// The current time of the monotonic clock used for real-time bounds
    /// (<see cref="System.Diagnostics.Stopwatch.GetTimestamp"/>). Take it before calling
    /// <c>Atomic.Run</c> and pass it to <see cref="TransactionLog(long)"/>; <see cref="Record(TransactionLog, TransactionOutcome)"/>
    /// (called from <c>AfterCommit</c>) stamps the completion.
    /// </summary>
    /// <returns>The timestamp; never 0.</returns>
    public static long Now() => Math.Max(1, System.Diagnostics.Stopwatch.GetTimestamp());

    /// <summary>Records a transaction from its steps.</summary>
    /// <param name="outcome">Whether it committed.</param>
    /// <param name="operations">Its steps in program order; copied.</param>
    /// <returns>The id given to the transaction.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="operations"/> is null or holds null.</exception>
    public int Record(TransactionOutcome outcome, params IEnumerable<MicroOperation> operations)
    {
        ArgumentNullException.ThrowIfNull(operations);
        var steps = operations.ToArray();
        lock (_lock)
        {
            var id = _transactions.Count + 1;
            _transactions.Add(new RecordedTransaction(id, outcome, steps));
            return id;
        }
    }

    /// <summary>Records a committed transaction from its steps.</summary>
    /// <param name="operations">Its steps in program order; copied.</param>
    /// <returns>The id given to the transaction.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="operations"/> is null or holds null.</exception>
    public int RecordCommitted(params IEnumerable<MicroOperation> operations) =>
        Record(TransactionOutcome.Committed, operations);

    /// <summary>Returns a snapshot of the transactions recorded so far, in id order.</summary>
    /// <returns>The snapshot.</returns>
    public IReadOnlyList<RecordedTransaction> Snapshot()
    {
        lock (_lock)
        {
            return [.. _transactions];
        }
    }

    /// <summary>Checks the transactions recorded so far with <see cref="SerializabilityChecker.Check"/>.</summary>
    /// <param name="checkAbortedReads">Also check the reads of aborted transactions (opacity); see <see cref="SerializabilityChecker.Check"/>.</param>
    /// <param name="checkRealTime">Also order transactions by real time (strict serializability); see <see cref="SerializabilityChecker.Check"/>.</param>
    /// <returns>The report.</returns>
    public SerializabilityReport CheckSerializable(bool checkAbortedReads = false, bool checkRealTime = false) =>
        SerializabilityChecker.Check(Snapshot(), checkAbortedReads, checkRealTime);
}
