using FsCheck.Xunit;
using Stm.Collections;
using Xunit;

namespace Stm.Tests.Properties.Collections;

/// <summary>
/// TQueue and TBoundedQueue against <see cref="Queue{T}"/>: generated transactions of operations run
/// sequentially, and every result (including a blocking operation's retry, observed through
/// <see cref="Atomic.OrElse{T}(Func{T}, Func{T})"/>) must match the model.
/// </summary>
public sealed class QueueModelProperties
{
    [Property(MaxTest = 200, Arbitrary = [typeof(QueueArbitraries)])]
    public void TQueue_MatchesQueueModel(QueueProgram program)
    {
        var queue = new TQueue<int>();
        Run(program.Transactions, int.MaxValue, new Driver(
            queue.Enqueue,
            item =>
            {
                queue.Enqueue(item);
                return true;
            },
            queue.Dequeue,
            () => (queue.TryDequeue(out int item), item),
            queue.Peek,
            () => (queue.TryPeek(out int item), item),
            () => queue.Count,
            () => queue.IsEmpty,
            queue.Clear,
            queue.ToArray,
            () => [.. queue]));
    }

    [Property(MaxTest = 200, Arbitrary = [typeof(QueueArbitraries)])]
    public void TBoundedQueue_MatchesQueueModelWithCapacity(BoundedQueueProgram program)
    {
        var queue = new TBoundedQueue<int>(program.Capacity);
        Run(program.Transactions, program.Capacity, new Driver(
            queue.Enqueue,
            queue.TryEnqueue,
            queue.Dequeue,
            () => (queue.TryDequeue(out int item), item),
            queue.Peek,
            () => (queue.TryPeek(out int item), item),
            () => queue.Count,
            () => queue.IsEmpty,
            queue.Clear,
            queue.ToArray,
            () => [.. queue]));
        Assert.Equal(program.Capacity, queue.Capacity);
    }

    private static void Run(QueueOperation[][] transactions, int capacity, Driver queue)
    {
        var model = new Queue<int>();
        foreach (var transaction in transactions)
        {
            if (transaction.Length == 1)
            {
                Apply(transaction[0], queue, model, capacity);
                continue;
            }

            // The model is updated by the attempt too; on a re-run (a conflict cannot happen here,
            // but be exact) start again from the state before the transaction.
            int[] before = [.. model];
            Atomic.Run(() =>
            {
                model = new Queue<int>(before);
                foreach (var operation in transaction)
                {
                    Apply(operation, queue, model, capacity);
                }
            });
        }

        Assert.Equal(model, queue.ToArray());
    }

    private static void Apply(QueueOperation operation, Driver queue, Queue<int> model, int capacity)
    {
        switch (operation.Kind)
        {
            case QueueOperationKind.Enqueue:
                bool added = Atomic.Run(() => Atomic.OrElse(
                    () =>
                    {
                        queue.Enqueue(operation.Value);
                        return true;
                    },
                    () => false));
                Expect(model.Count < capacity, added, operation);
                if (added)
                {
                    model.Enqueue(operation.Value);
                }

                break;
            case QueueOperationKind.TryEnqueue:
                bool tried = queue.TryEnqueue(operation.Value);
                Expect(model.Count < capacity, tried, operation);
                if (tried)
                {
                    model.Enqueue(operation.Value);
                }

                break;
            case QueueOperationKind.Dequeue:
                Expect(Front(model, remove: true), Atomic.Run(() => Atomic.OrElse(() => (true, queue.Dequeue()), () => (false, 0))), operation);
                break;
            case QueueOperationKind.TryDequeue:
                Expect(Front(model, remove: true), queue.TryDequeue(), operation);
                break;
            case QueueOperationKind.Peek:
                Expect(Front(model, remove: false), Atomic.Run(() => Atomic.OrElse(() => (true, queue.Peek()), () => (false, 0))), operation);
                break;
            case QueueOperationKind.TryPeek:
                Expect(Front(model, remove: false), queue.TryPeek(), operation);
                break;
            case QueueOperationKind.Count:
                Expect(model.Count, queue.Count(), operation);
                break;
            case QueueOperationKind.IsEmpty:
                Expect(model.Count == 0, queue.IsEmpty(), operation);
                break;
            case QueueOperationKind.Clear:
                queue.Clear();
                model.Clear();
                break;
            case QueueOperationKind.Snapshot:
                Expect(string.Join(",", model), string.Join(",", queue.ToArray()), operation);
                Expect(string.Join(",", model), string.Join(",", queue.Enumerate()), operation);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(operation), operation, "Unknown operation.");
        }
    }

    private static (bool Found, int Item) Front(Queue<int> model, bool remove) =>
        model.Count == 0 ? (false, 0) : (true, remove ? model.Dequeue() : model.Peek());

    private static void Expect<T>(T expected, T actual, QueueOperation operation)
    {
        if (!EqualityComparer<T>.Default.Equals(expected, actual))
        {
            throw new InvalidOperationException($"{operation}: expected {expected}, got {actual}.");
        }
    }

    /// <summary>The members of either queue type, as delegates.</summary>
    private sealed record Driver(
        Action<int> Enqueue,
        Func<int, bool> TryEnqueue,
        Func<int> Dequeue,
        Func<(bool, int)> TryDequeue,
        Func<int> Peek,
        Func<(bool, int)> TryPeek,
        Func<int> Count,
        Func<bool> IsEmpty,
        Action Clear,
        Func<int[]> ToArray,
        Func<int[]> Enumerate);
}
