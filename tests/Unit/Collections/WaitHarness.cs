using Xunit;

namespace Stm.Tests.Unit.Collections;

/// <summary>
/// Helpers for the blocking tests of the collections: dedicated threads for parked consumers, a
/// signal that an attempt has rolled back (as it does before waiting in Retry), and one bound on
/// every wait so that a lost wake-up fails the test instead of hanging it.
/// </summary>
internal static class WaitHarness
{
    /// <summary>The longest any test waits for something that should happen.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <summary>Runs <paramref name="body"/> on its own thread (not a pool thread: it may block).</summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="body">The work.</param>
    /// <returns>The task of the work.</returns>
    public static Task<T> StartThread<T>(Func<T> body) =>
        Task.Factory.StartNew(body, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    /// <summary>Runs <paramref name="body"/> on its own thread (not a pool thread: it may block).</summary>
    /// <param name="body">The work.</param>
    /// <returns>The task of the work.</returns>
    public static Task StartThread(Action body) =>
        Task.Factory.StartNew(body, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    /// <summary>
    /// Runs <paramref name="body"/> as a transaction that sets <paramref name="rolledBack"/> whenever an
    /// attempt rolls back, which is what happens when the body retries and the transaction goes to wait.
    /// </summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="body">The transaction body.</param>
    /// <param name="rolledBack">Set when an attempt rolls back.</param>
    /// <param name="cancellationToken">Passed to <see cref="Atomic.Run{T}(Func{T}, CancellationToken)"/>.</param>
    /// <returns>The body's result.</returns>
    public static T RunSignallingRollback<T>(Func<T> body, ManualResetEventSlim rolledBack, CancellationToken cancellationToken = default) =>
        Atomic.Run(
            () =>
            {
                Atomic.AfterRollback(rolledBack.Set);
                return body();
            },
            cancellationToken);

    /// <summary>Waits for <paramref name="signal"/>, failing the test after <see cref="Timeout"/>.</summary>
    /// <param name="signal">The event.</param>
    /// <param name="what">What was expected, for the failure message.</param>
    public static void WaitOrFail(ManualResetEventSlim signal, string what) =>
        Assert.True(signal.Wait(Timeout), $"Timed out waiting: {what}.");

    /// <summary>Observes a task that a test expects never to be created (the call throws first).</summary>
    /// <param name="task">The task.</param>
    public static void Discard(ValueTask task) => GC.KeepAlive(task.AsTask());

    /// <summary>Observes a task that a test expects never to be created (the call throws first).</summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="task">The task.</param>
    public static void Discard<T>(ValueTask<T> task) => GC.KeepAlive(task.AsTask());
}
