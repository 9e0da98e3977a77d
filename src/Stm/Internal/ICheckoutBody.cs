namespace Stm.Internal;

/// <summary>The body of a checkout run by <c>Atomic.RunAsync</c>; implemented by structs, as <see cref="IBody{TResult}"/> is.</summary>
internal interface ICheckoutBody<TResult>
{
    ValueTask<TResult> Invoke(Checkout checkout, CancellationToken cancellationToken);
}
