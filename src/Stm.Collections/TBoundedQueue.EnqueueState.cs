namespace Stm.Collections;

/// <content>The state of one enqueue that runs as its own transaction.</content>
public sealed partial class TBoundedQueue<T>
{
    /// <summary>
    /// The queue and the item of one enqueue run outside a transaction, with the transaction bodies
    /// as methods, so that the spinning attempts and the final blocking one share one allocation.
    /// </summary>
    /// <param name="queue">The queue.</param>
    /// <param name="item">The item to add.</param>
    private sealed class EnqueueState(TBoundedQueue<T> queue, T item)
    {
        /// <summary>The non-blocking attempt (a transaction body: it may run several times).</summary>
        /// <returns><see langword="true"/> if the item was added.</returns>
        public bool TryEnqueue() => queue.TryEnqueueCore(item);

        /// <summary>The blocking attempt: retries while the queue is full.</summary>
        public void Enqueue() => queue.EnqueueCore(item);
    }
}
