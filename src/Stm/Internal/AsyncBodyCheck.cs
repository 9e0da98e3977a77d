namespace Stm.Internal;

/// <summary>Whether a body result type is a task, which would mean the body tries to span an await.</summary>
internal static class AsyncBodyCheck<T>
{
    internal static readonly bool IsAsync =
        typeof(Task).IsAssignableFrom(typeof(T))
        || typeof(T) == typeof(ValueTask)
        || (typeof(T).IsGenericType && typeof(T).GetGenericTypeDefinition() == typeof(ValueTask<>));

    internal static void ThrowIfAsync()
    {
        if (IsAsync)
        {
            ThrowHelper.ThrowAsyncBody(typeof(T));
        }
    }
}
