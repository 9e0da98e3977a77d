namespace Stm.Internal;

/// <summary>What the transactions run by one transaction object did (see <see cref="TransactionStatistics"/>).</summary>
internal struct TransactionCounters
{
    internal long Commits;
    internal long Conflicts;
    internal long Retries;
    internal long Attempts;

    /// <summary>Commits that took TVar locks (the rest committed alone; see <c>Transaction.TryCommitSole</c>).</summary>
    internal long LockingCommits;

    internal void Add(in TransactionCounters other)
    {
        Commits += other.Commits;
        Conflicts += other.Conflicts;
        Retries += other.Retries;
        Attempts += other.Attempts;
        LockingCommits += other.LockingCommits;
    }
}
