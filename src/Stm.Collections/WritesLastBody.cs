namespace Stm.Collections;

/// <summary>
/// Runs a member's body the way <see cref="Transactional.Run{TState, TResult}(TState, Func{TState, TResult})"/>
/// does, except that inside a caller's transaction it calls the body directly instead of opening a
/// nested scope (which costs about 15 ns of a TMap set's 125). Only for bodies that write last:
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>the body calls user code (a comparer's hash or equality) only before its first TVar write,
/// and after that nothing can throw but the engine's own signals, so a body that throws has written
/// nothing and a scope would have nothing to undo;</item>
/// <item>the body never requests a retry, so there is no signal for a scope to raise where the body
/// returns (after <see cref="Transactional.RequestRetry"/> a scope stops the caller's code at once;
/// a direct call would let it run on).</item>
/// </list>
/// <para>Members that wait, or that call user code which may write (a factory), keep
/// <see cref="Transactional.Run{TState, TResult}(TState, Func{TState, TResult})"/>.
/// <c>MemberRollbackTests</c> checks the first condition with comparers that throw.</para>
/// </remarks>
internal static class WritesLastBody
{
    /// <summary>Runs <paramref name="body"/> in the caller's transaction, or as a transaction of its own outside one.</summary>
    /// <typeparam name="TState">The body's state (a value tuple, so that nothing is allocated).</typeparam>
    /// <typeparam name="TResult">The body's result.</typeparam>
    /// <param name="state">Passed to the body.</param>
    /// <param name="body">A body that writes last and never requests a retry (see the remarks).</param>
    /// <returns>What the body returned.</returns>
    public static TResult Run<TState, TResult>(TState state, Func<TState, TResult> body) =>
        Atomic.InTransaction ? body(state) : Transactional.Run(state, body);

    /// <summary>Runs <paramref name="body"/> in the caller's transaction, or as a transaction of its own outside one.</summary>
    /// <typeparam name="TState">The body's state (a value tuple, so that nothing is allocated).</typeparam>
    /// <param name="state">Passed to the body.</param>
    /// <param name="body">A body that writes last and never requests a retry (see the remarks).</param>
    public static void Run<TState>(TState state, Action<TState> body)
    {
        if (Atomic.InTransaction)
        {
            body(state);
        }
        else
        {
            Transactional.Run(state, body);
        }
    }
}
