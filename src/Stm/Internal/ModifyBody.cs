namespace Stm.Internal;

/// <summary><see cref="TVar{T}.Modify"/> outside a transaction, as a transaction body that needs no closure.</summary>
internal readonly struct ModifyBody<T>(TVar<T> var, Func<T, T> update) : IBody<T>
{
    public T Invoke() => var.Modify(update);
}
