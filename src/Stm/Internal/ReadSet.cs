using System.Runtime.CompilerServices;

namespace Stm.Internal;

/// <summary>
/// The reads of the current attempt, in order, with the version each one saw. Used to validate a
/// commit or a snapshot extension, and to know which TVars a retrying transaction waits on. Reads
/// of rolled-back nested scopes stay: they are what an <c>OrElse</c> whose branches both retry waits on.
/// </summary>
internal sealed class ReadSet
{
    private const int InitialCapacity = 16;

    private ReadEntry[] _entries = new ReadEntry[InitialCapacity];
    private int _count;

    internal int Count => _count;

    internal ref ReadEntry this[int index] => ref _entries[index];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void Add(ITVar var, VersionNode version)
    {
        ReadEntry[] entries = _entries;
        int count = _count;
        if ((uint)count < (uint)entries.Length)
        {
            entries[count].Var = var;
            entries[count].Version = version;
            _count = count + 1;
            return;
        }

        AddSlow(var, version);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void AddSlow(ITVar var, VersionNode version)
    {
        Array.Resize(ref _entries, _entries.Length * 2);
        Add(var, version);
    }

    /// <summary>
    /// True if every read is still the newest committed version, and no other committer has taken a
    /// stamp at or below <paramref name="bound"/> for one of them without publishing it yet (its
    /// version would belong to the snapshot at <paramref name="bound"/>). Sets
    /// <paramref name="conflict"/> to the first TVar that fails.
    /// </summary>
    internal bool IsValidAt(Transaction self, long bound, out ITVar? conflict)
    {
        ReadEntry[] entries = _entries;
        for (int i = 0; i < _count; i++)
        {
            ref TVarState state = ref TVarState.Of(entries[i].Var);
            if (state.IsHeldByCommitAtOrBelow(self.LockId, bound) || state.CurrentVersion != entries[i].Version)
            {
                conflict = entries[i].Var;
                return false;
            }
        }

        conflict = null;
        return true;
    }

    /// <summary>True if <paramref name="var"/> was read in this attempt (a scan: used only on contended paths).</summary>
    internal bool Contains(ITVar var)
    {
        ReadEntry[] entries = _entries;
        for (int i = 0; i < _count; i++)
        {
            if (ReferenceEquals(entries[i].Var, var))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// True if no read has been overwritten by a commit and none is locked by a committer, once no
    /// sole commit is publishing. Run by a waiter after registering (and a full fence): a
    /// committer takes its lock (or the clock) with a full fence and reads the wait list after
    /// publishing, so if it misses the registration, this check sees its lock, or waits out the odd
    /// clock, and sees its new version (see WaitList): the waiter does not park.
    /// </summary>
    internal bool AllStillCurrent()
    {
        // The clock first: once it is even again, a sole commit's versions are all visible. Waiting
        // (a few stores) rather than answering false keeps waiters from re-running for sole commits
        // of TVars they never read.
        VersionClock.WaitForSoleCommit();

        ReadEntry[] entries = _entries;
        for (int i = 0; i < _count; i++)
        {
            ref TVarState state = ref TVarState.Of(entries[i].Var);
            if (state.IsLocked || state.CurrentVersion != entries[i].Version)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Forgets every read, releasing the version nodes so they can be collected (inlined for the one or two reads of most transactions).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void Clear()
    {
        LogBuffer.Clear(ref _entries, _count, InitialCapacity);
        _count = 0;
    }
}
