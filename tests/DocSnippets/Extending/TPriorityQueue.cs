using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using Stm;

namespace DocSnippets.Extending;

// snippet: priority-queue
/// <summary>
/// A transactional priority queue: the lowest priority number comes out first, and items of one
/// priority come out in the order they went in. Every member works inside a transaction, where it
/// joins it, and outside one, where it is a transaction of its own.
/// </summary>
public sealed class TPriorityQueue<T>
{
    // The whole queue is one immutable value in one TVar: a change writes a new value, so a rolled
    // back transaction leaves nothing behind and every transaction sees one consistent queue.
    private readonly TVar<ImmutableSortedDictionary<int, ImmutableQueue<T>>> _byPriority =
        new(ImmutableSortedDictionary<int, ImmutableQueue<T>>.Empty, "TPriorityQueue");

    // One body for every form of Dequeue. RequestRetry is Atomic.Retry without the exception: the
    // body returns at once, then a top-level run waits for an Enqueue to commit, and a run nested
    // in a caller's transaction throws the retry signal there, so the caller's transaction retries.
    private static readonly Func<TPriorityQueue<T>, T> s_dequeueOrWait = static queue =>
    {
        (bool found, T item) = queue.TryDequeueCore();
        if (!found)
        {
            Transactional.RequestRetry();
        }

        return item;
    };

    // One read of one TVar: atomic anywhere, without starting a transaction.
    public bool IsEmpty => _byPriority.Value.IsEmpty;

    // A static lambda over a value-tuple state: no closure, no allocation per call.
    public void Enqueue(T item, int priority) =>
        Transactional.Run((Queue: this, Item: item, Priority: priority), static args =>
        {
            var byPriority = args.Queue._byPriority.Value;
            var same = byPriority.TryGetValue(args.Priority, out var queue) ? queue : ImmutableQueue<T>.Empty;
            args.Queue._byPriority.Value = byPriority.SetItem(args.Priority, same.Enqueue(args.Item));
        });

    public bool TryDequeue([MaybeNullWhen(false)] out T item)
    {
        (bool found, item) = Transactional.Run(this, static queue => queue.TryDequeueCore());
        return found;
    }

    // Blocks while the queue is empty: outside a transaction the thread waits; inside one the
    // transaction retries, so Dequeue composes with Atomic.OrElse and with the caller's timeout.
    public T Dequeue() => Transactional.Run(this, s_dequeueOrWait);

    // Waits without a thread; inside a transaction it joins it synchronously, like Dequeue.
    public ValueTask<T> DequeueAsync(CancellationToken cancellationToken = default) =>
        Transactional.RunAsync(this, s_dequeueOrWait, cancellationToken);

    private (bool Found, T Item) TryDequeueCore()
    {
        var byPriority = _byPriority.Value;
        if (byPriority.IsEmpty)
        {
            return (false, default!);
        }

        var (priority, queue) = byPriority.First();
        var rest = queue.Dequeue(out T item);
        _byPriority.Value = rest.IsEmpty ? byPriority.Remove(priority) : byPriority.SetItem(priority, rest);
        return (true, item);
    }
}
// end snippet: priority-queue
