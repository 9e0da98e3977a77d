namespace Stm.Internal;

/// <summary><see cref="Checkout.Write{T}"/> as a block body that needs no closure.</summary>
internal readonly struct TVarWriteBody<T>(TVar<T> var, T value) : IBody<byte>
{
    public byte Invoke()
    {
        var.Write(value);
        return 0;
    }
}
