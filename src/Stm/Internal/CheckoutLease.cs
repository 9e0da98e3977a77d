using System.Collections.Concurrent;
using System.Diagnostics;

namespace Stm.Internal;

/// <summary>
/// Lends a checkout its transaction, and gets the transaction's snapshot slot back if the checkout is
/// lost without being completed. Leases are reused: a returned lease goes to the calling thread's
/// spare or to a shared pool, so a checkout allocates only itself.
/// </summary>
/// <remarks>
/// <para>The finalizer lives here rather than on <see cref="Checkout"/> so that it is registered once
/// per lease, not once per checkout: a lease is never suppressed while it is reused, so renting one
/// costs no finalization-queue work. Only the checkout references a lease while it is lent (the
/// transaction's snapshot slot references the transaction, never the lease), so a lost checkout makes
/// its lease unreachable and the finalizer withdraws the snapshot.</para>
/// <para>Invariant: a lease is lent to at most one checkout, and a lent lease is in neither the pool
/// nor a thread's spare.</para>
/// </remarks>
internal sealed class CheckoutLease
{
    /// <summary>How many idle leases the shared pool keeps (each keeps its transaction's logs and snapshot slot).</summary>
    private const int PoolSize = 64;

    /// <summary>Idle leases returned on threads whose spare was taken.</summary>
    private static readonly ConcurrentQueue<CheckoutLease> s_pool = new();

    /// <summary>How many leases <see cref="s_pool"/> holds (its own Count is not constant-time).</summary>
    private static int s_poolCount;

    /// <summary>The calling thread's idle lease: a checkout made and completed on one thread touches no shared state to get it.</summary>
    [ThreadStatic]
    private static CheckoutLease? t_spare;

    /// <summary>True while a checkout holds the lease; read by the finalizer only once nothing else can reach the lease.</summary>
    private bool _lent;

    private CheckoutLease() => Transaction = Transaction.CreateForCheckout();

    /// <summary>
    /// Withdraws the snapshot of a checkout lost without being completed (no handlers run), or gives
    /// back the slot of an idle lease dropped with a thread's spare.
    /// </summary>
    ~CheckoutLease()
    {
        if (_lent)
        {
            Transaction.AbandonLostCheckout();
        }
        else
        {
            Transaction.ReleaseCheckoutSlotFromFinalizer();
        }
    }

    /// <summary>The transaction lent with the lease; nothing reads it once the lease is returned.</summary>
    internal Transaction Transaction { get; }

    /// <summary>Lends an idle lease (the thread's spare, a pooled one, or a new one) and starts its transaction.</summary>
    /// <returns>The lease, lent, with its transaction's snapshot published.</returns>
    internal static CheckoutLease Rent()
    {
        CheckoutLease? lease = t_spare;
        if (lease is not null)
        {
            t_spare = null;
        }
        else if (s_pool.TryDequeue(out lease))
        {
            Interlocked.Decrement(ref s_poolCount);
        }
        else
        {
            lease = new CheckoutLease();
        }

        Debug.Assert(!lease._lent, "an idle lease is lent to nobody");
        lease._lent = true;
        lease.Transaction.BeginCheckout();
        return lease;
    }

    /// <summary>Takes back a lease whose checkout has completed (its transaction ended).</summary>
    internal void Return()
    {
        Debug.Assert(_lent, "only a lent lease comes back");
        _lent = false;
        if (t_spare is null)
        {
            t_spare = this;
            return;
        }

        if (Interlocked.Increment(ref s_poolCount) <= PoolSize)
        {
            s_pool.Enqueue(this);
            return;
        }

        // Enough are kept: this one goes, and gives its slot back now rather than at finalization.
        Interlocked.Decrement(ref s_poolCount);
        Transaction.ReleaseCheckoutSlot();
#pragma warning disable CA1816 // the slot is given back here, so the finalizer has nothing left to do
        GC.SuppressFinalize(this);
#pragma warning restore CA1816
    }
}
