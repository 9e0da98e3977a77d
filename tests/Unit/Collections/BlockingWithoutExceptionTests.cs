using Stm.Collections;
using Stm.Tests.Unit.Core;
using Xunit;

namespace Stm.Tests.Unit.Collections;

/// <summary>
/// The blocking members, called outside a transaction, wait through <c>Transactional.RequestRetry</c>:
/// the waiting thread parks and is woken without any exception being thrown on it (a thrown and
/// caught retry signal costs about a microsecond and a half).
/// </summary>
public sealed class BlockingWithoutExceptionTests
{
    public static TheoryData<string> Members() =>
    [
        "TQueue.Dequeue",
        "TQueue.Peek",
        "TBoundedQueue.Dequeue",
        "TBoundedQueue.Enqueue",
        "TMVar.Take",
        "TMVar.Read",
        "TMVar.Put",
        "TSemaphore.Wait",
        "TChannelReader.Read",
    ];

    [Theory]
    [MemberData(nameof(Members))]
    public void BlockingMember_OutsideATransaction_WaitsAndWakesWithoutThrowingOnTheWaitingThread(string member)
    {
        (Action wait, Action release) = Arrange(member);
        int waitingThreadId = 0;
        int thrownOnWaitingThread = 0;
        void Count(object? sender, System.Runtime.ExceptionServices.FirstChanceExceptionEventArgs e)
        {
            if (Environment.CurrentManagedThreadId == Volatile.Read(ref waitingThreadId))
            {
                Interlocked.Increment(ref thrownOnWaitingThread);
            }
        }

        AppDomain.CurrentDomain.FirstChanceException += Count;
        try
        {
            var waiter = TestThread.Start(() =>
            {
                Volatile.Write(ref waitingThreadId, Environment.CurrentManagedThreadId);
                wait();
            });
            Bounded.UntilParked(waiter, "the waiter");
            bool parked = !waiter.IsFinished;
            release();
            waiter.Join();

            Assert.True(parked, $"{member} returned without waiting.");
            Assert.Equal(0, Volatile.Read(ref thrownOnWaitingThread));
        }
        finally
        {
            AppDomain.CurrentDomain.FirstChanceException -= Count;
        }
    }

    private static (Action Wait, Action Release) Arrange(string member)
    {
        switch (member)
        {
            case "TQueue.Dequeue":
            {
                var queue = new TQueue<int>();
                return (() => Assert.Equal(7, queue.Dequeue()), () => queue.Enqueue(7));
            }

            case "TQueue.Peek":
            {
                var queue = new TQueue<int>();
                return (() => Assert.Equal(7, queue.Peek()), () => queue.Enqueue(7));
            }

            case "TBoundedQueue.Dequeue":
            {
                var queue = new TBoundedQueue<int>(1);
                return (() => Assert.Equal(7, queue.Dequeue()), () => queue.Enqueue(7));
            }

            case "TBoundedQueue.Enqueue":
            {
                var queue = new TBoundedQueue<int>(1);
                queue.Enqueue(1);
                return (() => queue.Enqueue(2), () => Assert.Equal(1, queue.Dequeue()));
            }

            case "TMVar.Take":
            {
                var box = new TMVar<int>();
                return (() => Assert.Equal(7, box.Take()), () => box.Put(7));
            }

            case "TMVar.Read":
            {
                var box = new TMVar<int>();
                return (() => Assert.Equal(7, box.Read()), () => box.Put(7));
            }

            case "TMVar.Put":
            {
                var box = new TMVar<int>(1);
                return (() => box.Put(2), () => Assert.Equal(1, box.Take()));
            }

            case "TSemaphore.Wait":
            {
                var semaphore = new TSemaphore(0);
                return (semaphore.Wait, () => semaphore.Release());
            }

            case "TChannelReader.Read":
            {
                var channel = new TChannel<int>();
                TChannelReader<int> reader = channel.Subscribe();
                return (() => Assert.Equal(7, reader.Read()), () => channel.Write(7));
            }

            default:
                throw new ArgumentOutOfRangeException(nameof(member), member, "Unknown member.");
        }
    }
}
