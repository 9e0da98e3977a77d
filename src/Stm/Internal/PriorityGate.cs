namespace Stm.Internal;

/// <summary>
/// Contention management: a transaction that keeps losing (aborted or woken without success too
/// often) takes this token, and until it commits or waits, every other update commit waits before
/// taking its locks. So it meets at most the commits already under way, and then commits.
/// </summary>
/// <remarks>
/// The owner releases the token before it parks in Retry (it would otherwise wait for commits it
/// blocks) and when its run ends in any way. Read-only commits never wait: they cannot hurt it.
/// </remarks>
internal static class PriorityGate
{
    private static Transaction? s_owner;

    /// <summary>Waits until no other transaction holds the token, then takes it.</summary>
    internal static void Acquire(Transaction transaction)
    {
        SpinWait spin = default;
        while (Interlocked.CompareExchange(ref s_owner, transaction, null) is { } owner && owner != transaction)
        {
            spin.SpinOnce();
        }
    }

    internal static void Release(Transaction transaction) =>
        Interlocked.CompareExchange(ref s_owner, null, transaction);

    /// <summary>Waits while another transaction holds the token (one shared read when nobody does).</summary>
    internal static void WaitForTurn(Transaction transaction)
    {
        Transaction? owner = Volatile.Read(ref s_owner);
        if (owner is null || owner == transaction)
        {
            return;
        }

        SpinWait spin = default;
        while ((owner = Volatile.Read(ref s_owner)) is not null && owner != transaction)
        {
            spin.SpinOnce();
        }
    }
}
