namespace Stm.Internal;

/// <summary><see cref="TVar{T}.Swap"/> outside a transaction, as a transaction body that needs no closure.</summary>
internal readonly struct SwapBody<T>(TVar<T> var, T value) : IBody<T>
{
    public T Invoke() => var.Swap(value);
}
