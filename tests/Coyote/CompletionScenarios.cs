using System.Threading.Channels;
using Microsoft.Coyote.Specifications;
using Stm.Collections;
using Stm.Internal;

namespace Stm.Tests.Coyote;

/// <summary>
/// Small concurrent programs in which a queue is completed while a consumer (or a producer of a full
/// bounded queue) waits on it. A waiter that missed the completion's commit would stay parked for
/// ever, which Coyote reports as a deadlock; the final checks catch items lost, delivered twice, or
/// delivered although their enqueue was refused. Every scenario builds its own queue.
/// </summary>
/// <remarks>
/// The blocking members called outside a transaction first spin through a few non-blocking attempts,
/// which under Coyote's scheduler nearly always outlast the other tasks; so most waiters here call
/// the member inside <see cref="Atomic.Run{T}(Func{T})"/>, where it retries at once, and the channel
/// reader (which does not spin) covers the wait of a member called outside a transaction.
/// </remarks>
internal static class CompletionScenarios
{
    /// <summary>Schedules (since <see cref="ResetTally"/>) in which at least one transaction parked in Retry.</summary>
    private static int s_waited;

    /// <summary>Schedules of <see cref="CancellationRacesCompletion"/> that ended cancelled.</summary>
    private static int s_cancelled;

    /// <summary>Schedules of <see cref="CancellationRacesCompletion"/> that ended with the queue closed.</summary>
    private static int s_closed;

    /// <summary>Schedules of <see cref="CompletionRacesEnqueue"/> in which the enqueue was refused.</summary>
    private static int s_refused;

    /// <summary>Gets the number of explored schedules in which a transaction actually parked.</summary>
    public static int SchedulesThatWaited => Volatile.Read(ref s_waited);

    /// <summary>Gets the number of explored cancellation schedules that ended cancelled.</summary>
    public static int SchedulesCancelled => Volatile.Read(ref s_cancelled);

    /// <summary>Gets the number of explored cancellation schedules that ended closed.</summary>
    public static int SchedulesClosed => Volatile.Read(ref s_closed);

    /// <summary>Gets the number of explored enqueue schedules in which the completion came first.</summary>
    public static int SchedulesRefused => Volatile.Read(ref s_refused);

    /// <summary>Clears the tallies before an exploration (tests of this assembly never run in parallel).</summary>
    public static void ResetTally()
    {
        Volatile.Write(ref s_waited, 0);
        Volatile.Write(ref s_cancelled, 0);
        Volatile.Write(ref s_closed, 0);
        Volatile.Write(ref s_refused, 0);
    }

    /// <summary>
    /// A consumer dequeues until the queue is closed; a producer enqueues one item and completes the
    /// queue in a second commit. The consumer gets the item, then <see cref="ChannelClosedException"/>.
    /// </summary>
    public static void ConsumerWaitsThenQueueCompletes()
    {
        var queue = new TQueue<int>();
        var taken = new List<int>();
        bool closed = false;
        long retries = 0;
        Task consumer = Task.Run(() =>
        {
            long before = TransactionStatistics.Retries;
            try
            {
                while (true)
                {
                    taken.Add(Atomic.Run(() => queue.Dequeue()));
                }
            }
            catch (ChannelClosedException)
            {
                closed = true;
            }

            retries = TransactionStatistics.Retries - before;
        });
        Task producer = Task.Run(() =>
        {
            queue.Enqueue(7);
            queue.Complete();
        });
        Task.WaitAll(new[] { consumer, producer });
        Specification.Assert(closed && taken.Count == 1 && taken[0] == 7, $"consumer took [{string.Join(",", taken)}], closed={closed}");
        TallyWait(retries);
    }

    /// <summary>
    /// A reader waits (outside a transaction) on a channel; a writer writes one item and completes the
    /// channel in a second commit. The reader gets the item, then <see cref="ChannelClosedException"/>.
    /// </summary>
    public static void ReaderWaitsThenChannelCompletes()
    {
        var channel = new TChannel<int>();
        var reader = channel.Subscribe();
        var taken = new List<int>();
        bool closed = false;
        long retries = 0;
        Task consumer = Task.Run(() =>
        {
            long before = TransactionStatistics.Retries;
            try
            {
                while (true)
                {
                    taken.Add(reader.Read());
                }
            }
            catch (ChannelClosedException)
            {
                closed = true;
            }

            retries = TransactionStatistics.Retries - before;
        });
        Task writer = Task.Run(() =>
        {
            channel.Write(7);
            channel.Complete();
        });
        Task.WaitAll(new[] { consumer, writer });
        Specification.Assert(closed && taken.Count == 1 && taken[0] == 7, $"reader took [{string.Join(",", taken)}], closed={closed}");
        TallyWait(retries);
    }

    /// <summary>
    /// Two consumers wait on an empty queue (one blocking, one through the consuming enumeration); a
    /// producer enqueues an item while another task completes the queue. The enqueue either commits
    /// before the completion (the item goes to exactly one consumer) or is refused (nobody gets it);
    /// both consumers end.
    /// </summary>
    public static void CompletionRacesEnqueue()
    {
        var queue = new TQueue<int>();
        int delivered = 0;
        bool accepted = false;
        long retries = 0;
        Task blocking = Task.Run(() =>
        {
            long before = TransactionStatistics.Retries;
            try
            {
                while (true)
                {
                    Atomic.Run(() => queue.Dequeue());
                    Interlocked.Increment(ref delivered);
                }
            }
            catch (ChannelClosedException)
            {
            }

            Interlocked.Add(ref retries, TransactionStatistics.Retries - before);
        });
        Task enumerating = Task.Run(() =>
        {
            long before = TransactionStatistics.Retries;
            foreach (int item in queue.GetConsumingEnumerable())
            {
                Interlocked.Increment(ref delivered);
            }

            Interlocked.Add(ref retries, TransactionStatistics.Retries - before);
        });
        Task producer = Task.Run(() =>
        {
            try
            {
                queue.Enqueue(1);
                accepted = true;
            }
            catch (InvalidOperationException)
            {
            }
        });
        Task completer = Task.Run(queue.Complete);
        Task.WaitAll(new[] { blocking, enumerating, producer, completer });
        Specification.Assert(
            Volatile.Read(ref delivered) == (accepted ? 1 : 0) && queue.IsEmpty,
            $"delivered {delivered} item(s) although the enqueue was {(accepted ? "accepted" : "refused")}");
        TallyWait(Volatile.Read(ref retries));
        if (!accepted)
        {
            Interlocked.Increment(ref s_refused);
        }
    }

    /// <summary>
    /// A consumer waits with a cancellation token on an empty queue; one task cancels the token while
    /// another completes the queue. The consumer ends exactly once, cancelled or closed, and no item
    /// appears.
    /// </summary>
    public static void CancellationRacesCompletion()
    {
        var queue = new TQueue<int>();
        using var cts = new CancellationTokenSource();
        string outcome = "none";
        long retries = 0;
        Task consumer = Task.Run(() =>
        {
            long before = TransactionStatistics.Retries;
            try
            {
                Atomic.Run(() => queue.Dequeue(), cts.Token);
                outcome = "took an item";
            }
            catch (OperationCanceledException)
            {
                outcome = "cancelled";
            }
            catch (ChannelClosedException)
            {
                outcome = "closed";
            }

            retries = TransactionStatistics.Retries - before;
        });
        Task canceller = Task.Run(cts.Cancel);
        Task completer = Task.Run(queue.Complete);
        Task.WaitAll(new[] { consumer, canceller, completer });
        Specification.Assert(outcome is "cancelled" or "closed", $"the consumer ended with: {outcome}");
        TallyWait(retries);
        Interlocked.Increment(ref outcome == "cancelled" ? ref s_cancelled : ref s_closed);
    }

    /// <summary>
    /// A producer waits for room in a full bounded queue; a consumer drains it through the consuming
    /// enumeration while another task completes the queue. The producer's item is delivered exactly
    /// when its enqueue returned, and both the producer and the consumer end.
    /// </summary>
    public static void BoundedProducerWaitsThenQueueCompletes()
    {
        var queue = new TBoundedQueue<int>(1);
        queue.Enqueue(1);
        var taken = new List<int>();
        bool accepted = false;
        long retries = 0;
        Task producer = Task.Run(() =>
        {
            long before = TransactionStatistics.Retries;
            try
            {
                Atomic.Run(() => queue.Enqueue(2));
                accepted = true;
            }
            catch (InvalidOperationException)
            {
            }

            retries = TransactionStatistics.Retries - before;
        });
        Task consumer = Task.Run(() => taken.AddRange(queue.GetConsumingEnumerable()));
        Task completer = Task.Run(queue.Complete);
        Task.WaitAll(new[] { producer, consumer, completer });
        int[] expected = accepted ? [1, 2] : [1];
        Specification.Assert(
            taken.SequenceEqual(expected),
            $"consumer took [{string.Join(",", taken)}] although the producer's enqueue was {(accepted ? "accepted" : "refused")}");
        TallyWait(retries);
    }

    private static void TallyWait(long retries)
    {
        if (retries > 0)
        {
            Interlocked.Increment(ref s_waited);
        }
    }
}
