namespace Stm.Testing.History;

/// <summary>
/// Checks a list-append history for serializability in the style of Jepsen's Elle: it recovers
/// each key's version order from the longest list observed, infers write-write, write-read and
/// read-write dependencies between committed transactions, finds the cycles of that graph and
/// names every anomaly (G0, G1a, G1b, G1c, G-single, G2, lost update, dirty read, fractured read,
/// incompatible order, duplicate element, internal inconsistency) with the transactions involved.
/// </summary>
/// <remarks>
/// Every appended element must be unique in the history, so that each observed list tells which
/// transaction wrote each of its versions. An append that no read observed is known only to come
/// after the longest observed list; end a history with a transaction that reads every key to
/// make the whole version order known.
/// </remarks>
public static class SerializabilityChecker
{
    /// <summary>Checks a history.</summary>
    /// <param name="transactions">The recorded transactions; ids must be unique.</param>
    /// <param name="checkAbortedReads">
    /// When <see langword="true"/>, the reads of aborted transactions must be consistent too
    /// (opacity): each aborted transaction joins the graph as a read-only transaction (its appends
    /// are dropped), so an aborted attempt that saw an inconsistent snapshot produces a cycle, and
    /// its reads are checked for dirty, intermediate, fractured and out-of-order reads.
    /// </param>
    /// <param name="checkRealTime">
    /// When <see langword="true"/>, committed transactions with real-time bounds
    /// (<see cref="RecordedTransaction.Invoked"/>, <see cref="RecordedTransaction.Completed"/>) are
    /// also ordered by real time: one that completed before another was invoked must precede it
    /// (strict serializability); a cycle through such an edge is reported as <see cref="AnomalyKind.RealTime"/>.
    /// </param>
    /// <returns>The report; <see cref="SerializabilityReport.IsSerializable"/> when nothing was found.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="transactions"/> is null or holds null.</exception>
    /// <exception cref="ArgumentException">Two transactions have the same id.</exception>
    public static SerializabilityReport Check(IEnumerable<RecordedTransaction> transactions, bool checkAbortedReads = false, bool checkRealTime = false)
    {
        ArgumentNullException.ThrowIfNull(transactions);
        var list = transactions.ToArray();
        var ids = new HashSet<int>();
        foreach (var transaction in list)
        {
            if (transaction is null)
            {
                throw new ArgumentNullException(nameof(transactions), "The history must not contain null.");
            }

            if (!ids.Add(transaction.Id))
            {
                throw new ArgumentException($"Two transactions have the id {transaction.Id}; give every transaction its own id.", nameof(transactions));
            }
        }

        return new ListAppendAnalysis(list, checkAbortedReads, checkRealTime).Run();
    }
}
