using System.Diagnostics;
using System.Globalization;
using System.Numerics;

namespace Stm.Collections;

/// <summary>
/// A transactional 64-bit counter whose concurrent additions from different threads do not conflict
/// with each other. Each member works inside a transaction, where it composes with everything else
/// the transaction does, and outside one, where it is its own atomic transaction. No member blocks.
/// </summary>
/// <remarks>
/// <para>
/// The value is a base plus a set of stripes, one per thread where possible: an addition changes only
/// its thread's stripe, so threads adding at once touch different TVars and neither conflict nor
/// contend for the commit lock of one TVar. Reading <see cref="Value"/> sums the base and the stripes.
/// </para>
/// <para>
/// The value never goes past <see cref="long.MaxValue"/> or <see cref="long.MinValue"/>: an addition
/// that would throws <see cref="OverflowException"/> and changes nothing (as
/// <see cref="TSemaphore.Release(int)"/> refuses to overflow its count). To know that without reading
/// every stripe, each stripe is kept within a fixed bound; while the base is far enough from both ends
/// that no combination of stripes can leave the range, an addition that keeps its stripe within the
/// bound is safe. Otherwise (an amount larger than the bound, a stripe at its bound, or a value within
/// reach of either end) the addition reads every stripe, checks the exact sum and moves it into the
/// base: such an addition conflicts with concurrent ones, which is the price of an exact check near
/// the ends of the range.
/// </para>
/// </remarks>
[DebuggerDisplay("Value = {DebuggerValue,nq}")]
public sealed class TCounter
{
    // Representation invariant (V is the counter's value, S = _stripes.Length, M = StripeLimit * S):
    //
    //   * Either every stripe is Frozen and V = _base (the base is within M of an end of the range),
    //   * or no stripe is Frozen, every stripe s satisfies -StripeLimit <= s <= StripeLimit,
    //     long.MinValue + M <= _base <= long.MaxValue - M, and V = _base + (sum of the stripes).
    //
    //   In the second state V lies in the range whatever the stripes hold, so an addition that keeps
    //   its own stripe within the bound needs to read only that stripe (it sees Frozen when the
    //   counter is in the first state). Only a fold - which reads every stripe - writes _base, and it
    //   leaves the counter in whichever state suits the new base. Each thread takes the next stripe
    //   number the first time it adds (as LongAdder's probe), so up to S threads that start adding
    //   together get stripes of their own.

    /// <summary>The largest magnitude a stripe holds; folds are needed once per this much drift on a stripe.</summary>
    internal const long StripeLimit = 1L << 48;

    /// <summary>The value of every stripe while the base is too close to an end for any stripe to be used.</summary>
    internal const long Frozen = long.MinValue;

    /// <summary>The fewest stripes a counter uses.</summary>
    private const int MinStripes = 16;

    /// <summary>The most stripes a counter uses.</summary>
    private const int MaxStripes = 64;

    /// <summary>The last stripe number handed to a thread.</summary>
    private static int s_lastProbe;

    /// <summary>This thread's stripe number (any counter uses it modulo its stripe count); 0 until the thread first adds.</summary>
    [ThreadStatic]
    private static int t_probe;

    /// <summary>The part of the value not held by the stripes; written only by folds.</summary>
    private readonly TVar<long> _base;

    /// <summary>The stripes: each thread's share of the value since the last fold, or <see cref="Frozen"/>.</summary>
    private readonly TVar<long>[] _stripes;

    /// <summary>
    /// How far the base must stay from either end of the range for the stripes to be usable: the most
    /// that all stripes together can hold (<see cref="StripeLimit"/> times the stripe count).
    /// </summary>
    private readonly long _margin;

    /// <summary>Creates a counter. Callable inside or outside a transaction.</summary>
    /// <param name="initialValue">The initial value.</param>
    public TCounter(long initialValue = 0)
    {
        int stripes = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Clamp(Environment.ProcessorCount * 4, MinStripes, MaxStripes));
        _margin = StripeLimit * stripes;
        _base = new TVar<long>(initialValue, "TCounter.Base");
        long stripeValue = IsFarFromTheEnds(initialValue) ? 0 : Frozen;
        _stripes = new TVar<long>[stripes];
        for (int i = 0; i < stripes; i++)
        {
            _stripes[i] = new TVar<long>(stripeValue, "TCounter.Stripe");
        }
    }

    /// <summary>
    /// Gets the value. Inside a transaction, the exact value in the transaction's view (it reads every
    /// stripe, so it conflicts with concurrent additions); outside one, a committed snapshot. Never blocks.
    /// </summary>
    public long Value => Transactional.Run(this, static counter => counter.Sum());

    /// <summary>Shows the value in the debugger without starting a transaction.</summary>
    private string DebuggerValue
    {
        get => DebuggerRead.Text(this, static counter =>
        {
            // One non-transactional read per TVar: not a snapshot while additions run, hence unchecked.
            long sum = counter._base.Value;
            foreach (var stripe in counter._stripes)
            {
                long value = stripe.Value;
                sum = value == Frozen ? sum : unchecked(sum + value);
            }

            return sum.ToString(CultureInfo.InvariantCulture);
        });
    }

    /// <summary>
    /// Adds <paramref name="delta"/> (which may be negative). Callable inside or outside a transaction;
    /// never blocks. Away from the ends of the range it does not conflict with additions on other
    /// threads. Allocates nothing.
    /// </summary>
    /// <param name="delta">The amount to add.</param>
    /// <exception cref="OverflowException">
    /// The value would go past <see cref="long.MaxValue"/> or <see cref="long.MinValue"/>; nothing is
    /// added. Inside a transaction this is an ordinary exception: it rolls the transaction back unless
    /// the body catches it.
    /// </exception>
    public void Add(long delta)
    {
        if (delta != 0)
        {
            WritesLastBody.Run((Counter: this, Delta: delta), static args => args.Counter.AddCore(args.Delta));
        }
    }

    /// <summary>
    /// Adds one. Callable inside or outside a transaction; never blocks. Away from the ends of the
    /// range it does not conflict with additions on other threads.
    /// </summary>
    /// <exception cref="OverflowException">The value is <see cref="long.MaxValue"/>; it stays so (see <see cref="Add"/>).</exception>
    public void Increment() => Add(1);

    /// <summary>
    /// Subtracts one. Callable inside or outside a transaction; never blocks. Away from the ends of the
    /// range it does not conflict with additions on other threads.
    /// </summary>
    /// <exception cref="OverflowException">The value is <see cref="long.MinValue"/>; it stays so (see <see cref="Add"/>).</exception>
    public void Decrement() => Add(-1);

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

    private TVar<long> Stripe()
    {
        int probe = t_probe;
        if (probe == 0)
        {
            probe = NewProbe();
        }

        return _stripes[probe & (_stripes.Length - 1)];
    }

    private bool IsFarFromTheEnds(long value) => value >= long.MinValue + _margin && value <= long.MaxValue - _margin;

    /// <summary>Adds <paramref name="delta"/> inside a transaction; throws (overflow) only before its first write.</summary>
    /// <param name="delta">The amount to add, not zero.</param>
    private void AddCore(long delta)
    {
        var stripe = Stripe();
        long current = stripe.Value;

        // Both bounds checked before adding, so the sum below cannot wrap. A Frozen stripe
        // (long.MinValue) fails the first test for every delta that passes the second.
        if (current != Frozen && delta >= -StripeLimit && delta <= StripeLimit)
        {
            long updated = current + delta;
            if (updated >= -StripeLimit && updated <= StripeLimit)
            {
                stripe.Value = updated;
                return;
            }
        }

        AddSlow(delta);
    }

    /// <summary>
    /// The exact path: reads every stripe, checks the sum, and folds the new value into the base,
    /// leaving the stripes at zero or <see cref="Frozen"/> (whichever the new base allows).
    /// </summary>
    /// <param name="delta">The amount to add.</param>
    private void AddSlow(long delta)
    {
        long value = Sum();
        if (delta > 0 ? value > long.MaxValue - delta : value < long.MinValue - delta)
        {
            ThrowHelper.ThrowCounterOverflow(value, delta);
        }

        long updated = value + delta;
        _base.Value = updated;
        long stripeValue = IsFarFromTheEnds(updated) ? 0 : Frozen;
        foreach (var stripe in _stripes)
        {
            // Already read by Sum: rewriting an unchanged stripe would only add a write.
            if (stripe.Value != stripeValue)
            {
                stripe.Value = stripeValue;
            }
        }

        AssertInvariants();
    }

    /// <summary>The exact value (inside a transaction): the base plus every stripe that is not frozen.</summary>
    /// <returns>The value.</returns>
    private long Sum()
    {
        // The invariant keeps every partial sum within the range: either all stripes are Frozen, or
        // the base is at least the stripes' total capacity away from both ends.
        long sum = _base.Value;
        foreach (var stripe in _stripes)
        {
            long value = stripe.Value;
            if (value != Frozen)
            {
                sum += value;
            }
        }

        return sum;
    }

    [Conditional("DEBUG")]
    private void AssertInvariants()
    {
        bool far = IsFarFromTheEnds(_base.Value);
        foreach (var stripe in _stripes)
        {
            long value = stripe.Value;
            Debug.Assert(far ? value is >= -StripeLimit and <= StripeLimit : value == Frozen, "Stripes are in use exactly while the base is far from the ends.");
        }
    }
}
