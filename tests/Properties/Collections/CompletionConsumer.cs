namespace Stm.Tests.Properties.Collections;

/// <summary>How a consumer of a <see cref="CompletionScenario"/> takes items until the queue is completed and drained.</summary>
public enum CompletionConsumer
{
    /// <summary><c>Dequeue()</c> outside a transaction, until it throws <c>ChannelClosedException</c>.</summary>
    Dequeue,

    /// <summary><c>Dequeue()</c> inside <c>Atomic.Run</c> (it retries there), until it throws <c>ChannelClosedException</c>.</summary>
    DequeueInTransaction,

    /// <summary><c>DequeueAsync</c>, until it faults with <c>ChannelClosedException</c>.</summary>
    DequeueAsync,

    /// <summary><c>GetConsumingEnumerable</c> to its end.</summary>
    ConsumingEnumerable,

    /// <summary><c>ReadAllAsync</c> to its end.</summary>
    ReadAllAsync,
}
