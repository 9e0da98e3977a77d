using System.Diagnostics.CodeAnalysis;
using Stm.Internal;

namespace Stm;

/// <summary>
/// For authors of transactional structures (queues, maps, pools built on <see cref="TVar{T}"/>s):
/// the <see cref="Atomic"/> run forms with a state passed to the body, and
/// <see cref="RequestRetry"/>, a <see cref="Atomic.Retry"/> that throws nothing.
/// </summary>
/// <remarks>
/// <para>Each <c>Run</c>, <c>TryRun</c> and <c>RunAsync</c> here has exactly the semantics of the
/// <see cref="Atomic"/> form of the same name: called inside a transaction it joins it as a nested
/// transaction (whose writes alone roll back if the body throws); called outside one it runs the
/// body as a top-level transaction, re-running it on conflict and waiting while it retries. So a
/// member of a structure is one call, correct wherever it is called from:
/// <c>public void Push(T item) =&gt; Transactional.Run((Stack: this, Item: item), static s =&gt; s.Stack.PushCore(s.Item));</c></para>
/// <para>The body takes what it needs from the state instead of capturing it: a <c>static</c>
/// lambda over a value-tuple state allocates no closure, and the compiler caches the delegate, so
/// a call allocates nothing beyond what the transaction writes.</para>
/// <para>These forms live here rather than on <see cref="Atomic"/> so that <see cref="Atomic"/>'s
/// overloads stay exactly as they are: code that picks one of them by parameter count or by
/// reflection finds the same method.</para>
/// </remarks>
public static class Transactional
{
    /// <summary>
    /// Runs <paramref name="body"/> with <paramref name="state"/> as a transaction: inside a
    /// transaction, joins it as a nested transaction; outside one, runs as a top-level transaction,
    /// re-run on conflict and waiting while it retries. See <see cref="Atomic.Run(Action)"/>.
    /// </summary>
    /// <typeparam name="TState">The type of the state (a value tuple passes several values without allocating).</typeparam>
    /// <param name="state">Passed to every run of <paramref name="body"/>.</param>
    /// <param name="body">The transaction body; may run several times and must be free of side effects.</param>
    /// <exception cref="ArgumentNullException"><paramref name="body"/> is null.</exception>
    /// <exception cref="NotSupportedException"><paramref name="body"/> is an async lambda (async void).</exception>
    public static void Run<TState>(TState state, Action<TState> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        AsyncActionCheck.ThrowIfAsync(body);
        var invoker = new StateActionBody<TState>(body, state);
        RunEntry.Run<StateActionBody<TState>, byte>(ref invoker, long.MaxValue, CancellationToken.None, out _);
    }

    /// <summary>
    /// Runs <paramref name="body"/> with <paramref name="state"/> as a transaction and returns its
    /// result: inside a transaction, joins it as a nested transaction; outside one, runs as a
    /// top-level transaction. See <see cref="Atomic.Run{T}(Func{T})"/>.
    /// </summary>
    /// <typeparam name="TState">The type of the state.</typeparam>
    /// <typeparam name="TResult">The result type; must not be a task (a transaction cannot span an await).</typeparam>
    /// <param name="state">Passed to every run of <paramref name="body"/>.</param>
    /// <param name="body">The transaction body; may run several times and must be free of side effects.</param>
    /// <returns>The result of the attempt that committed (inside a transaction, of the nested run).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="body"/> is null.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="TResult"/> is a Task or ValueTask (an async lambda).</exception>
    public static TResult Run<TState, TResult>(TState state, Func<TState, TResult> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        AsyncBodyCheck<TResult>.ThrowIfAsync();
        var invoker = new StateFuncBody<TState, TResult>(body, state);
        RunEntry.Run<StateFuncBody<TState, TResult>, TResult>(ref invoker, long.MaxValue, CancellationToken.None, out TResult result);
        return result;
    }

    /// <summary>
    /// Runs <paramref name="body"/> with <paramref name="state"/> as a transaction; outside a
    /// transaction, a wait in <see cref="Atomic.Retry"/> ends with
    /// <see cref="OperationCanceledException"/> (nothing committed) when
    /// <paramref name="cancellationToken"/> is cancelled. Inside a transaction, joins it (the
    /// enclosing transaction does the waiting). See <see cref="Atomic.Run(Action, CancellationToken)"/>.
    /// </summary>
    /// <typeparam name="TState">The type of the state.</typeparam>
    /// <param name="state">Passed to every run of <paramref name="body"/>.</param>
    /// <param name="body">The transaction body; may run several times and must be free of side effects.</param>
    /// <param name="cancellationToken">Cancels a wait in <see cref="Atomic.Retry"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="body"/> is null.</exception>
    /// <exception cref="NotSupportedException"><paramref name="body"/> is an async lambda (async void).</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled before the transaction committed.</exception>
    public static void Run<TState>(TState state, Action<TState> body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        AsyncActionCheck.ThrowIfAsync(body);
        var invoker = new StateActionBody<TState>(body, state);
        RunEntry.Run<StateActionBody<TState>, byte>(ref invoker, long.MaxValue, cancellationToken, out _);
    }

    /// <summary>
    /// Runs <paramref name="body"/> with <paramref name="state"/> as a transaction and returns its
    /// result; outside a transaction, a wait in <see cref="Atomic.Retry"/> ends with
    /// <see cref="OperationCanceledException"/> when <paramref name="cancellationToken"/> is
    /// cancelled. Inside a transaction, joins it. See <see cref="Atomic.Run{T}(Func{T}, CancellationToken)"/>.
    /// </summary>
    /// <typeparam name="TState">The type of the state.</typeparam>
    /// <typeparam name="TResult">The result type; must not be a task.</typeparam>
    /// <param name="state">Passed to every run of <paramref name="body"/>.</param>
    /// <param name="body">The transaction body; may run several times and must be free of side effects.</param>
    /// <param name="cancellationToken">Cancels a wait in <see cref="Atomic.Retry"/>.</param>
    /// <returns>The result of the attempt that committed.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="body"/> is null.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="TResult"/> is a Task or ValueTask (an async lambda).</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled before the transaction committed.</exception>
    public static TResult Run<TState, TResult>(TState state, Func<TState, TResult> body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        AsyncBodyCheck<TResult>.ThrowIfAsync();
        var invoker = new StateFuncBody<TState, TResult>(body, state);
        RunEntry.Run<StateFuncBody<TState, TResult>, TResult>(ref invoker, long.MaxValue, cancellationToken, out TResult result);
        return result;
    }

    /// <summary>
    /// Runs <paramref name="body"/> with <paramref name="state"/> as a transaction, giving up if it
    /// is still waiting in <see cref="Atomic.Retry"/> when <paramref name="timeout"/> has elapsed.
    /// Inside a transaction, joins it and returns true (the enclosing transaction does the waiting).
    /// See <see cref="Atomic.TryRun(Action, TimeSpan)"/>.
    /// </summary>
    /// <typeparam name="TState">The type of the state.</typeparam>
    /// <param name="state">Passed to every run of <paramref name="body"/>.</param>
    /// <param name="body">The transaction body; may run several times and must be free of side effects.</param>
    /// <param name="timeout">How long to wait in total; <see cref="TimeSpan.Zero"/> makes one attempt
    /// and does not wait, <see cref="Timeout.InfiniteTimeSpan"/> waits for ever.</param>
    /// <returns>True if the transaction committed; false (nothing committed) on timeout.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="body"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative and not infinite.</exception>
    /// <exception cref="NotSupportedException"><paramref name="body"/> is an async lambda (async void).</exception>
    public static bool TryRun<TState>(TState state, Action<TState> body, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(body);
        AsyncActionCheck.ThrowIfAsync(body);
        long deadline = RunEntry.Deadline(timeout);
        var invoker = new StateActionBody<TState>(body, state);
        return RunEntry.Run<StateActionBody<TState>, byte>(ref invoker, deadline, CancellationToken.None, out _);
    }

    /// <summary>
    /// Runs <paramref name="body"/> with <paramref name="state"/> as a transaction, giving up if it
    /// is still waiting in <see cref="Atomic.Retry"/> when <paramref name="timeout"/> has elapsed.
    /// Inside a transaction, joins it and returns true. See <see cref="Atomic.TryRun{T}(Func{T}, TimeSpan, out T)"/>.
    /// </summary>
    /// <typeparam name="TState">The type of the state.</typeparam>
    /// <typeparam name="TResult">The result type; must not be a task.</typeparam>
    /// <param name="state">Passed to every run of <paramref name="body"/>.</param>
    /// <param name="body">The transaction body; may run several times and must be free of side effects.</param>
    /// <param name="timeout">How long to wait in total; <see cref="TimeSpan.Zero"/> makes one attempt
    /// and does not wait, <see cref="Timeout.InfiniteTimeSpan"/> waits for ever.</param>
    /// <param name="result">The result when the transaction committed; default otherwise.</param>
    /// <returns>True if the transaction committed; false (nothing committed) on timeout.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="body"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative and not infinite.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="TResult"/> is a Task or ValueTask (an async lambda).</exception>
    public static bool TryRun<TState, TResult>(TState state, Func<TState, TResult> body, TimeSpan timeout, [MaybeNullWhen(false)] out TResult result)
    {
        ArgumentNullException.ThrowIfNull(body);
        AsyncBodyCheck<TResult>.ThrowIfAsync();
        long deadline = RunEntry.Deadline(timeout);
        var invoker = new StateFuncBody<TState, TResult>(body, state);
        if (RunEntry.Run<StateFuncBody<TState, TResult>, TResult>(ref invoker, deadline, CancellationToken.None, out result))
        {
            return true;
        }

        result = default;
        return false;
    }

    /// <summary>
    /// Runs <paramref name="body"/> with <paramref name="state"/> as a transaction, waiting for
    /// <see cref="Atomic.Retry"/> without blocking a thread (the body itself runs synchronously).
    /// Completes synchronously, without allocating, when the transaction commits without waiting.
    /// Inside a transaction, joins it synchronously. See <see cref="Atomic.RunAsync(Action, CancellationToken)"/>.
    /// </summary>
    /// <remarks>The state is kept with the body across waits, so the body may take everything it
    /// needs from it and capture nothing, wherever it resumes.</remarks>
    /// <typeparam name="TState">The type of the state.</typeparam>
    /// <param name="state">Passed to every run of <paramref name="body"/>.</param>
    /// <param name="body">The transaction body; may run several times and must be free of side effects.</param>
    /// <param name="cancellationToken">Cancels a wait in <see cref="Atomic.Retry"/>.</param>
    /// <returns>A task that completes when the transaction has committed.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="body"/> is null.</exception>
    /// <exception cref="NotSupportedException"><paramref name="body"/> is an async lambda (async void).</exception>
    public static ValueTask RunAsync<TState>(TState state, Action<TState> body, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        AsyncActionCheck.ThrowIfAsync(body);
        var invoker = new StateActionBody<TState>(body, state);
        return RunEntry.WithoutResult(RunEntry.RunAsync<StateActionBody<TState>, byte>(ref invoker, cancellationToken));
    }

    /// <summary>
    /// Runs <paramref name="body"/> with <paramref name="state"/> as a transaction and returns its
    /// result, waiting for <see cref="Atomic.Retry"/> without blocking a thread. Inside a
    /// transaction, joins it synchronously. See <see cref="Atomic.RunAsync{T}(Func{T}, CancellationToken)"/>.
    /// </summary>
    /// <typeparam name="TState">The type of the state.</typeparam>
    /// <typeparam name="TResult">The result type; must not be a task.</typeparam>
    /// <param name="state">Passed to every run of <paramref name="body"/>.</param>
    /// <param name="body">The transaction body; may run several times and must be free of side effects.</param>
    /// <param name="cancellationToken">Cancels a wait in <see cref="Atomic.Retry"/>.</param>
    /// <returns>A task with the result of the attempt that committed.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="body"/> is null.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="TResult"/> is a Task or ValueTask (an async lambda).</exception>
    public static ValueTask<TResult> RunAsync<TState, TResult>(TState state, Func<TState, TResult> body, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        AsyncBodyCheck<TResult>.ThrowIfAsync();
        var invoker = new StateFuncBody<TState, TResult>(body, state);
        return RunEntry.RunAsync<StateFuncBody<TState, TResult>, TResult>(ref invoker, cancellationToken);
    }

    /// <summary>
    /// <see cref="Atomic.Retry"/> without throwing: marks the current attempt as retrying and
    /// returns. Only inside a transaction. <b>The body must then return at once</b>: any TVar read
    /// or write before it returns throws the retry signal, as <see cref="Atomic.Retry"/> would, and
    /// whatever it returns is discarded.
    /// </summary>
    /// <remarks>
    /// <para>When the body of a top-level run returns, the run rolls the attempt back and waits until
    /// a commit changes a TVar the attempt read, then runs the body again: exactly what
    /// <see cref="Atomic.Retry"/> does, without the cost of throwing and catching an exception on
    /// the waiting thread. The token and timeout forms stop that wait as after
    /// <see cref="Atomic.Retry"/>.</para>
    /// <para>When the body of a nested run (a <c>Run</c> called inside a transaction) or of an
    /// <see cref="Atomic.OrElse(Action, Action)"/> branch returns, the retry signal is thrown there,
    /// so the code around it unwinds as after <see cref="Atomic.Retry"/>: the first branch of
    /// <c>OrElse</c> gives way to the second, and anywhere else the whole transaction retries. So a
    /// member of a structure may end its body with <c>RequestRetry()</c> and be correct both inside
    /// and outside a caller's transaction.</para>
    /// <para>As with <see cref="Atomic.Retry"/>, a transaction that has read no TVar cannot wait
    /// (nothing could wake it): the run throws <see cref="InvalidOperationException"/>.</para>
    /// </remarks>
    /// <exception cref="InvalidOperationException">Called outside a transaction.</exception>
    public static void RequestRetry()
    {
        Transaction transaction = Transaction.Current ?? ThrowNotInTransaction();
        transaction.RequestRetry();
    }

    [DoesNotReturn]
    private static Transaction ThrowNotInTransaction()
    {
        ThrowHelper.ThrowNotInTransaction("Transactional.RequestRetry");
        return null!;
    }
}
