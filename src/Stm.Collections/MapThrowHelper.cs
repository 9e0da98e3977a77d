using System.Diagnostics.CodeAnalysis;

namespace Stm.Collections;

/// <summary>
/// Throws and checks for the map-like collections, kept off their hot paths.
/// </summary>
internal static class MapThrowHelper
{

    [DoesNotReturn]
    public static void ThrowKeyNotFound<TKey>(TKey key) =>
        throw new KeyNotFoundException($"The given key '{key}' was not present in the collection. Use TryGetValue to look up a key that may be absent.");

    [DoesNotReturn]
    public static void ThrowDuplicateKey<TKey>(TKey key) =>
        throw new ArgumentException($"An item with the same key has already been added. Key: {key}. Use TryAdd or the indexer to add or replace without an exception.", nameof(key));

    [DoesNotReturn]
    public static void ThrowDuplicateKeyInCollection<TKey>(TKey key, string paramName) =>
        throw new ArgumentException($"The collection contains the key '{key}' more than once.", paramName);

    [DoesNotReturn]
    public static void ThrowRangeReversed() =>
        throw new ArgumentException("fromInclusive must not be greater than toExclusive under the map's comparer.", "fromInclusive");

    public static NotSupportedException ReadOnlyView() =>
        new("This view of the map's keys or values is read-only; change the map itself.");

    /// <summary>The argument checks of <see cref="ICollection{T}.CopyTo"/> that need no snapshot.</summary>
    public static void CheckCopyToArguments<T>(T[] array, int arrayIndex)
    {
        ArgumentNullException.ThrowIfNull(array);
        ArgumentOutOfRangeException.ThrowIfNegative(arrayIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(arrayIndex, array.Length);
    }

    /// <summary>The space check of <see cref="ICollection{T}.CopyTo"/>, once the snapshot is taken.</summary>
    public static void CheckCopyToSpace<T>(T[] array, int arrayIndex, int count)
    {
        if (array.Length - arrayIndex < count)
        {
            ThrowCopyToTooSmall(count, nameof(array));
        }
    }

    [DoesNotReturn]
    private static void ThrowCopyToTooSmall(int count, string paramName) =>
        throw new ArgumentException($"The destination array is too small: it needs room for {count} elements from arrayIndex on.", paramName);
}
