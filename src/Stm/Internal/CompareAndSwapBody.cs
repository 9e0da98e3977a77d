namespace Stm.Internal;

/// <summary><see cref="TVar{T}.CompareAndSwap"/> outside a transaction, as a transaction body that needs no closure.</summary>
internal readonly struct CompareAndSwapBody<T>(TVar<T> var, T expected, T value) : IBody<bool>
{
    public bool Invoke() => var.CompareAndSwap(expected, value);
}
