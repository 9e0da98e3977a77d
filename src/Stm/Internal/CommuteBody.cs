namespace Stm.Internal;

/// <summary><see cref="TVar{T}.Commute"/> outside a transaction, as a transaction body that needs no closure.</summary>
internal readonly struct CommuteBody<T>(TVar<T> var, Func<T, T> update) : IBody<byte>
{
    public byte Invoke()
    {
        var.Commute(update);
        return 0;
    }
}
