namespace Stm.Internal;

/// <summary>A checkout body with no result.</summary>
internal readonly struct CheckoutBody(Func<Checkout, CancellationToken, ValueTask> body) : ICheckoutBody<byte>
{
    public async ValueTask<byte> Invoke(Checkout checkout, CancellationToken cancellationToken)
    {
        await body(checkout, cancellationToken).ConfigureAwait(false);
        return 0;
    }
}
