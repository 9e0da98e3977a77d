using System.Runtime.CompilerServices;

namespace Stm.Internal;

/// <summary>
/// Contention management: a transaction that keeps losing (aborted or woken without success too
/// often) takes this token, and until it commits or waits, every other update commit waits before
/// taking its locks. So it meets at most the commits already under way, and then commits.
/// </summary>
/// <remarks>
/// The token belongs to a thread, not to a transaction object: handlers that the owner runs
/// between attempts (AfterRollback) may commit transactions of their own on the same thread, and
/// must not wait for the token their own thread holds. The owner releases the token before it
/// parks in Retry (it would otherwise wait for commits it blocks) and when its run ends in any way.
/// Read-only commits never wait: they cannot hurt it.
/// </remarks>
internal static class PriorityGate
{
    private const int NoOwner = 0;

    /// <summary>The managed thread id of the owner, or <see cref="NoOwner"/>.</summary>
    private static int s_ownerThread;

    /// <summary>Waits until no other thread holds the token, then takes it for the calling thread.</summary>
    internal static void Acquire()
    {
        int self = Environment.CurrentManagedThreadId;
        SpinWait spin = default;
        int owner;
        while ((owner = Interlocked.CompareExchange(ref s_ownerThread, self, NoOwner)) != NoOwner && owner != self)
        {
            spin.SpinOnce(sleep1Threshold: -1);
        }
    }

    /// <summary>Gives the token back if the calling thread holds it.</summary>
    internal static void Release() =>
        Interlocked.CompareExchange(ref s_ownerThread, NoOwner, Environment.CurrentManagedThreadId);

    /// <summary>Waits while another thread holds the token (one shared read, inlined, when nobody does).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void WaitForTurn()
    {
        if (Volatile.Read(ref s_ownerThread) != NoOwner)
        {
            WaitForTurnSlow();
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void WaitForTurnSlow()
    {
        int self = Environment.CurrentManagedThreadId;
        SpinWait spin = default;
        int owner;
        while ((owner = Volatile.Read(ref s_ownerThread)) != NoOwner && owner != self)
        {
            spin.SpinOnce(sleep1Threshold: -1);
        }
    }
}
