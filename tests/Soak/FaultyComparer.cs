namespace Stm.Soak;

/// <summary>
/// An equality comparer for <see cref="int"/> keys that throws an <see cref="InjectedFaultException"/>
/// when the calling thread has armed it: a user delegate failing inside a collection operation.
/// </summary>
internal sealed class FaultyComparer : IEqualityComparer<int>
{
    /// <summary>Set by a worker just before an operation that should fail; cleared by the throw.</summary>
    [ThreadStatic]
    private static bool t_armed;

    /// <summary>Makes the next comparer call on this thread throw.</summary>
    public static void Arm() => t_armed = true;

    /// <summary>Clears a pending fault that was not triggered.</summary>
    public static void Disarm() => t_armed = false;

    /// <inheritdoc/>
    public bool Equals(int x, int y)
    {
        ThrowIfArmed();
        return x == y;
    }

    /// <inheritdoc/>
    public int GetHashCode(int obj)
    {
        ThrowIfArmed();
        return obj * 31;
    }

    private static void ThrowIfArmed()
    {
        if (t_armed)
        {
            t_armed = false;
            throw new InjectedFaultException("injected comparer fault") { Kind = FaultKind.UserDelegate };
        }
    }
}
