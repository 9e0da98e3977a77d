namespace Stm.Internal;

/// <summary><see cref="Checkout.Read{T}"/> as a block body that needs no closure.</summary>
internal readonly struct TVarReadBody<T>(TVar<T> var) : IBody<T>
{
    public T Invoke() => var.Read();
}
