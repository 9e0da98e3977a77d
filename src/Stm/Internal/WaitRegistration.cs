namespace Stm.Internal;

/// <summary>
/// One waiter's place in one TVar's <see cref="WaitList"/>. Owned and reused by its
/// <see cref="RetryWaiter"/>; linked into a list only between registration and unregistration.
/// </summary>
internal sealed class WaitRegistration(RetryWaiter waiter)
{
    internal readonly RetryWaiter Waiter = waiter;

    /// <summary>The list this registration is linked into, or null.</summary>
    internal WaitList? List;

    /// <summary>The TVar the list belongs to, for diagnostics; cleared when the waiter is released, so a pooled waiter keeps no TVar alive.</summary>
    internal ITVar? Var;

    internal WaitRegistration? Previous;
    internal WaitRegistration? Next;
}
