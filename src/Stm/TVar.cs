using System.Diagnostics;
using System.Runtime.CompilerServices;
using Stm.Internal;

namespace Stm;

/// <summary>
/// A transactional variable: a cell whose reads and writes inside <see cref="Atomic.Run(Action)"/>
/// are atomic and isolated, and which outside a transaction behaves as one atomic cell.
/// </summary>
/// <typeparam name="T">
/// The value type. Values should be immutable (records, immutable collections): the library copies
/// references, never deep state.
/// </typeparam>
/// <remarks>
/// Every member may be called inside a transaction (where it takes part in it) or outside one
/// (where it is a single atomic operation that commits at once). No member blocks by itself; only
/// <see cref="Atomic.Retry"/> makes a transaction wait.
/// </remarks>
[DebuggerDisplay("{DebuggerDisplay,nq}")]
public sealed class TVar<T> : ITVar
{
    /// <summary>
    /// The newest committed version. Read with acquire and written with release semantics: a
    /// reader that sees a node also sees its stamp and value.
    /// </summary>
    private VersionNode<T> _current;

    /// <summary>
    /// The transaction that holds this TVar's commit lock while it publishes, or null. A lock is
    /// held only between a committer's lock acquisition and its unlock, never while user code runs
    /// (commute functions excepted), so readers that meet it spin briefly instead of blocking.
    /// </summary>
    private Transaction? _owner;

    /// <summary>The bound of the last walk that cut this TVar's chain (written only under the commit lock).</summary>
    private long _trimmedAt;

    /// <summary>Transactions parked in <see cref="Atomic.Retry"/> after reading this TVar; created on first use.</summary>
    private WaitList? _waitList;

    /// <summary>
    /// While other transactions run, a committer scans the snapshot slots only once the TVar keeps
    /// more versions than this (see <see cref="SnapshotRegistry.OldestActive"/>).
    /// </summary>
    private const int VersionsBeforeScan = 8;

    private readonly long _id;
    private readonly string? _name;

    /// <summary>Creates a TVar holding <paramref name="initialValue"/>. May be called inside or outside a transaction.</summary>
    /// <param name="initialValue">The initial value, visible to every transaction.</param>
    /// <param name="name">An optional name shown in diagnostics and conflict metrics.</param>
    public TVar(T initialValue, string? name = null)
    {
        _current = new VersionNode<T> { Value = initialValue };
        _id = TVarIds.Next();
        _name = name;
    }

    /// <summary>The name given at construction, shown in diagnostics and conflict reports; may be null.</summary>
    public string? Name => _name;

    /// <summary>
    /// Inside a transaction, the transactional read or write of this TVar; outside one, a single atomic
    /// read of the newest committed value, or a single atomic committed write.
    /// </summary>
    public T Value
    {
        get => Read();
        set => Write(value);
    }

    /// <summary>Reads the value: the same as the <see cref="Value"/> getter. Inside or outside a transaction; never blocks.</summary>
    /// <returns>The value this transaction sees, or outside a transaction the newest committed value.</returns>
    public T Read()
    {
        Transaction? transaction = Transaction.Current;
        return transaction is null ? ReadCommitted() : transaction.Read(this);
    }

    /// <summary>Writes the value: the same as the <see cref="Value"/> setter. Inside or outside a transaction; never blocks.</summary>
    /// <param name="value">The new value.</param>
    public void Write(T value)
    {
        Transaction? transaction = Transaction.Current;
        if (transaction is null)
        {
            Transaction.WriteOutside(this, value);
        }
        else
        {
            transaction.Write(this, value);
        }
    }

    /// <summary>
    /// Reads, applies <paramref name="update"/> and writes the result, atomically. Inside or outside a
    /// transaction. <paramref name="update"/> may run several times (on conflict) and must be free of
    /// side effects.
    /// </summary>
    /// <param name="update">Computes the new value from the current one.</param>
    /// <returns>The new value.</returns>
    public T Modify(Func<T, T> update)
    {
        ArgumentNullException.ThrowIfNull(update);
        Transaction? transaction = Transaction.Current;
        if (transaction is null)
        {
            return Atomic.Run(() => Modify(update));
        }

        T next = update(transaction.Read(this));
        transaction.Write(this, next);
        return next;
    }

    /// <summary>Writes <paramref name="value"/> and returns the previous value, atomically. Inside or outside a transaction.</summary>
    /// <param name="value">The new value.</param>
    /// <returns>The value before the write.</returns>
    public T Swap(T value)
    {
        Transaction? transaction = Transaction.Current;
        if (transaction is null)
        {
            return Atomic.Run(() => Swap(value));
        }

        T previous = transaction.Read(this);
        transaction.Write(this, value);
        return previous;
    }

    /// <summary>
    /// Writes <paramref name="value"/> if the current value equals <paramref name="expected"/>
    /// (by <see cref="EqualityComparer{T}.Default"/>), atomically. Inside or outside a transaction.
    /// </summary>
    /// <param name="expected">The value the TVar must hold for the write to happen.</param>
    /// <param name="value">The new value.</param>
    /// <returns>True if the value was written.</returns>
    public bool CompareAndSwap(T expected, T value)
    {
        Transaction? transaction = Transaction.Current;
        if (transaction is null)
        {
            return Atomic.Run(() => CompareAndSwap(expected, value));
        }

        if (!EqualityComparer<T>.Default.Equals(transaction.Read(this), expected))
        {
            return false;
        }

        transaction.Write(this, value);
        return true;
    }

    /// <summary>
    /// Records a commutative update, applied at commit to the newest committed value, so that
    /// concurrent commutes of the same TVar do not conflict (counters, statistics). Reading the TVar
    /// later in the same transaction turns the pending commutes into an ordinary read and write.
    /// Inside or outside a transaction (outside, it is one atomic update). <paramref name="update"/>
    /// may run several times, must be free of side effects, must not touch other TVars, and should
    /// commute with the other updates applied to this TVar.
    /// </summary>
    /// <param name="update">The commutative update.</param>
    public void Commute(Func<T, T> update)
    {
        ArgumentNullException.ThrowIfNull(update);
        Transaction? transaction = Transaction.Current;
        if (transaction is null)
        {
            Atomic.Run(() => Commute(update));
            return;
        }

        transaction.Commute(this, update);
    }

    /// <summary>Returns the name and newest committed value; never starts a transaction.</summary>
    /// <returns>A diagnostic string.</returns>
    public override string ToString() => DebuggerDisplay;

    private string DebuggerDisplay => $"TVar {(_name ?? "(unnamed)")} = {Volatile.Read(ref _current).Value}";

    internal VersionNode<T> Current => Volatile.Read(ref _current);

    internal Transaction? LockOwner => Volatile.Read(ref _owner);

    /// <summary>How many versions this TVar keeps right now (diagnostics and tests).</summary>
    internal int VersionCount
    {
        get
        {
            int count = 0;
            for (VersionNode<T>? node = Current; node is not null; node = node.Older)
            {
                count++;
            }

            return count;
        }
    }

    /// <summary>
    /// A read outside any transaction: the newest committed value. A commit that has taken its stamp
    /// but not yet published this TVar has already happened, so wait for it (it is a few
    /// instructions away); one that holds the lock without a stamp has not happened yet.
    /// </summary>
    private T ReadCommitted()
    {
        SpinWait spin = default;
        while (true)
        {
            Transaction? owner = Volatile.Read(ref _owner);
            if (owner is null || owner.CommitStamp == 0)
            {
                return Volatile.Read(ref _current).Value;
            }

            spin.SpinOnce(sleep1Threshold: -1);
        }
    }

    long ITVar.Id => _id;

    string? ITVar.Name => _name;

    object ITVar.CurrentVersion => Volatile.Read(ref _current);

    Transaction? ITVar.Owner => Volatile.Read(ref _owner);

    WaitList? ITVar.WaitList => Volatile.Read(ref _waitList);

    bool ITVar.TryLock(Transaction owner) => Interlocked.CompareExchange(ref _owner, owner, null) is null;

    void ITVar.Unlock() => Volatile.Write(ref _owner, null);

    void ITVar.ApplyCommutes(object pendingNode, object commutes)
    {
        VersionNode<T> node = Unsafe.As<VersionNode<T>>(pendingNode);
        node.Value = CommuteList<T>.Apply(commutes, Volatile.Read(ref _current).Value);
    }

    void ITVar.Publish(object pendingNode, long stamp)
    {
        VersionNode<T> node = Unsafe.As<VersionNode<T>>(pendingNode);
        VersionNode<T> previous = Volatile.Read(ref _current);
        node.Stamp = stamp;

        // Keep only what a running snapshot may still read: every snapshot at or above `oldest`
        // reads the first version whose stamp is <= its read version, so nothing below the first
        // version with stamp <= oldest can ever be read again. When only `previous` is kept, the
        // cached bound decides whether it can go as well; the slots are scanned only when there is
        // an older chain to cut.
        long oldest = previous.Older is null
            ? SnapshotRegistry.CachedOldest
            : SnapshotRegistry.OldestActive(previous.Stamp, KeepsMoreThan(previous, VersionsBeforeScan));
        if (oldest >= stamp)
        {
            node.Older = null;
        }
        else
        {
            node.Older = previous;
            if (previous.Stamp <= oldest)
            {
                previous.Older = null;
            }
            else if (oldest > _trimmedAt)
            {
                // The bound has risen since this TVar's chain was last cut, but is still below
                // `previous`: walk to the version the oldest snapshot reads and cut below it. (While
                // an old snapshot stays open the bound does not move, so commits do not walk the
                // chain it pins again and again.)
                VersionNode<T> keep = previous;
                while (keep.Stamp > oldest && keep.Older is not null)
                {
                    keep = keep.Older;
                }

                keep.Older = null;
                _trimmedAt = oldest;
            }
        }

        Volatile.Write(ref _current, node);
    }

    /// <summary>True if the chain from <paramref name="node"/> holds more than <paramref name="limit"/> versions (walks at most that far).</summary>
    private static bool KeepsMoreThan(VersionNode<T> node, int limit)
    {
        VersionNode<T>? next = node;
        for (int i = 0; i < limit; i++)
        {
            next = next.Older;
            if (next is null)
            {
                return false;
            }
        }

        return true;
    }

    WaitList ITVar.GetOrCreateWaitList()
    {
        WaitList? list = Volatile.Read(ref _waitList);
        if (list is not null)
        {
            return list;
        }

        Interlocked.CompareExchange(ref _waitList, new WaitList(), null);
        return _waitList!;
    }
}
