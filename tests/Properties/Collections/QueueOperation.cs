using FsCheck;
using FsCheck.Fluent;

namespace Stm.Tests.Properties.Collections;

/// <summary>What a generated queue operation does.</summary>
public enum QueueOperationKind
{
    Enqueue,
    TryEnqueue,
    Dequeue,
    TryDequeue,
    Peek,
    TryPeek,
    Count,
    IsEmpty,
    Clear,
    Snapshot,
}

/// <summary>
/// One generated operation on a queue; <see cref="ToString"/> is what a shrunk counterexample prints.
/// </summary>
/// <param name="Kind">The operation.</param>
/// <param name="Value">The item, for the enqueues.</param>
public sealed record QueueOperation(QueueOperationKind Kind, int Value)
{
    public override string ToString() =>
        Kind is QueueOperationKind.Enqueue or QueueOperationKind.TryEnqueue ? $"{Kind}({Value})" : Kind.ToString();

    /// <summary>One operation: mostly enqueues, then the reads and dequeues, now and then a Clear.</summary>
    internal static Gen<QueueOperation> Generator() =>
        Gen.Frequency(
            (4, Gen.Choose(0, 99).Select(v => new QueueOperation(QueueOperationKind.Enqueue, v))),
            (2, Gen.Choose(0, 99).Select(v => new QueueOperation(QueueOperationKind.TryEnqueue, v))),
            (3, Gen.Elements(
                QueueOperationKind.Dequeue,
                QueueOperationKind.TryDequeue,
                QueueOperationKind.Peek,
                QueueOperationKind.TryPeek,
                QueueOperationKind.Count,
                QueueOperationKind.IsEmpty,
                QueueOperationKind.Snapshot).Select(k => new QueueOperation(k, 0))),
            (1, Gen.Constant(new QueueOperation(QueueOperationKind.Clear, 0))));

    /// <summary>Shrinks an enqueued item towards 0.</summary>
    internal static IEnumerable<QueueOperation> Shrink(QueueOperation operation)
    {
        if (operation.Value > 0)
        {
            yield return operation with { Value = 0 };
            yield return operation with { Value = operation.Value / 2 };
        }
    }
}
