using System.Runtime.CompilerServices;

namespace Stm.Internal;

/// <summary>Reads and writes of TVars inside a transaction.</summary>
internal sealed partial class Transaction
{
    /// <summary>
    /// A read-only-so-far attempt that meets a version newer than its snapshot tries to move its
    /// snapshot forward (so a later write can still commit) only while it has read at most this
    /// many TVars; beyond that, re-validating on every such read would make long scans quadratic,
    /// and it reads the older version instead.
    /// </summary>
    private const int MaxReadsToExtendWhileReadOnly = 64;

    /// <summary>
    /// Reads <paramref name="var"/> in this attempt. The common case (nothing written yet, the TVar
    /// unlocked, its newest version inside the snapshot) is inlined into <see cref="TVar{T}.Read"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal T Read<T>(TVar<T> var)
    {
        // Lock owner before version: see ReadVersion for why this order makes the shortcut safe.
        if (_writes.Count == 0 && _pendingSignal == PendingSignal.None && !var.IsLocked)
        {
            VersionNode<T> newest = var.Current;
            if (newest.Stamp <= _readVersion)
            {
                _reads.Add(var, newest);
                return newest.Value;
            }
        }

        return ReadSlow(var);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private T ReadSlow<T>(TVar<T> var)
    {
        if (_pendingSignal != PendingSignal.None || _committing)
        {
            ThrowCannotAccess();
        }

        if (_writes.Count != 0)
        {
            int index = _writes.IndexOf(var);
            if (index >= 0)
            {
                return ReadOwnWrite(var, index);
            }
        }

        VersionNode<T> version = ReadVersion(var);
        _reads.Add(var, version);
        return version.Value;
    }

    internal void Write<T>(TVar<T> var, T value)
    {
        if (_pendingSignal != PendingSignal.None || _committing)
        {
            ThrowCannotAccess();
        }

        int index = _writes.IndexOf(var);
        if (index >= 0)
        {
            SetPendingValue(index, value);
            return;
        }

        StartWriting(var);
        _writes.Add(var, new VersionNode<T> { Value = value }, null, _depth);
    }

    internal void Commute<T>(TVar<T> var, Func<T, T> update)
    {
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
                _writes.Add(var, new VersionNode<T> { Value = update(ReadVersion(var).Value) }, null, _depth);
                return;
            }

            _writes.Add(var, new VersionNode<T>(), update, _depth);
            return;
        }

        ref WriteEntry entry = ref _writes[index];
        if (entry.Commutes is null)
        {
            // An ordinary pending write: its value is known, so apply the update to it directly.
            // (User code runs here and may grow the write set: look the entry up again afterwards.)
            T next = update(Unsafe.As<VersionNode<T>>(entry.Node).Value);
            SetPendingValue(_writes.IndexOf(var), next);
            return;
        }

        if (entry.Scope != _depth)
        {
            SaveUndo(index);
            entry.Commutes = CommuteList<T>.Append(entry.Commutes, update, shareable: false);
            entry.Scope = _depth;
        }
        else
        {
            entry.Commutes = CommuteList<T>.Append(entry.Commutes, update, shareable: true);
        }
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

    /// <summary>Replaces the pending value of entry <paramref name="index"/>, copying it first if an outer scope owns it.</summary>
    private void SetPendingValue<T>(int index, T value)
    {
        ref WriteEntry entry = ref _writes[index];
        if (entry.Scope == _depth)
        {
            Unsafe.As<VersionNode<T>>(entry.Node).Value = value;
            entry.Commutes = null;
            return;
        }

        SaveUndo(index);
        entry.Node = new VersionNode<T> { Value = value };
        entry.Commutes = null;
        entry.Scope = _depth;
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
        SetPendingValue(_writes.IndexOf(var), value);
        return value;
    }

    /// <summary>
    /// Returns the version of <paramref name="var"/> in this attempt's snapshot: the newest one whose
    /// stamp is at or below the read version.
    /// </summary>
    private VersionNode<T> ReadVersion<T>(TVar<T> var)
    {
        SpinWait spin = default;
        while (true)
        {
            // A committer that holds the lock and has a stamp inside our snapshot has committed as far
            // as the snapshot is concerned, but may not have published this TVar yet: wait for it (it
            // is a few instructions from publishing and never blocks). A committer without a stamp yet
            // will get one above our snapshot, so its version does not concern us.
            if (TVarState.Of(var).IsHeldByCommitAtOrBelow(_lockId, _readVersion))
            {
                spin.SpinOnce(sleep1Threshold: -1);
                continue;
            }

            VersionNode<T> newest = var.Current;
            if (newest.Stamp <= _readVersion)
            {
                return newest;
            }

            if (TestHooks.Enabled && TestHooks.ReadPastSnapshot)
            {
                // Planted opacity bug: a version from after the snapshot, with the earlier reads unchecked.
                return newest;
            }

            if (TryExtendSnapshot())
            {
                continue;
            }

            if (_writes.Count != 0)
            {
                // An update must read the newest versions to commit; this one cannot.
                throw Conflict(var);
            }

            VersionNode? older = ReadOlderVersion(newest);
            if (older is null)
            {
                // The snapshot's version is no longer kept (a committer's scan can miss a snapshot
                // published a moment before it): never read a wrong version, start over instead.
                throw Conflict(var);
            }

            _readStale = true;
            return Unsafe.As<VersionNode<T>>(older);
        }
    }

    /// <summary>
    /// Walks the chain below <paramref name="newest"/> (whose stamp is above the snapshot) to the
    /// version this snapshot reads: the first node with a stamp at or below the read version.
    /// Returns null if that version is no longer kept: the chain ends, or the walk stops at a
    /// <see cref="VersionGap"/> left where the version was unlinked.
    /// </summary>
    private VersionNode? ReadOlderVersion(VersionNode newest)
    {
        VersionNode? node = Volatile.Read(ref newest.Older);
        while (node is not null && node.Stamp > _readVersion)
        {
            node = Volatile.Read(ref node.Older);
        }

        return node is VersionGap ? null : node;
    }

    /// <summary>
    /// Moves the snapshot forward to now if everything read so far is still the newest version
    /// (LSA-style extension), so the attempt can read the newest version and still commit.
    /// </summary>
    private bool TryExtendSnapshot() =>
        !_readStale
        && (_writes.Count != 0 || _reads.Count <= MaxReadsToExtendWhileReadOnly)
        && TryMoveSnapshotToNow(out _);

    /// <summary>
    /// Moves the read version to the clock as it is now if everything read so far is still the
    /// newest version there. Returns false, naming the changed TVar, otherwise. Shared by reads that meet a newer version and by a commit whose
    /// clock has moved (see <see cref="TryCommitSole"/>).
    /// </summary>
    /// <remarks>
    /// Settled: a version a sole commit is publishing has a stamp above the odd clock; a read would
    /// extend again and again until it is released, and a commit could not take the clock from an
    /// odd value anyway.
    /// </remarks>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool TryMoveSnapshotToNow(out ITVar? conflict)
    {
        long now = VersionClock.NowSettled;
        if (!_reads.IsValidAt(this, now, out conflict))
        {
            return false;
        }

        // Publish the moved snapshot before reading at it: committers keep only the versions the
        // published snapshots read (see VersionRetention), and ours are now the ones at `now`.
        _slot.MoveTo(now);
        _readVersion = now;
        return true;
    }

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
