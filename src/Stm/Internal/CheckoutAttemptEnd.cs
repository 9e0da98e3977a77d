namespace Stm.Internal;

/// <summary>How one run of a checkout body ended, for the loop of <see cref="CheckoutRunner"/>.</summary>
internal enum CheckoutAttemptEnd
{
    /// <summary>The checkout committed (by the body itself, or after it returned).</summary>
    Committed,

    /// <summary>A block retried: wait for a TVar the checkout read to change, then run the body again.</summary>
    Retried,

    /// <summary>A block or the commit conflicted: run the body again on a fresh checkout after a pause.</summary>
    Conflicted,
}
