using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
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
    /// All of the TVar's state (newest version, commit lock, wait list, id, name). The only field,
    /// so the engine can reach it for a TVar of any value type without an interface call (see
    /// <see cref="TVarState.Of"/>).
    /// </summary>
    private TVarState _state;

    /// <summary>Creates a TVar holding <paramref name="initialValue"/>. May be called inside or outside a transaction.</summary>
    /// <remarks>
    /// A TVar created with the default value of <typeparamref name="T"/> shares its initial version
    /// with every other such TVar, so creating it allocates only the TVar itself: structures that
    /// create a TVar per operation (the empty cell at the end of a linked queue) or many at once
    /// (the slots of an array or a hash trie) pay for nothing else.
    /// </remarks>
    /// <param name="initialValue">The initial value, visible to every transaction.</param>
    /// <param name="name">An optional name shown in diagnostics and conflict metrics.</param>
    public TVar(T initialValue, string? name = null)
        : this(IsDefault(ref initialValue) ? VersionNode<T>.SharedDefault : new VersionNode<T> { Value = initialValue }, name)
    {
    }

    private TVar(VersionNode<T> initialVersion, string? name)
    {
        _state.Current = initialVersion;
        _state.Id = TVarIds.Next();
        _state.Name = name;
    }

    /// <summary>The name given at construction, shown in diagnostics and conflict reports; may be null.</summary>
    public string? Name => _state.Name;

    /// <summary>
    /// Inside a transaction, the transactional read or write of this TVar. Outside one, the getter is
    /// a single atomic read of the newest committed value, and the setter throws: <c>x.Value++</c> or
    /// <c>x.Value += n</c> there would be a read and a write in two separate transactions, silently
    /// losing concurrent updates.
    /// </summary>
    /// <exception cref="InvalidOperationException">Set outside a transaction (nothing is written):
    /// use <c>Atomic.Run(() =&gt; x.Value++)</c>, <see cref="Modify"/>, or <see cref="Write"/> for a plain store.</exception>
    public T Value
    {
        get => Read();
        set
        {
            Transaction transaction = Transaction.Current ?? ThrowHelper.ThrowValueSetOutsideTransaction(_state.Name);
            transaction.Write(this, value);
        }
    }

    /// <summary>Reads the value: the same as the <see cref="Value"/> getter. Inside or outside a transaction; never blocks.</summary>
    /// <returns>The value this transaction sees, or outside a transaction the newest committed value.</returns>
    public T Read()
    {
        Transaction? transaction = Transaction.Current;
        return transaction is null ? ReadCommitted() : transaction.Read(this);
    }

    /// <summary>Writes the value: inside a transaction the same as the <see cref="Value"/> setter; outside one, a single atomic committed store. Never blocks.</summary>
    /// <param name="value">The new value.</param>
    public void Write(T value)
    {
        Transaction? transaction = Transaction.GetCurrent(out Transaction? threadTransaction);
        if (transaction is null)
        {
            Transaction.WriteOutside(this, value, threadTransaction);
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
        Transaction? transaction = Transaction.GetCurrent(out Transaction? threadTransaction);
        if (transaction is null)
        {
            var body = new ModifyBody<T>(this, update);
            Transaction.Run<ModifyBody<T>, T>(ref body, long.MaxValue, threadTransaction, CancellationToken.None, out T result);
            return result;
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
        Transaction? transaction = Transaction.GetCurrent(out Transaction? threadTransaction);
        if (transaction is null)
        {
            var body = new SwapBody<T>(this, value);
            Transaction.Run<SwapBody<T>, T>(ref body, long.MaxValue, threadTransaction, CancellationToken.None, out T swappedOut);
            return swappedOut;
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
        Transaction? transaction = Transaction.GetCurrent(out Transaction? threadTransaction);
        if (transaction is null)
        {
            var body = new CompareAndSwapBody<T>(this, expected, value);
            Transaction.Run<CompareAndSwapBody<T>, bool>(ref body, long.MaxValue, threadTransaction, CancellationToken.None, out bool swapped);
            return swapped;
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
        Transaction? transaction = Transaction.GetCurrent(out Transaction? threadTransaction);
        if (transaction is null)
        {
            var body = new CommuteBody<T>(this, update);
            Transaction.Run<CommuteBody<T>, byte>(ref body, long.MaxValue, threadTransaction, CancellationToken.None, out _);
            return;
        }

        transaction.Commute(this, update);
    }

    /// <summary>Returns the name and newest committed value; never starts a transaction.</summary>
    /// <returns>A diagnostic string.</returns>
    public override string ToString() => DebuggerDisplay;

    private string DebuggerDisplay => $"TVar {(_state.Name ?? "(unnamed)")} = {Current.Value}";

    /// <summary>The newest committed version.</summary>
    internal VersionNode<T> Current
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Unsafe.As<VersionNode<T>>(_state.CurrentVersion);
    }

    /// <summary>True while a committer holds the commit lock.</summary>
    internal bool IsLocked
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _state.IsLocked;
    }

    /// <summary>The wait list of transactions parked in Retry on this TVar, or null if none ever parked (tests and diagnostics).</summary>
    internal WaitList? WaitList => Volatile.Read(ref _state.WaitList);

    /// <summary>How many versions this TVar keeps right now (diagnostics and tests).</summary>
    internal int VersionCount
    {
        get
        {
            int count = 0;
            for (VersionNode? node = _state.CurrentVersion; node is not null; node = node.Older)
            {
                if (node is not VersionGap)
                {
                    count++;
                }
            }

            return count;
        }
    }

    /// <summary>
    /// Whether <paramref name="value"/> is <c>default(T)</c> bit for bit (null, or every byte zero),
    /// so that the shared default version holds exactly the same value. Compares bits rather than
    /// calling Equals, which a type may define so that a different value equals its default; a value
    /// with non-zero padding is merely not shared.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsDefault(ref T value)
    {
        if (!typeof(T).IsValueType)
        {
            return value is null;
        }

        return MemoryMarshal.CreateReadOnlySpan(ref Unsafe.As<T, byte>(ref value), Unsafe.SizeOf<T>()).IndexOfAnyExcept((byte)0) < 0;
    }

    /// <summary>
    /// A read outside any transaction: the newest committed value. A commit that has taken its stamp
    /// but not yet published this TVar has already happened, so wait for it (it is a few
    /// instructions away); one that holds the lock without a stamp has not happened yet. The same
    /// check as a snapshot read's, with no snapshot bound and no lock of our own (lock ids start at 1).
    /// A sole commit locks nothing: wait while one publishes, or this read could see one of its
    /// TVars new and a later read another one old.
    /// </summary>
    private T ReadCommitted()
    {
        VersionClock.WaitForSoleCommit();
        SpinWait spin = default;
        while (_state.IsHeldByCommitAtOrBelow(selfLockId: 0, long.MaxValue))
        {
            spin.SpinOnce(sleep1Threshold: -1);
        }

        return Current.Value;
    }

    void ITVar.ApplyCommutes(VersionNode pendingNode, object commutes)
    {
        VersionNode<T> node = Unsafe.As<VersionNode<T>>(pendingNode);
        node.Value = CommuteList<T>.Apply(commutes, Current.Value);
    }
}
