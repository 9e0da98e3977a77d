using System.Text;

namespace Stm.Internal;

/// <summary>
/// Every transaction parked in Retry right now (blocking, <c>RunAsync</c> and checkout waits), for
/// <see cref="StmDiagnostics"/>, the <c>stm.waiting</c> gauge and the long-wait scan of
/// <see cref="LongWaitMonitor"/>. A waiter is listed when it starts to wait and unlisted when it is
/// released; both happen only on the parking path, never on a commit.
/// </summary>
/// <remarks>
/// Striped by ticket, so parkers on different stripes never meet on a lock, and each listing costs one
/// uncontended monitor enter and exit and no allocation. A snapshot or a scan holds one stripe's lock
/// at a time, so it is not atomic across stripes: a transaction that parks or wakes meanwhile may be
/// missing or included.
/// </remarks>
internal static class WaiterRegistry
{
    /// <summary>Tag names beyond this many are summarized as "...", so a measurement's tag values stay few.</summary>
    private const int NamesInTag = 3;

    /// <summary>TVars listed by name in a long-wait event (the snapshot lists them all).</summary>
    private const int NamesInEvent = 8;

    private const string Unnamed = "(unnamed)";

    private static readonly WaiterStripe[] s_stripes = CreateStripes();

    /// <summary>Transactions waiting now: the sum of the stripes' counts, each read without its lock.</summary>
    internal static int Count
    {
        get
        {
            int count = 0;
            foreach (WaiterStripe stripe in s_stripes)
            {
                count += stripe.Count;
            }

            return count;
        }
    }

    /// <summary>Lists <paramref name="waiter"/>, whose registrations are complete, and wakes the long-wait scan if someone listens.</summary>
    internal static void Add(RetryWaiter waiter)
    {
        s_stripes[(int)waiter.Ticket & (s_stripes.Length - 1)].Add(waiter);
        LongWaitMonitor.OnWaiterListed();
    }

    internal static void Remove(RetryWaiter waiter) => waiter.Stripe?.Remove(waiter);

    /// <summary>Describes every listed waiter, longest waiting first.</summary>
    internal static List<WaitingTransaction> Snapshot(DateTime nowUtc)
    {
        int now = Environment.TickCount;
        var waiting = new List<WaitingTransaction>();
        foreach (WaiterStripe stripe in s_stripes)
        {
            lock (stripe.Gate)
            {
                for (RetryWaiter? waiter = stripe.Head; waiter is not null; waiter = waiter.StripeNext)
                {
                    var vars = new TVarInfo[waiter.RegisteredCount];
                    for (int i = 0; i < vars.Length; i++)
                    {
                        ref TVarState state = ref TVarState.Of(waiter.RegisteredVar(i));
                        vars[i] = new TVarInfo(state.Id, state.Name);
                    }

                    TimeSpan waited = TimeSpan.FromMilliseconds(ElapsedMilliseconds(waiter.FirstParkedAt, now));
                    waiting.Add(new WaitingTransaction(
                        nowUtc - waited,
                        waited,
                        waiter.Wakeups,
                        waiter.IsAsync,
                        waiter.IsAsync ? null : waiter.ThreadId,
                        vars));
                }
            }
        }

        waiting.Sort(static (a, b) => b.WaitedFor.CompareTo(a.WaitedFor));
        return waiting;
    }

    /// <summary>
    /// Adds a report to <paramref name="reports"/> (created on the first) for every listed waiter whose run has waited at least
    /// <paramref name="thresholdMilliseconds"/> and whose park has not been reported yet.
    /// </summary>
    internal static void CollectLongWaits(long thresholdMilliseconds, ref List<LongWaitReport>? reports)
    {
        int now = Environment.TickCount;
        foreach (WaiterStripe stripe in s_stripes)
        {
            if (stripe.Count == 0)
            {
                continue;
            }

            lock (stripe.Gate)
            {
                for (RetryWaiter? waiter = stripe.Head; waiter is not null; waiter = waiter.StripeNext)
                {
                    long waited = ElapsedMilliseconds(waiter.FirstParkedAt, now);
                    if (waiter.LongWaitReported || waited < thresholdMilliseconds)
                    {
                        continue;
                    }

                    waiter.LongWaitReported = true;
                    reports ??= [];
                    reports.Add(new LongWaitReport(
                        waited,
                        DescribeVars(waiter, NamesInTag, withIds: false),
                        DescribeVars(waiter, NamesInEvent, withIds: true),
                        waiter.RegisteredCount,
                        waiter.Wakeups,
                        waiter.IsAsync,
                        waiter.ThreadId));
                }
            }
        }
    }

    /// <summary>Milliseconds from one <see cref="Environment.TickCount"/> to another; correct across the counter's wrap for waits under 49 days.</summary>
    private static long ElapsedMilliseconds(int from, int to) => unchecked((uint)(to - from));

    /// <summary>The first <paramref name="limit"/> TVar names of a listed waiter, comma-separated, then "..." if there are more.</summary>
    private static string DescribeVars(RetryWaiter waiter, int limit, bool withIds)
    {
        var text = new StringBuilder();
        int count = Math.Min(waiter.RegisteredCount, limit);
        for (int i = 0; i < count; i++)
        {
            if (i != 0)
            {
                text.Append(", ");
            }

            ref TVarState state = ref TVarState.Of(waiter.RegisteredVar(i));
            text.Append(state.Name ?? Unnamed);
            if (state.Name is null && withIds)
            {
                text.Append(" #").Append(state.Id);
            }
        }

        if (waiter.RegisteredCount > limit)
        {
            text.Append(", ...");
        }

        return text.ToString();
    }

    private static WaiterStripe[] CreateStripes()
    {
        // A power of two at least the processor count (at most 64): parkers on different cores
        // rarely share a stripe, and a snapshot has few locks to visit.
        int count = (int)Math.Min(64, System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Environment.ProcessorCount));
        var stripes = new WaiterStripe[count];
        for (int i = 0; i < stripes.Length; i++)
        {
            stripes[i] = new WaiterStripe();
        }

        return stripes;
    }
}
