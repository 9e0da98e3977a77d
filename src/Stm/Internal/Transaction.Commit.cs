using System.Runtime.CompilerServices;

namespace Stm.Internal;

/// <summary>Committing an attempt: locking, validation, publication and wake-ups.</summary>
internal sealed partial class Transaction
{
    /// <summary>How long a committer spins on a TVar it read and another committer has locked before giving up the attempt.</summary>
    private const int LockSpinLimit = 64;

    /// <summary>
    /// Tries to commit the attempt. A read-only attempt always can: it read one consistent snapshot.
    /// An update commits alone if nothing it read has changed since its snapshot and its written TVars
    /// are free (see <see cref="TryCommitSole"/>).
    /// Otherwise it takes the commit locks of its written TVars in id order (one global order, so
    /// committers waiting for each other's locks can never form a cycle; see <see cref="TryLockContended"/>),
    /// takes a write stamp from the clock, validates its reads (unless nobody committed since its
    /// snapshot), applies commutes, publishes its version nodes, unlocks, and wakes the waiters of
    /// what it wrote.
    /// Returns false on a conflict. Exceptions from commute functions propagate with every lock released.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool TryCommit()
    {
        int count = _writes.Count;
        if (count == 0)
        {
            return true;
        }

        if (ContentionManager.Holder != 0)
        {
            WaitForPriorityHolder(count);
        }

        SoleCommitOutcome sole = TryCommitSole(count);
        return sole == SoleCommitOutcome.Committed
            || (sole == SoleCommitOutcome.NeedsLocks && TryCommitLocking(count));
    }

    /// <summary>
    /// Waits for the run holding priority if this commit writes a TVar it marked (it read or wrote
    /// it when it last lost): committing now could make it lose again. Other commits go ahead.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void WaitForPriorityHolder(int count)
    {
        int holder = ContentionManager.Holder;
        if (holder == 0 || holder == _priorityTicket || (TestHooks.Enabled && TestHooks.NeverTakePriority))
        {
            return;
        }

        for (int i = 0; i < count; i++)
        {
            if ((TestHooks.Enabled && TestHooks.PriorityHoldsBackEveryone)
                || Volatile.Read(ref TVarState.Of(_writes[i].Var).PriorityMark) == holder)
            {
                if (ContentionManager.MustWaitFor(holder))
                {
                    ContentionManager.WaitWhileHeld(holder);
                }

                return;
            }
        }
    }

    /// <summary>The locking commit of <see cref="TryCommit"/>, for an attempt that could not commit alone.</summary>
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
            for (; locked < count; locked++)
            {
                ITVar var = _writes.InLockOrder(locked).Var;
                if (!TVarState.Of(var).TryLock(_lockId) && !TryLockContended(var))
                {
                    return false;
                }
            }

            // Readers that meet one of our locks while the stamp is unknown wait for it; after this
            // full fence (the clock increment) any snapshot at or above the stamp sees our lock.
            Volatile.Write(ref _commitStamp, StampAcquiring);
            long writeVersion = VersionClock.Advance();
            Volatile.Write(ref _commitStamp, writeVersion);

            if (writeVersion != _readVersion + VersionClock.StampStep
                && !(TestHooks.Enabled && TestHooks.SkipCommitValidation)
                && !_reads.IsValidAt(this, writeVersion - 1, out ITVar? conflict))
            {
                _conflictVar = conflict;
                return false;
            }

            // Commutes read the newest value only now: before this stamp, a sole commit that found
            // the TVar unlocked just before we locked it may still have been publishing it.
            for (int i = 0; i < count; i++)
            {
                ref WriteEntry entry = ref _writes[i];
                if (entry.Commutes is not null)
                {
                    entry.Var.ApplyCommutes(entry.Node, entry.Commutes);
                }
            }

            // Nothing more is read: stop pinning old versions before publishing, so our own
            // snapshot does not keep the versions we replace.
            _slot.Exit();
            for (int i = 0; i < count; i++)
            {
                ref WriteEntry entry = ref _writes[i];
                TVarState.Of(entry.Var).Publish(entry.Node, writeVersion, ref _trimBound, entry.Var);
            }

            for (int i = 0; i < count; i++)
            {
                TVarState.Of(_writes[i].Var).Unlock();
            }

            locked = 0;
            Volatile.Write(ref _commitStamp, 0);
            _counters.LockingCommits++;

            // No fence needed before reading the wait lists: the lock was taken with one (see WaitList).
            WakeWaiters(count);
            return true;
        }
        finally
        {
            for (int i = 0; i < locked; i++)
            {
                TVarState.Of(_writes.InLockOrder(i).Var).Unlock();
            }

            Volatile.Write(ref _commitStamp, 0);
            _committing = false;
        }
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
        if (VersionClock.Now != readVersion)
        {
            // The validation a locking commit would do, done before taking anything. A locking
            // committer that has one of our reads locked but no stamp yet takes one above ours
            // (after we release the clock), so our read serializes before it, as on an unmoved clock.
            if (TestHooks.Enabled && TestHooks.SkipCommitValidation)
            {
                // Planted serializability bug: move the snapshot without checking the reads.
                _readVersion = VersionClock.NowSettled;
            }
            else if (!TryMoveSnapshotToNow(out ITVar? conflict))
            {
                _conflictVar = conflict;
                return SoleCommitOutcome.Conflict;
            }

            readVersion = _readVersion;
        }

        for (int i = 0; i < count; i++)
        {
            ref WriteEntry entry = ref _writes[i];
            if (entry.Commutes is not null || TVarState.Of(entry.Var).IsLocked)
            {
                return SoleCommitOutcome.NeedsLocks;
            }
        }

        if (!VersionClock.TryTakeForSoleCommit(readVersion))
        {
            return SoleCommitOutcome.NeedsLocks;
        }

        long stamp = readVersion + VersionClock.StampStep;

        // Nothing more is read: stop pinning old versions (as in the locking commit).
        _slot.Exit();
        for (int i = 0; i < count; i++)
        {
            ref WriteEntry entry = ref _writes[i];
            TVarState.Of(entry.Var).PublishAlone(entry.Node, stamp, ref _trimBound, entry.Var);
        }

        VersionClock.ReleaseSoleCommit(stamp);

        // No fence needed before reading the wait lists: taking the clock was one.
        WakeWaiters(count);
        return SoleCommitOutcome.Committed;
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
    /// inlined in <see cref="TryCommitLocking"/>), spinning while it is held. If this attempt also read the
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
                _conflictVar = var;
                return false;
            }
        }
    }

    /// <summary>
    /// A single write outside any transaction: a one-entry update transaction that cannot fail
    /// validation (it read nothing), repeated only if its lock is contended.
    /// <paramref name="threadTransaction"/> is what <see cref="GetCurrent"/> returned just before.
    /// </summary>
    internal static void WriteOutside<T>(TVar<T> var, T value, Transaction? threadTransaction)
    {
        Transaction transaction = Rent(threadTransaction);
        try
        {
            int conflicts = 0;
            while (true)
            {
                transaction.Begin();
                transaction._writes.Add(var, new VersionNode<T> { Value = value }, null, 0);
                bool committed = transaction.TryCommit();
                transaction.EndAttempt();
                if (committed)
                {
                    StmMetrics.RecordCommit(ref transaction._counters, conflicts + 1);
                    return;
                }

                StmMetrics.RecordConflict(ref transaction._counters, transaction._conflictVar);
                Backoff.Pause(++conflicts);
            }
        }
        finally
        {
            transaction.Return();
        }
    }
}
