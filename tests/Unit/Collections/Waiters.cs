using System.Reflection;

namespace Stm.Tests.Unit.Collections;

/// <summary>
/// Counts the transactions parked on a collection's own TVars (through the engine's wait lists), so
/// that a test can see a consumer park, and check that a cancelled or timed-out wait left no
/// registration behind. Looks at the TVar fields of the collection and of the cell queue a queue
/// delegates to; the cells of the list are not counted, but a parked waiter is registered on every
/// TVar it read, the head (or a reader's position) among them. A reader's count covers only its own
/// position: the channel's TVars, shared by all its readers, are counted on the channel.
/// </summary>
internal static class Waiters
{
    /// <summary>How many wait registrations the collection's TVars hold right now.</summary>
    /// <param name="collection">A TQueue, TBoundedQueue, TChannel, TChannelReader, TMVar or TSemaphore.</param>
    /// <returns>The sum of the wait-list lengths.</returns>
    public static int Count(object collection) => Count(collection, depth: 0);

    private static int Count(object holder, int depth)
    {
        int count = 0;
        for (var type = holder.GetType(); type is not null && type != typeof(object); type = type.BaseType)
        {
            foreach (var field in type.GetFields(BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public | BindingFlags.DeclaredOnly))
            {
                object? value = field.GetValue(holder);
                if (value is null)
                {
                    continue;
                }

                var fieldType = value.GetType();
                if (fieldType.IsGenericType && fieldType.GetGenericTypeDefinition() == typeof(TVar<>))
                {
                    count += WaitListLength(value);
                }
                else if (depth == 0 && fieldType.IsGenericType && fieldType.GetGenericTypeDefinition().Name == "CellQueue`1")
                {
                    count += Count(value, depth + 1);
                }
            }
        }

        return count;
    }

    private static int WaitListLength(object tvar)
    {
        object? list = tvar.GetType().GetProperty("WaitList", BindingFlags.Instance | BindingFlags.NonPublic)!.GetValue(tvar);
        return list is null ? 0 : (int)list.GetType().GetProperty("Count", BindingFlags.Instance | BindingFlags.NonPublic)!.GetValue(list)!;
    }
}
