using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Stm.Internal;

/// <summary>
/// The attempt's snapshot and the reads made in it: each read returns the newest version of the
/// TVar with a stamp at or below the read version, and is logged in the <see cref="ReadSet"/>.
/// </summary>
/// <remarks>
/// <para>Owns <see cref="_slot"/> and <see cref="_lockId"/> (set once, by the constructor),
/// <see cref="_readVersion"/> and <see cref="_readStale"/>. Invariants (checked with
/// <c>Debug.Assert</c> in Debug builds):</para>
/// <list type="bullet">
/// <item>The read version is a value the clock has shown, so it is never ahead of the clock, except by
/// one while the <see cref="VersionReclaimer"/> has paused it (snapshots taken meanwhile read at the
/// odd value above the stamp it resumes at). It moves only to the clock as it is now, once every read
/// so far is still the newest version there.</item>
/// <item>While the attempt reads, the slot publishes exactly the read version, so committers keep
/// the versions it reads (see <see cref="VersionRetention"/>); the slot is published before the
/// attempt reads at a new version, and withdrawn once it reads nothing more.</item>
/// <item>A stale read (a version older than the newest) is only ever made by an attempt that has
/// written nothing, and such an attempt never writes afterwards (it could not commit): the attempt
/// conflicts instead.</item>
/// </list>
/// </remarks>
internal sealed partial class Transaction
{
    /// <summary>
    /// A read-only-so-far attempt that meets a version newer than its snapshot tries to move its
    /// snapshot forward (so a later write can still commit) only while it has read at most this
    /// many TVars; beyond that, re-validating on every such read would make long scans quadratic,
    /// and it reads the older version instead.
    /// </summary>
    private const int MaxReadsToExtendWhileReadOnly = 64;

    /// <summary>The published snapshot that keeps the versions this transaction may read alive.</summary>
    private readonly SnapshotSlot _slot;

    /// <summary>What the lock word of a TVar this transaction has locked holds (see <see cref="SnapshotSlot.LockId"/>).</summary>
    private readonly int _lockId;

    /// <summary>The snapshot this attempt reads: the newest version with a stamp at or below it.</summary>
    private long _readVersion;

    /// <summary>Some read returned a version older than the newest: the attempt can commit only if it stays read-only.</summary>
    private bool _readStale;

    /// <summary>What the lock word of a TVar holds while this transaction has it locked.</summary>
    internal int LockId => _lockId;

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

    /// <summary>The rest of <see cref="Read"/>: a pending signal, a TVar this attempt wrote, or a version to look for.</summary>
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

    /// <summary>Publishes the snapshot of a new attempt: the clock as it is now.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void OpenSnapshot()
    {
        long readVersion = _slot.Enter();
        _readVersion = readVersion;
        _readStale = false;

        // Odd: a hardware snapshot (or, rarely, a counter held by a sole commit).
        if ((readVersion & 1) != 0 && VersionClock.UsesHardware)
        {
            NoteHardwareSnapshot();
        }
    }

    /// <summary>Withdraws the snapshot at the end of an attempt, and lets the reclaimer free what an old one pinned.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void CloseSnapshot()
    {
        _slot.Exit();
        VersionReclaimer.SnapshotClosed(_readVersion);
    }

    /// <summary>
    /// Withdraws the snapshot before a commit publishes: nothing more is read, and our own snapshot
    /// must not keep the versions we replace.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void StopPinningVersions() => _slot.Exit();

    /// <summary>
    /// Returns the version of <paramref name="var"/> in this attempt's snapshot: the newest one whose
    /// stamp is at or below the read version, moving the snapshot forward if it can. Throws the
    /// conflict signal if no version can be read that would let the attempt commit.
    /// </summary>
    private VersionNode<T> ReadVersion<T>(TVar<T> var)
    {
        Debug.Assert(IsNotAheadOfClock(_readVersion) && _slot.Snapshot == _readVersion, "the snapshot is published and not ahead of the clock");
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

            return ReadOlderVersion(var, newest);
        }
    }

    /// <summary>
    /// For a read that met a version newer than the snapshot, which cannot move: the older version
    /// the snapshot reads. Only a read-only attempt may take it; an update conflicts.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private VersionNode<T> ReadOlderVersion<T>(TVar<T> var, VersionNode<T> newest)
    {
        if (_writes.Count != 0)
        {
            // An update must read the newest versions to commit; this one cannot.
            throw Conflict(var);
        }

        VersionNode? older = FindVersionBelow(newest);
        if (older is null)
        {
            // The snapshot's version is no longer kept (a committer's scan can miss a snapshot
            // published a moment before it): never read a wrong version, start over instead.
            throw Conflict(var);
        }

        _readStale = true;
        return Unsafe.As<VersionNode<T>>(older);
    }

    /// <summary>
    /// Walks the chain below <paramref name="newest"/> (whose stamp is above the snapshot) to the
    /// version this snapshot reads: the first node with a stamp at or below the read version.
    /// Returns null if that version is no longer kept: the chain ends, or the walk stops at a
    /// <see cref="VersionGap"/> left where the version was unlinked.
    /// </summary>
    private VersionNode? FindVersionBelow(VersionNode newest)
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
    /// newest version there. Returns false, naming the changed TVar, otherwise. Shared by reads that
    /// meet a newer version and by a commit whose clock has moved (see <see cref="TryCommitSole"/>).
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

        MoveSnapshotTo(now);
        return true;
    }

    /// <summary>
    /// Moves the snapshot to <paramref name="now"/>, the clock as it is now. The caller has validated
    /// the reads there, except in the planted bug that skips commit validation.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void MoveSnapshotTo(long now)
    {
        Debug.Assert(IsNotAheadOfClock(now) && now + 1 >= _readVersion, "the snapshot moves to the clock, never back past a commit");

        // Publish the moved snapshot before reading at it: committers keep only the versions the
        // published snapshots read (see VersionRetention), and ours are now the ones at `now`.
        _slot.MoveTo(now);
        _readVersion = now;
    }

    /// <summary>
    /// True if <paramref name="readVersion"/> is not ahead of the clock: at most the clock, or one
    /// above it for a snapshot taken while the reclaimer paused the clock (see <see cref="VersionClock.TryPause"/>).
    /// </summary>
    private static bool IsNotAheadOfClock(long readVersion) => readVersion <= VersionClock.Now + 1;
}
