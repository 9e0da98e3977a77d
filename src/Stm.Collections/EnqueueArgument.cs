using System.Runtime.CompilerServices;

namespace Stm.Collections;

/// <summary>
/// The item of an enqueue that runs as its own transaction, passed to a body cached on the queue
/// through a thread-static instead of a closure, so that such an enqueue allocates no delegate.
/// </summary>
/// <typeparam name="T">The type of the items.</typeparam>
/// <remarks>
/// Sound because the body runs synchronously on the thread that set the item (a blocking attempt
/// waits on that thread too), and nothing the body calls starts another enqueue outside a
/// transaction. Asynchronous enqueues may resume on another thread and keep using a closure.
/// </remarks>
internal static class EnqueueArgument<T>
{
    [ThreadStatic]
    private static T? t_item;

    /// <summary>The item set by the enqueue running on this thread.</summary>
    public static T Item => t_item!;

    /// <summary>Sets the item for a body about to run on this thread.</summary>
    /// <param name="item">The item to enqueue.</param>
    public static void Set(T item) => t_item = item;

    /// <summary>Drops the item once the transaction is over, so an idle thread keeps no item alive.</summary>
    public static void Clear()
    {
        if (RuntimeHelpers.IsReferenceOrContainsReferences<T>())
        {
            t_item = default;
        }
    }
}
