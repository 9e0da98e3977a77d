using System.Runtime.CompilerServices;

namespace Stm.Internal;

/// <summary>
/// Clearing the entry buffer of a transaction log (<see cref="ReadSet"/>, <see cref="WriteSet"/>) after
/// an attempt, so the versions and TVars it references can be collected. The buffer is kept for the
/// thread's next transaction unless it grew past <see cref="RetainedCapacity"/>.
/// </summary>
internal static class LogBuffer
{
    /// <summary>Above this many entries the buffer is dropped after the attempt rather than kept for the thread.</summary>
    private const int RetainedCapacity = 4096;

    /// <summary>Up to this many entries a loop beats the <see cref="Array.Clear(Array, int, int)"/> call.</summary>
    private const int SmallClearLimit = 8;

    /// <summary>
    /// Clears the first <paramref name="count"/> entries of <paramref name="entries"/>, or replaces an
    /// oversized buffer by a fresh one of <paramref name="initialCapacity"/>. Inlined for the one or
    /// two entries of most transactions.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Clear<TEntry>(ref TEntry[] entries, int count, int initialCapacity)
        where TEntry : struct
    {
        if (count <= 2)
        {
            if (count != 0)
            {
                entries[0] = default;
                if (count == 2)
                {
                    entries[1] = default;
                }
            }

            return;
        }

        ClearMany(ref entries, count, initialCapacity);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ClearMany<TEntry>(ref TEntry[] entries, int count, int initialCapacity)
        where TEntry : struct
    {
        if (entries.Length > RetainedCapacity)
        {
            entries = new TEntry[initialCapacity];
        }
        else if (count <= SmallClearLimit)
        {
            for (int i = 0; i < count; i++)
            {
                entries[i] = default;
            }
        }
        else
        {
            Array.Clear(entries, 0, count);
        }
    }
}
