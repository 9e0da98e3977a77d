using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Stm.Internal;

/// <summary>
/// Writes and commutes of TVars inside a transaction, buffered in the <see cref="WriteSet"/> until
/// the commit publishes them; and reads of a TVar the attempt has written, which see the pending value.
/// </summary>
/// <remarks>
/// Owns no fields: the write log keeps its own invariants (see <see cref="WriteSet"/>). What this part
/// guarantees: no TVar is accessed while a signal is pending (the access throws it again) or while
/// the attempt commits (a commute function may not touch TVars); and an attempt that has read a stale
/// version never writes (see <see cref="StartWriting"/>).
/// </remarks>
internal sealed partial class Transaction
{
    /// <summary>Writes <paramref name="value"/> to <paramref name="var"/> in this attempt.</summary>
    internal void Write<T>(TVar<T> var, T value)
    {
        Debug.Assert(_attemptActive, "TVars are written only inside an active attempt");
        if (_pendingSignal != PendingSignal.None || _committing)
        {
            ThrowCannotAccess();
        }

        // One read of the field: the JIT then knows the write set is not null after the first call.
        WriteSet writes = _writes;
        int index = writes.IndexOf(var);
        if (index >= 0)
        {
            writes.SetPendingValue(index, value);
            return;
        }

        StartWriting(var);
        writes.Add(var, new VersionNode<T> { Value = value }, commutes: null);
    }

    /// <summary>
    /// Records a commutative update of <paramref name="var"/>, applied at commit to the newest
    /// committed value (or at once to a pending value this attempt wrote).
    /// </summary>
    internal void Commute<T>(TVar<T> var, Func<T, T> update)
    {
        Debug.Assert(_attemptActive, "TVars are written only inside an active attempt");
        if (_pendingSignal != PendingSignal.None || _committing)
        {
            ThrowCannotAccess();
        }

        int index = _writes.IndexOf(var);
        if (index < 0)
        {
            StartWriting(var);
            if (TestHooks.Enabled && TestHooks.CommuteOnSnapshotValue)
            {
                // Planted commute bug: apply it now to the snapshot's value (not recorded as a read),
                // and commit the result as a plain write over whatever lands meanwhile.
                _writes.Add(var, new VersionNode<T> { Value = update(ReadVersion(var).Value) }, commutes: null);
                return;
            }

            _writes.Add(var, new VersionNode<T>(), update);
            return;
        }

        ref WriteEntry entry = ref _writes[index];
        if (entry.Commutes is null)
        {
            // An ordinary pending write: its value is known, so apply the update to it directly.
            // (User code runs here and may grow the write set: look the entry up again afterwards.)
            T next = update(Unsafe.As<VersionNode<T>>(entry.Node).Value);
            _writes.SetPendingValue(_writes.IndexOf(var), next);
            return;
        }

        _writes.AppendCommute(index, update);
    }

    /// <summary>
    /// Before the first write: an attempt that has read a stale version can never commit an update
    /// (validation would fail), so abort now rather than run the rest of the body for nothing.
    /// </summary>
    private void StartWriting(ITVar var)
    {
        if (_readStale && _writes.Count == 0)
        {
            throw Conflict(var);
        }
    }

    /// <summary>Reads a TVar this attempt has written: its pending value, or its commutes turned into an ordinary read and write.</summary>
    private T ReadOwnWrite<T>(TVar<T> var, int index)
    {
        ref WriteEntry entry = ref _writes[index];
        object? commutes = entry.Commutes;
        if (commutes is null)
        {
            return Unsafe.As<VersionNode<T>>(entry.Node).Value;
        }

        VersionNode<T> version = ReadVersion(var);
        _reads.Add(var, version);
        T value = CommuteList<T>.Apply(commutes, version.Value);
        _writes.SetPendingValue(_writes.IndexOf(var), value);
        return value;
    }

    /// <summary>Throws why a TVar cannot be accessed now: the attempt is committing, or a signal is pending.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowCannotAccess()
    {
        if (_committing)
        {
            ThrowHelper.ThrowTVarAccessDuringCommit();
        }

        ThrowPendingSignal();
    }
}
