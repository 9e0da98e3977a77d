using System.Diagnostics;
using System.Globalization;
using System.Numerics;

namespace Stm.Collections;

/// <summary>
/// A transactional 64-bit counter whose concurrent additions never conflict with each other. Each
/// member works inside a transaction, where it composes with everything else the transaction does,
/// and outside one, where it is its own atomic transaction. No member blocks.
/// </summary>
/// <remarks>
/// Additions are commutative updates (<see cref="TVar{T}.Commute(Func{T, T})"/>), so they never
/// conflict in validation; and they are spread over stripes, one per thread where possible, so that
/// threads adding at once do not even contend for the commit lock of one TVar (a committer that finds
/// that lock held too long, for example by a preempted thread, aborts and re-runs its attempt). Reading <see cref="Value"/> sums the stripes (in a transaction that also adds, the sum turns
/// its additions into ordinary reads and writes, as commutes do). Additions wrap around on overflow,
/// as <see cref="Interlocked.Add(ref long, long)"/> does.
/// </remarks>
[DebuggerDisplay("Value = {DebuggerValue,nq}")]
public sealed class TCounter
{
    // Representation invariant: the counter's value is the (wrapping) sum of all stripes;
    // _stripes.Length is a power of two and never changes. Which stripe an addition goes to does not
    // matter for the value; it only spreads contention. Each thread takes the next stripe number
    // the first time it adds (as LongAdder's probe), so up to _stripes.Length threads that start
    // adding together get stripes of their own.

    /// <summary>The fewest stripes a counter uses.</summary>
    private const int MinStripes = 16;

    /// <summary>The most stripes a counter uses.</summary>
    private const int MaxStripes = 64;

    /// <summary>The last stripe number handed to a thread.</summary>
    private static int s_lastProbe;

    /// <summary>This thread's stripe number (any counter uses it modulo its stripe count); 0 until the thread first adds.</summary>
    [ThreadStatic]
    private static int t_probe;

    /// <summary>The stripes: TVars whose sum is the value.</summary>
    private readonly TVar<long>[] _stripes;

    /// <summary>Cached delegate for reading the value as its own transaction.</summary>
    private readonly Func<long> _sum;

    /// <summary>Creates a counter. Callable inside or outside a transaction.</summary>
    /// <param name="initialValue">The initial value.</param>
    public TCounter(long initialValue = 0)
    {
        int stripes = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Clamp(Environment.ProcessorCount * 4, MinStripes, MaxStripes));
        _stripes = new TVar<long>[stripes];
        _stripes[0] = new TVar<long>(initialValue, "TCounter.Stripe");
        for (int i = 1; i < stripes; i++)
        {
            _stripes[i] = new TVar<long>(0, "TCounter.Stripe");
        }

        _sum = Sum;
    }

    /// <summary>
    /// Gets the value. Inside a transaction, the exact value in the transaction's view (it reads every
    /// stripe, so it conflicts with concurrent additions); outside one, a committed snapshot. Never blocks.
    /// </summary>
    public long Value => Atomic.InTransaction ? Sum() : Atomic.Run(_sum);

    /// <summary>Shows the value in the debugger without starting a transaction.</summary>
    private string DebuggerValue
    {
        get
        {
            if (Atomic.InTransaction)
            {
                return "(not evaluated inside a transaction)";
            }

            long sum = 0;
            foreach (var stripe in _stripes)
            {
                sum = unchecked(sum + stripe.Value);
            }

            return sum.ToString(CultureInfo.InvariantCulture);
        }
    }

    /// <summary>
    /// Adds <paramref name="delta"/> (which may be negative). Callable inside or outside a transaction;
    /// never blocks; never conflicts with other additions.
    /// </summary>
    /// <param name="delta">The amount to add.</param>
    /// <remarks>Adding 1 or -1 allocates nothing (the compiler caches non-capturing lambdas); other
    /// amounts allocate the closure that carries them.</remarks>
    public void Add(long delta)
    {
        if (delta == 1)
        {
            Stripe().Commute(static value => unchecked(value + 1));
        }
        else if (delta == -1)
        {
            Stripe().Commute(static value => unchecked(value - 1));
        }
        else if (delta != 0)
        {
            Stripe().Commute(value => unchecked(value + delta));
        }
    }

    /// <summary>Adds one. Callable inside or outside a transaction; never blocks; never conflicts with other additions.</summary>
    public void Increment() => Stripe().Commute(static value => unchecked(value + 1));

    /// <summary>Subtracts one. Callable inside or outside a transaction; never blocks; never conflicts with other additions.</summary>
    public void Decrement() => Stripe().Commute(static value => unchecked(value - 1));

    private TVar<long> Stripe()
    {
        int probe = t_probe;
        if (probe == 0)
        {
            probe = NewProbe();
        }

        return _stripes[probe & (_stripes.Length - 1)];
    }

    private static int NewProbe()
    {
        int probe;
        do
        {
            probe = Interlocked.Increment(ref s_lastProbe);
        }
        while (probe == 0);

        t_probe = probe;
        return probe;
    }

    private long Sum()
    {
        long sum = 0;
        foreach (var stripe in _stripes)
        {
            sum = unchecked(sum + stripe.Value);
        }

        return sum;
    }
}
