using System.Diagnostics.CodeAnalysis;
using Stm.Internal;

namespace Stm;

/// <summary>
/// Runs transactions over <see cref="TVar{T}"/>s, and the operations that only make sense inside
/// one: <see cref="Retry"/>, <see cref="Check"/>, <see cref="OrElse(Action, Action)"/> and the
/// commit/rollback handlers.
/// </summary>
/// <remarks>
/// <para>A body passed to <c>Run</c> runs as one transaction: its writes become visible together
/// at commit, or not at all, and every attempt sees a consistent snapshot. An attempt that
/// conflicts with a concurrent commit is rolled back and re-run, so <b>a body may run several times
/// and must be free of side effects</b> other than TVar writes; put other effects in
/// <see cref="AfterCommit"/>.</para>
/// <para><c>Run</c> called inside a transaction joins it as a nested transaction: if the nested
/// body throws, only its writes are rolled back.</para>
/// </remarks>
public static class Atomic
{
    /// <summary>
    /// Runs <paramref name="body"/> as a transaction, re-running it on conflict and waiting while it
    /// calls <see cref="Retry"/>. Inside a transaction, joins it as a nested transaction. May block
    /// (only through <see cref="Retry"/>).
    /// </summary>
    /// <param name="body">The transaction body; may run several times and must be free of side effects.</param>
    /// <exception cref="ArgumentNullException"><paramref name="body"/> is null.</exception>
    public static void Run(Action body)
    {
        ArgumentNullException.ThrowIfNull(body);
        AsyncActionCheck.ThrowIfAsync(body);
        var invoker = new ActionBody(body);
        RunEntry.Run<ActionBody, byte>(ref invoker, long.MaxValue, CancellationToken.None, out _);
    }

    /// <summary>
    /// Runs <paramref name="body"/> as a transaction and returns its result; see <see cref="Run(Action)"/>.
    /// </summary>
    /// <typeparam name="T">The result type; must not be a task (a transaction cannot span an await).</typeparam>
    /// <param name="body">The transaction body; may run several times and must be free of side effects.</param>
    /// <returns>The result of the attempt that committed.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="body"/> is null.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is a Task or ValueTask (an async lambda).</exception>
    public static T Run<T>(Func<T> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        AsyncBodyCheck<T>.ThrowIfAsync();
        var invoker = new FuncBody<T>(body);
        RunEntry.Run<FuncBody<T>, T>(ref invoker, long.MaxValue, CancellationToken.None, out T result);
        return result;
    }

    /// <summary>
    /// Runs <paramref name="body"/> as a transaction; a wait in <see cref="Retry"/> ends with
    /// <see cref="OperationCanceledException"/> (nothing committed) when
    /// <paramref name="cancellationToken"/> is cancelled. Inside a transaction, joins it (the
    /// enclosing transaction does the waiting).
    /// </summary>
    /// <param name="body">The transaction body; may run several times and must be free of side effects.</param>
    /// <param name="cancellationToken">Cancels a wait in <see cref="Retry"/>.</param>
    /// <exception cref="OperationCanceledException">The token was cancelled before the transaction committed.</exception>
    public static void Run(Action body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        AsyncActionCheck.ThrowIfAsync(body);
        var invoker = new ActionBody(body);
        RunEntry.Run<ActionBody, byte>(ref invoker, long.MaxValue, cancellationToken, out _);
    }

    /// <summary>
    /// Runs <paramref name="body"/> as a transaction and returns its result; a wait in
    /// <see cref="Retry"/> ends with <see cref="OperationCanceledException"/> when
    /// <paramref name="cancellationToken"/> is cancelled. See <see cref="Run(Action, CancellationToken)"/>.
    /// </summary>
    /// <typeparam name="T">The result type; must not be a task.</typeparam>
    /// <param name="body">The transaction body; may run several times and must be free of side effects.</param>
    /// <param name="cancellationToken">Cancels a wait in <see cref="Retry"/>.</param>
    /// <returns>The result of the attempt that committed.</returns>
    public static T Run<T>(Func<T> body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        AsyncBodyCheck<T>.ThrowIfAsync();
        var invoker = new FuncBody<T>(body);
        RunEntry.Run<FuncBody<T>, T>(ref invoker, long.MaxValue, cancellationToken, out T result);
        return result;
    }

    /// <summary>
    /// Runs <paramref name="body"/> as a transaction, giving up if it is still waiting in
    /// <see cref="Retry"/> when <paramref name="timeout"/> has elapsed. Inside a transaction, joins
    /// it and returns true (the enclosing transaction does the waiting).
    /// </summary>
    /// <param name="body">The transaction body; may run several times and must be free of side effects.</param>
    /// <param name="timeout">How long to wait in total; <see cref="Timeout.InfiniteTimeSpan"/> waits forever.</param>
    /// <returns>True if the transaction committed; false (nothing committed) on timeout.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative and not infinite.</exception>
    public static bool TryRun(Action body, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(body);
        AsyncActionCheck.ThrowIfAsync(body);
        long deadline = RunEntry.Deadline(timeout);
        var invoker = new ActionBody(body);
        return RunEntry.Run<ActionBody, byte>(ref invoker, deadline, CancellationToken.None, out _);
    }

    /// <summary>
    /// Runs <paramref name="body"/> as a transaction, giving up if it is still waiting in
    /// <see cref="Retry"/> when <paramref name="timeout"/> has elapsed. See <see cref="TryRun(Action, TimeSpan)"/>.
    /// </summary>
    /// <typeparam name="T">The result type; must not be a task.</typeparam>
    /// <param name="body">The transaction body; may run several times and must be free of side effects.</param>
    /// <param name="timeout">How long to wait in total; <see cref="Timeout.InfiniteTimeSpan"/> waits forever.</param>
    /// <param name="result">The result when the transaction committed; default otherwise.</param>
    /// <returns>True if the transaction committed; false (nothing committed) on timeout.</returns>
    public static bool TryRun<T>(Func<T> body, TimeSpan timeout, [MaybeNullWhen(false)] out T result)
    {
        ArgumentNullException.ThrowIfNull(body);
        AsyncBodyCheck<T>.ThrowIfAsync();
        long deadline = RunEntry.Deadline(timeout);
        var invoker = new FuncBody<T>(body);
        if (RunEntry.Run<FuncBody<T>, T>(ref invoker, deadline, CancellationToken.None, out result))
        {
            return true;
        }

        result = default;
        return false;
    }

    /// <summary>
    /// Runs <paramref name="body"/> as a transaction, waiting for <see cref="Retry"/> without blocking
    /// a thread (the body itself runs synchronously). Completes synchronously, without allocating,
    /// when the transaction commits without waiting. Inside a transaction, joins it synchronously.
    /// </summary>
    /// <param name="body">The transaction body; may run several times and must be free of side effects.</param>
    /// <param name="cancellationToken">Cancels a wait in <see cref="Retry"/>.</param>
    /// <returns>A task that completes when the transaction has committed.</returns>
    public static ValueTask RunAsync(Action body, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        AsyncActionCheck.ThrowIfAsync(body);
        var invoker = new ActionBody(body);
        return RunEntry.WithoutResult(RunEntry.RunAsync<ActionBody, byte>(ref invoker, cancellationToken));
    }

    /// <summary>
    /// Runs <paramref name="body"/> as a transaction and returns its result, waiting for
    /// <see cref="Retry"/> without blocking a thread. See <see cref="RunAsync(Action, CancellationToken)"/>.
    /// </summary>
    /// <typeparam name="T">The result type; must not be a task.</typeparam>
    /// <param name="body">The transaction body; may run several times and must be free of side effects.</param>
    /// <param name="cancellationToken">Cancels a wait in <see cref="Retry"/>.</param>
    /// <returns>A task with the result of the attempt that committed.</returns>
    public static ValueTask<T> RunAsync<T>(Func<T> body, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        AsyncBodyCheck<T>.ThrowIfAsync();
        var invoker = new FuncBody<T>(body);
        return RunEntry.RunAsync<FuncBody<T>, T>(ref invoker, cancellationToken);
    }

    /// <summary>
    /// Checks out a transaction that is held in the caller's hand rather than bound to a thread:
    /// run blocks in it (with awaits between them), then <see cref="Stm.Checkout.Commit"/> or
    /// dispose it. Its snapshot is taken now.
    /// </summary>
    /// <returns>An open checkout; dispose of it when done.</returns>
    /// <exception cref="InvalidOperationException">Called inside a transaction.</exception>
    public static Checkout Checkout()
    {
        ThrowHelper.ThrowIfCheckoutInsideTransaction("Atomic.Checkout");

        return new Checkout(retryAllowed: false);
    }

    /// <summary>
    /// Check out, update, commit; on a clash, rinse and repeat. Runs <paramref name="body"/> with a
    /// fresh checkout, commits it when the body completes, and on a <see cref="ConflictException"/>
    /// (from a block or from the commit) runs the whole body again with a fresh checkout.
    /// <see cref="Retry"/> in a block abandons the attempt and waits, without blocking a thread, until
    /// a TVar the checkout read changes, then runs the body again.
    /// </summary>
    /// <param name="body">The work: blocks on the checkout, with awaits between them. May run several
    /// times: keep side effects out of it, or register them with <see cref="AfterCommit"/> in a block.</param>
    /// <param name="cancellationToken">Stops the loop (and is passed to the body): nothing is committed.</param>
    /// <returns>A task that completes when a run of the body has committed.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="body"/> is null.</exception>
    /// <exception cref="InvalidOperationException">Called inside a transaction.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled before a run committed.</exception>
    public static ValueTask RunAsync(Func<Checkout, CancellationToken, ValueTask> body, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        ThrowHelper.ThrowIfCheckoutInsideTransaction("Atomic.RunAsync with a checkout body");
        return new ValueTask(CheckoutRunner.RunAsync<CheckoutBody, byte>(new CheckoutBody(body), cancellationToken).AsTask());
    }

    /// <summary>
    /// Check out, update, commit, returning the body's result; see
    /// <see cref="RunAsync(Func{Checkout, CancellationToken, ValueTask}, CancellationToken)"/>. Only outside any transaction.
    /// </summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="body">The work: blocks on the checkout, with awaits between them.</param>
    /// <param name="cancellationToken">Stops the loop (and is passed to the body): nothing is committed.</param>
    /// <returns>The result of the run of the body that committed.</returns>
    public static ValueTask<T> RunAsync<T>(Func<Checkout, CancellationToken, ValueTask<T>> body, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        ThrowHelper.ThrowIfCheckoutInsideTransaction("Atomic.RunAsync with a checkout body");
        return CheckoutRunner.RunAsync<CheckoutFuncBody<T>, T>(new CheckoutFuncBody<T>(body), cancellationToken);
    }

    /// <summary>
    /// Abandons the current attempt, discards its writes, and waits until a commit changes one of
    /// the TVars it has read, then runs the body again. Inside
    /// <see cref="OrElse(Action, Action)"/>'s first branch, runs the second branch instead. Only
    /// inside a transaction. Never returns.
    /// </summary>
    /// <exception cref="InvalidOperationException">Called outside a transaction; or the transaction
    /// waits having read no TVar, so nothing could ever wake it.</exception>
    [DoesNotReturn]
    public static void Retry()
    {
        Transaction transaction = Transaction.Current ?? ThrowNotInTransaction(nameof(Retry));
        throw transaction.SignalRetry();
    }

    /// <summary>Calls <see cref="Retry"/> unless <paramref name="condition"/> holds. Only inside a transaction.</summary>
    /// <param name="condition">The condition the transaction needs in order to proceed.</param>
    /// <exception cref="InvalidOperationException">Called outside a transaction.</exception>
    public static void Check(bool condition)
    {
        Transaction transaction = Transaction.Current ?? ThrowNotInTransaction(nameof(Check));
        if (!condition)
        {
            throw transaction.SignalRetry();
        }
    }

    /// <summary>
    /// Runs <paramref name="first"/> as a nested transaction; if it calls <see cref="Retry"/>, rolls
    /// its writes back and runs <paramref name="second"/> instead. If both retry, the enclosing
    /// transaction retries and waits on the reads of both. Only inside a transaction.
    /// </summary>
    /// <param name="first">The preferred alternative.</param>
    /// <param name="second">The alternative run when <paramref name="first"/> retries.</param>
    /// <exception cref="InvalidOperationException">Called outside a transaction.</exception>
    public static void OrElse(Action first, Action second)
    {
        Transaction transaction = Transaction.Current ?? ThrowNotInTransaction(nameof(OrElse));
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        AsyncActionCheck.ThrowIfAsync(first);
        AsyncActionCheck.ThrowIfAsync(second);
        var firstBody = new ActionBody(first);
        var secondBody = new ActionBody(second);
        transaction.OrElse<ActionBody, ActionBody, byte>(ref firstBody, ref secondBody);
    }

    /// <summary>
    /// Runs <paramref name="first"/> as a nested transaction and returns its result; if it calls
    /// <see cref="Retry"/>, rolls it back and returns <paramref name="second"/>'s result instead.
    /// See <see cref="OrElse(Action, Action)"/>. Only inside a transaction.
    /// </summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="first">The preferred alternative.</param>
    /// <param name="second">The alternative run when <paramref name="first"/> retries.</param>
    /// <returns>The result of the alternative that did not retry.</returns>
    public static T OrElse<T>(Func<T> first, Func<T> second)
    {
        Transaction transaction = Transaction.Current ?? ThrowNotInTransaction(nameof(OrElse));
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        var firstBody = new FuncBody<T>(first);
        var secondBody = new FuncBody<T>(second);
        return transaction.OrElse<FuncBody<T>, FuncBody<T>, T>(ref firstBody, ref secondBody);
    }

    /// <summary>True while the calling thread runs a transaction body.</summary>
    public static bool InTransaction => Transaction.Current is not null;

    /// <summary>
    /// Registers <paramref name="action"/> to run once, on the committing thread, after the outermost
    /// transaction has committed and its writes are visible; handlers run in registration order,
    /// outside any transaction. Dropped if the attempt (or the nested transaction that registered it)
    /// rolls back. Only inside a transaction.
    /// </summary>
    /// <param name="action">The side effect to run after commit.</param>
    /// <exception cref="InvalidOperationException">Called outside a transaction.</exception>
    public static void AfterCommit(Action action)
    {
        Transaction transaction = Transaction.Current ?? ThrowNotInTransaction(nameof(AfterCommit));
        ArgumentNullException.ThrowIfNull(action);
        transaction.AddHandler(action, afterCommit: true);
    }

    /// <summary>
    /// Registers <paramref name="action"/> to run after the attempt that registered it is rolled back
    /// (conflict, exception or retry), or after the nested transaction that registered it is rolled
    /// back; it runs outside any transaction. Only inside a transaction.
    /// </summary>
    /// <param name="action">The compensation to run after rollback.</param>
    /// <exception cref="InvalidOperationException">Called outside a transaction.</exception>
    public static void AfterRollback(Action action)
    {
        Transaction transaction = Transaction.Current ?? ThrowNotInTransaction(nameof(AfterRollback));
        ArgumentNullException.ThrowIfNull(action);
        transaction.AddHandler(action, afterCommit: false);
    }

    [DoesNotReturn]
    private static Transaction ThrowNotInTransaction(string member)
    {
        ThrowHelper.ThrowNotInTransaction($"Atomic.{member}");
        return null!;
    }
}
