namespace Stm.Collections;

/// <summary>
/// What the debugger displays and views of the collections show: values read without starting a
/// transaction, and nothing inside one, where a TVar read would join the transaction being debugged
/// (and could make it conflict or change what it waits for).
/// </summary>
internal static class DebuggerRead
{
    /// <summary>Shown instead of a value inside a transaction.</summary>
    public const string NotEvaluated = "(not evaluated inside a transaction)";

    /// <summary>The text <paramref name="text"/> makes from <paramref name="state"/>, or <see cref="NotEvaluated"/> inside a transaction.</summary>
    /// <typeparam name="TState">What the text is made from (the collection).</typeparam>
    /// <param name="state">Passed to <paramref name="text"/>.</param>
    /// <param name="text">Reads the value without a transaction and formats it.</param>
    /// <returns>The text to show.</returns>
    public static string Text<TState>(TState state, Func<TState, string> text) =>
        Atomic.InTransaction ? NotEvaluated : text(state);

    /// <summary>The items <paramref name="items"/> reads from <paramref name="state"/>, or none inside a transaction.</summary>
    /// <typeparam name="TState">What the items are read from (the collection).</typeparam>
    /// <typeparam name="TItem">The item type.</typeparam>
    /// <param name="state">Passed to <paramref name="items"/>.</param>
    /// <param name="items">Reads the items without a transaction.</param>
    /// <returns>The items to show.</returns>
    public static TItem[] Items<TState, TItem>(TState state, Func<TState, TItem[]> items) =>
        Atomic.InTransaction ? [] : items(state);
}
