using System.Collections.Immutable;

namespace Stm.Tests.Unit.History;

/// <summary>A queue operation for linearizability tests: enqueue an item, or try to dequeue (null when empty).</summary>
public readonly record struct QueueOperation(bool IsEnqueue, int Item)
{
    public static QueueOperation Dequeue => new(false, 0);

    public static QueueOperation Enqueue(int item) => new(true, item);

    /// <summary>The sequential model: a FIFO queue; dequeue of an empty queue answers null.</summary>
    public static (ImmutableQueue<int> Next, int? Result) Apply(ImmutableQueue<int> state, QueueOperation operation)
    {
        if (operation.IsEnqueue)
        {
            return (state.Enqueue(operation.Item), null);
        }

        return state.IsEmpty ? (state, null) : (state.Dequeue(out var item), item);
    }

    public override string ToString() => IsEnqueue ? $"enqueue({Item})" : "dequeue()";
}
