namespace Stm.Internal;

/// <summary>
/// One stripe of <see cref="WaiterRegistry"/>: the waiters that hash here, in a doubly linked list
/// threaded through the waiters themselves (<see cref="RetryWaiter.StripePrevious"/>,
/// <see cref="RetryWaiter.StripeNext"/>), so listing a waiter allocates nothing.
/// </summary>
/// <remarks>
/// Everything is guarded by <see cref="Gate"/>, except that <see cref="Count"/> is also read without
/// it (for the gauge, where a count a moment old is fine). A listed waiter's diagnostic fields and
/// registrations do not change while it is listed: it fills them before it is added and clears them
/// only after it is removed.
/// </remarks>
internal sealed class WaiterStripe
{
    /// <summary>A plain monitor (not System.Threading.Lock), so that systematic-testing tools can control it.</summary>
    internal readonly object Gate = new();

    private RetryWaiter? _head;
    private int _count;

    /// <summary>How many waiters are listed here.</summary>
    internal int Count => Volatile.Read(ref _count);

    /// <summary>The first listed waiter; follow <see cref="RetryWaiter.StripeNext"/>. Only while holding <see cref="Gate"/>.</summary>
    internal RetryWaiter? Head => _head;

    internal void Add(RetryWaiter waiter)
    {
        lock (Gate)
        {
            waiter.Stripe = this;
            waiter.StripePrevious = null;
            waiter.StripeNext = _head;
            if (_head is not null)
            {
                _head.StripePrevious = waiter;
            }

            _head = waiter;
            _count++;
        }
    }

    internal void Remove(RetryWaiter waiter)
    {
        lock (Gate)
        {
            if (waiter.Stripe != this)
            {
                return;
            }

            RetryWaiter? previous = waiter.StripePrevious;
            RetryWaiter? next = waiter.StripeNext;
            if (previous is null)
            {
                _head = next;
            }
            else
            {
                previous.StripeNext = next;
            }

            if (next is not null)
            {
                next.StripePrevious = previous;
            }

            waiter.StripePrevious = null;
            waiter.StripeNext = null;
            waiter.Stripe = null;
            _count--;
        }
    }
}
