using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Stm.Internal;

/// <summary>
/// The commit protocol: an update commits alone when nothing has committed since its snapshot (or
/// its snapshot can move to now), otherwise it locks its written TVars, takes a stamp, validates its
/// reads, applies its commutes and publishes; either way it then wakes the waiters of what it wrote.
/// </summary>
/// <remarks>
/// <para>Owns <see cref="_commitStamp"/>, <see cref="_committing"/> and <see cref="_trimBound"/>.
/// Invariants (checked with <c>Debug.Assert</c> in Debug builds):</para>
/// <list type="bullet">
/// <item>Commit locks are held only inside <see cref="TryCommitLocking"/>: every lock it takes is
/// released before it returns or throws, and no TVar holds this transaction's lock id between attempts.</item>
/// <item>Locks are taken in one global order (strictly increasing TVar id), so committers waiting
/// for each other's locks never form a cycle.</item>
/// <item><see cref="_commitStamp"/> is 0 outside a locking commit; inside, it goes to
/// <see cref="StampAcquiring"/> before the clock is taken and to the stamp right after, so a reader
/// that meets our lock knows whether our versions belong to its snapshot.</item>
/// <item><see cref="_committing"/> is true exactly while the locking commit may run user code (commute
/// functions), which may not touch TVars.</item>
/// <item>Nothing is written to the write log once its versions are published.</item>
/// </list>
/// </remarks>
internal sealed partial class Transaction
{
    /// <summary>The commit stamp of a committer between taking its locks and knowing its stamp.</summary>
    internal const long StampAcquiring = -1;

    /// <summary>How long a committer spins on a TVar it read and another committer has locked before giving up the attempt.</summary>
    private const int LockSpinLimit = 64;

    /// <summary>0, then <see cref="StampAcquiring"/>, then the write stamp while committing; read by other threads.</summary>
    private long _commitStamp;

    /// <summary>Between taking locks and unlocking: TVar access from a commute function is refused.</summary>
    private bool _committing;

    /// <summary>This thread's knowledge of the oldest running snapshot, for cutting version chains at commit.</summary>
    private TrimBound _trimBound;

    /// <summary>True if this transaction is committing with a stamp at or below <paramref name="bound"/>, or is about to know its stamp.</summary>
    internal bool HasStampAtOrBelow(long bound)
    {
        long stamp = Volatile.Read(ref _commitStamp);
        if (stamp == StampAcquiring)
        {
            SpinWait spin = default;
            while ((stamp = Volatile.Read(ref _commitStamp)) == StampAcquiring)
            {
                spin.SpinOnce(sleep1Threshold: -1);
            }
        }

        return stamp > 0 && stamp <= bound;
    }

    /// <summary>
    /// A single write outside any transaction: a one-entry update transaction.
    /// <paramref name="threadTransaction"/> is what <see cref="GetCurrent"/> returned just before.
    /// </summary>
    /// <remarks>
    /// One attempt, with no loop around it: having read nothing, it cannot fail validation, and a
    /// locking commit waits for a lock on a TVar it did not read rather than giving up (see
    /// <see cref="TryLockContended"/>), so its commit always succeeds.
    /// </remarks>
    internal static void WriteOutside<T>(TVar<T> var, T value, Transaction? threadTransaction)
    {
        Transaction transaction = Rent(threadTransaction);
        try
        {
            transaction.Begin();
            transaction._writes.Add(var, new VersionNode<T> { Value = value }, commutes: null);
            bool committed = transaction.TryCommit();
            Debug.Assert(committed, "a write that read nothing always commits");
            transaction.EndAttempt();
            StmMetrics.RecordCommit(ref transaction._counters, attempts: 1);
        }
        finally
        {
            transaction.Return();
        }
    }

    /// <summary>
    /// Tries to commit the attempt. A read-only attempt always can: it read one consistent snapshot.
    /// An update first waits for a priority holder whose TVars it writes (see
    /// <see cref="WaitForPriorityHolder"/>), then commits alone if it can (see <see cref="TryCommitSole"/>),
    /// and otherwise takes locks (see <see cref="TryCommitLocking"/>). Returns false on a conflict.
    /// Exceptions from commute functions propagate with every lock released.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool TryCommit()
    {
        int count = _writes.Count;
        if (count == 0)
        {
            return true;
        }

        Debug.Assert(!_readStale, "an attempt that read a stale version never writes");
        if (ContentionManager.Holder != 0)
        {
            WaitForPriorityHolder(count);
        }

        SoleCommitOutcome sole = TryCommitSole(count);
        return sole == SoleCommitOutcome.Committed
            || (sole == SoleCommitOutcome.NeedsLocks && TryCommitLocking(count));
    }

    /// <summary>
    /// Commits without locking any TVar if the clock still shows this attempt's snapshot: then
    /// nothing has committed since, so the reads are valid without a check, and taking the clock
    /// (<see cref="VersionClock.TryTakeForSoleCommit"/>) keeps every other commit from taking a
    /// stamp until this one has published. If the clock has moved, the snapshot first moves
    /// forward to it when everything read is still current (as a read that meets a newer version
    /// does), so commits of other TVars do not push this one onto the locking path; if something
    /// read has changed, returns <see cref="SoleCommitOutcome.Conflict"/>, since a locking commit's
    /// validation would fail as well. Returns <see cref="SoleCommitOutcome.NeedsLocks"/>, having
    /// published nothing, if the clock moves again before it is taken, a written TVar is locked (a
    /// locking commit may be publishing it under an older stamp), or a write has commutes (user
    /// code must not run while every committer waits).
    /// </summary>
    /// <remarks>
    /// A locking committer that locks one of our TVars after the check cannot publish before us: it
    /// needs a stamp, and the clock is ours or has moved past our read version (then our CAS fails).
    /// It reads the TVar's value (to apply commutes) only after taking its stamp, so it sees ours.
    /// Nothing here may throw: an exception between taking and releasing the clock would stop every
    /// commit in the process (publication and cutting allocate nothing and call no user code).
    /// Waiters need no lock to see us: they re-check the clock after registering (see
    /// <see cref="ReadSet.AllStillCurrent"/>), and our CAS on the clock is the full fence before we
    /// read the wait lists.
    /// </remarks>
    private SoleCommitOutcome TryCommitSole(int count)
    {
        long readVersion = _readVersion;
        long clock = VersionClock.Now;
        if (clock == readVersion)
        {
            NoteClockUnmoved();
        }
        else
        {
            if (VersionClock.IsHardware(clock))
            {
                // On the hardware counter there is no shared clock to take: every commit locks.
                return SoleCommitOutcome.NeedsLocks;
            }

            NoteClockMoved(clock - readVersion);

            // The validation a locking commit would do, done before taking anything. A locking
            // committer that has one of our reads locked but no stamp yet takes one above ours
            // (after we release the clock), so our read serializes before it, as on an unmoved clock.
            if (TestHooks.Enabled && TestHooks.SkipCommitValidation)
            {
                // Planted serializability bug: move the snapshot without checking the reads.
                MoveSnapshotTo(VersionClock.NowSettled);
            }
            else if (!TryMoveSnapshotToNow(out ITVar? conflict))
            {
                NoteConflict(conflict);
                return SoleCommitOutcome.Conflict;
            }

            readVersion = _readVersion;
        }

        if (!CanCommitWithoutLocks(count) || !VersionClock.TryTakeForSoleCommit(readVersion))
        {
            return SoleCommitOutcome.NeedsLocks;
        }

        long stamp = readVersion + VersionClock.StampStep;
        StopPinningVersions();
        for (int i = 0; i < count; i++)
        {
            ref WriteEntry entry = ref _writes[i];
            TVarState.Of(entry.Var).PublishAlone(entry.Node, stamp, ref _trimBound, entry.Var);
        }

        VersionClock.ReleaseSoleCommit(stamp);
        _writes.MarkPublished();

        // No fence needed before reading the wait lists: taking the clock was one.
        WakeWaiters(count);
        return SoleCommitOutcome.Committed;
    }

    /// <summary>True if no write has commutes (user code) and no written TVar is locked by a committer that may be publishing it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool CanCommitWithoutLocks(int count)
    {
        for (int i = 0; i < count; i++)
        {
            ref WriteEntry entry = ref _writes[i];
            if (entry.Commutes is not null || TVarState.Of(entry.Var).IsLocked)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The locking commit of <see cref="TryCommit"/>, for an attempt that could not commit alone:
    /// takes the commit locks of its written TVars in id order, takes a write stamp from the clock,
    /// validates its reads (unless nobody committed since its snapshot), applies commutes, publishes
    /// its version nodes, unlocks, and wakes the waiters of what it wrote. Returns false on a conflict.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool TryCommitLocking(int count)
    {
        if (count > 1)
        {
            _writes.PrepareLockOrder();
        }

        _committing = true;
        int locked = 0;
        try
        {
            if (!TryLockWrites(count, ref locked))
            {
                return false;
            }

            // Validation: every read must still be the newest version just below our stamp. If nobody
            // took a stamp between our snapshot and ours, nothing we read can have changed.
            // A reader whose snapshot is at or above our stamp waits for our locks, so the bound is
            // inclusive: two hardware stamps can be equal, and then each committer must see the other.
            WriteStamp stamp = TakeWriteStamp();
            if (!stamp.FollowsSnapshot
                && !(TestHooks.Enabled && TestHooks.SkipCommitValidation)
                && !_reads.IsValidAt(this, stamp.Value, out ITVar? conflict))
            {
                NoteConflict(conflict);
                return false;
            }

            ApplyCommutes(count);
            PublishLocked(count, stamp);
            locked = 0;
            Volatile.Write(ref _commitStamp, 0);
            _counters.LockingCommits++;
            if (stamp.IsHardware)
            {
                NoteHardwareCommit();
            }

            // No fence needed before reading the wait lists: the lock was taken with one (see WaitList).
            WakeWaiters(count);
            return true;
        }
        finally
        {
            UnlockInLockOrder(locked);
            Volatile.Write(ref _commitStamp, 0);
            _committing = false;
            AssertHoldsNoLocks();
        }
    }

    /// <summary>Takes the commit locks of the written TVars in lock order; <paramref name="locked"/> counts those taken. False on a conflict.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool TryLockWrites(int count, ref int locked)
    {
        for (; locked < count; locked++)
        {
            ITVar var = _writes.InLockOrder(locked).Var;
            if (!TVarState.Of(var).TryLock(_lockId) && !TryLockContended(var))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Takes a stamp from the clock, publishing that it is being taken first.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private WriteStamp TakeWriteStamp()
    {
        // Readers that meet one of our locks while the stamp is unknown wait for it; after the full
        // fence in TakeStamp, any snapshot at or above the stamp sees our lock.
        Volatile.Write(ref _commitStamp, StampAcquiring);
        WriteStamp stamp = VersionClock.TakeStamp(_readVersion);
        Volatile.Write(ref _commitStamp, stamp.Value);
        return stamp;
    }

    /// <summary>
    /// Computes the values of commuted TVars from their newest versions. Only once the stamp is taken:
    /// before it, a sole commit that found the TVar unlocked just before we locked it may still have
    /// been publishing it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void ApplyCommutes(int count)
    {
        for (int i = 0; i < count; i++)
        {
            ref WriteEntry entry = ref _writes[i];
            if (entry.Commutes is not null)
            {
                entry.Var.ApplyCommutes(entry.Node, entry.Commutes);
            }
        }
    }

    /// <summary>Publishes every written TVar with <paramref name="stamp"/> and releases its lock.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void PublishLocked(int count, WriteStamp stamp)
    {
        long writeVersion = stamp.Value;
        // Nothing more is read: stop pinning old versions before publishing.
        StopPinningVersions();
        for (int i = 0; i < count; i++)
        {
            ref WriteEntry entry = ref _writes[i];
            TVarState.Of(entry.Var).Publish(entry.Node, writeVersion, ref _trimBound, entry.Var);
        }

        if (stamp.IsHardware)
        {
            // Before anyone can see the commit as done (an unlocked TVar, a woken waiter, our return):
            // a snapshot taken after that must read past our stamp's reading. Also keeps the next
            // committer of these TVars, which locks after we unlock, from taking an equal stamp.
            VersionClock.WaitPast(stamp);
        }

        for (int i = 0; i < count; i++)
        {
            TVarState.Of(_writes[i].Var).Unlock();
        }

        _writes.MarkPublished();
    }

    /// <summary>Releases the first <paramref name="locked"/> locks taken, after a locking commit that did not publish.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void UnlockInLockOrder(int locked)
    {
        for (int i = 0; i < locked; i++)
        {
            TVarState.Of(_writes.InLockOrder(i).Var).Unlock();
        }
    }

    /// <summary>Wakes the transactions parked on the TVars just published (the caller has fenced since it started committing).</summary>
    private void WakeWaiters(int count)
    {
        for (int i = 0; i < count; i++)
        {
            WaitList? waiters = Volatile.Read(ref TVarState.Of(_writes[i].Var).WaitList);
            if (waiters is not null && waiters.HasWaiters)
            {
                waiters.SignalAll();
            }
        }
    }

    /// <summary>
    /// Takes a commit lock that another committer held at the first try (the uncontended CAS is
    /// inlined in <see cref="TryLockWrites"/>), spinning while it is held. If this attempt also read the
    /// TVar, the holder is about to publish a version that invalidates the read: give up after a
    /// short spin (a conflict). A TVar only written or commuted cannot invalidate anything, so keep
    /// waiting: the holder never blocks while it holds locks, and locks are taken in id order, so
    /// the wait always ends (and commute-only transactions never re-run their bodies).
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool TryLockContended(ITVar var)
    {
        ref TVarState state = ref TVarState.Of(var);
        SpinWait spin = default;
        bool read = false;
        for (int i = 0; ; i++)
        {
            spin.SpinOnce(sleep1Threshold: -1);
            if (!state.IsLocked && state.TryLock(_lockId))
            {
                return true;
            }

            if (i == LockSpinLimit)
            {
                read = _reads.Contains(var);
            }

            if (read && i >= LockSpinLimit)
            {
                NoteConflict(var);
                return false;
            }
        }
    }

    /// <summary>Checks, in Debug builds, that no written TVar holds this transaction's lock and no commit is in progress.</summary>
    [Conditional("DEBUG")]
    private void AssertHoldsNoLocks()
    {
        Debug.Assert(Volatile.Read(ref _commitStamp) == 0, "no commit stamp outside a locking commit");
        for (int i = 0; i < _writes.Count; i++)
        {
            Debug.Assert(Volatile.Read(ref TVarState.Of(_writes[i].Var).LockHolder) != _lockId, "commit locks are released before the commit returns");
        }
    }
}
