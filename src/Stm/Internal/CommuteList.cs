namespace Stm.Internal;

/// <summary>
/// Pending commutes of one TVar in a write set, kept without an extra allocation for the common
/// case of a single commute: the holder is either one <see cref="Func{T, TResult}"/> or a
/// <see cref="List{T}"/> of them, applied in the order they were recorded.
/// </summary>
internal static class CommuteList<T>
{
    /// <summary>Applies the commutes in <paramref name="commutes"/> to <paramref name="value"/> in order.</summary>
    internal static T Apply(object commutes, T value)
    {
        if (commutes is Func<T, T> single)
        {
            return single(value);
        }

        foreach (Func<T, T> update in (List<Func<T, T>>)commutes)
        {
            value = update(value);
        }

        return value;
    }

    /// <summary>
    /// Returns a holder with <paramref name="update"/> appended. When <paramref name="shareable"/> is
    /// false the existing holder belongs to an outer scope's undo record, so it is copied, never changed.
    /// </summary>
    internal static object Append(object? commutes, Func<T, T> update, bool shareable)
    {
        switch (commutes)
        {
            case null:
                return update;
            case Func<T, T> single:
                return new List<Func<T, T>> { single, update };
            default:
                var list = (List<Func<T, T>>)commutes;
                if (!shareable)
                {
                    list = new List<Func<T, T>>(list);
                }

                list.Add(update);
                return list;
        }
    }
}
