namespace Stm.Analyzers;

/// <summary>Where a piece of code runs, as far as the syntax around it tells.</summary>
internal enum ScopeKind
{
    /// <summary>Inside a transaction body.</summary>
    Inside,

    /// <summary>
    /// Outside any transaction: in a handler, on another thread, in an async function or in the
    /// checkout body of <c>RunAsync</c> (outside its blocks).
    /// </summary>
    Outside,

    /// <summary>
    /// In a lambda kept for later (stored in a variable, field or array, or returned): it runs wherever
    /// it is eventually called, which the syntax does not tell.
    /// </summary>
    Unknown,

    /// <summary>
    /// Directly in a method, accessor, constructor or local function (<see cref="TransactionContext.Function"/>),
    /// outside any lambda that says more: it runs inside a transaction exactly when its callers do.
    /// </summary>
    Function,
}
