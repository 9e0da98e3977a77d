namespace Stm.Internal;

/// <summary>A checkout body with a result.</summary>
internal readonly struct CheckoutFuncBody<T>(Func<Checkout, CancellationToken, ValueTask<T>> body) : ICheckoutBody<T>
{
    public ValueTask<T> Invoke(Checkout checkout, CancellationToken cancellationToken) => body(checkout, cancellationToken);
}
