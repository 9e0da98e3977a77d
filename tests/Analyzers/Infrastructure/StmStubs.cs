namespace Stm.Tests.Analyzers.Infrastructure;

/// <summary>
/// Small stand-ins for the Stm types the analyzers look for, compiled with every test program. The
/// analyzers find Stm by metadata name, so these stand-ins are enough, and the tests need neither
/// Stm.dll nor a package download.
/// </summary>
internal static class StmStubs
{
    /// <summary>The file name of the stand-ins in each test project.</summary>
    public const string FileName = "Stm.Stubs.cs";

    /// <summary>The source of the stand-ins.</summary>
    public const string Source = """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        namespace Stm
        {
            public static class Atomic
            {
                public static void Run(Action body) { }
                public static T Run<T>(Func<T> body) => default;
                public static void Run(Action body, CancellationToken cancellationToken) { }
                public static T Run<T>(Func<T> body, CancellationToken cancellationToken) => default;
                public static bool TryRun(Action body, TimeSpan timeout) => true;
                public static bool TryRun<T>(Func<T> body, TimeSpan timeout, out T result) { result = default; return true; }
                public static ValueTask RunAsync(Action body, CancellationToken cancellationToken = default) => default;
                public static ValueTask<T> RunAsync<T>(Func<T> body, CancellationToken cancellationToken = default) => default;
                public static ValueTask RunAsync(Func<Checkout, CancellationToken, ValueTask> body, CancellationToken cancellationToken = default) => default;
                public static ValueTask<T> RunAsync<T>(Func<Checkout, CancellationToken, ValueTask<T>> body, CancellationToken cancellationToken = default) => default;
                public static void Retry() { }
                public static void Check(bool condition) { }
                public static void OrElse(Action first, Action second) { }
                public static T OrElse<T>(Func<T> first, Func<T> second) => default;
                public static bool InTransaction => false;
                public static void AfterCommit(Action action) { }
                public static void AfterRollback(Action action) { }
                public static Checkout Checkout() => new Checkout();
            }

            public static class Transactional
            {
                public static void Run<TState>(TState state, Action<TState> body) { }
                public static TResult Run<TState, TResult>(TState state, Func<TState, TResult> body) => default;
                public static void Run<TState>(TState state, Action<TState> body, CancellationToken cancellationToken) { }
                public static TResult Run<TState, TResult>(TState state, Func<TState, TResult> body, CancellationToken cancellationToken) => default;
                public static bool TryRun<TState>(TState state, Action<TState> body, TimeSpan timeout) => true;
                public static bool TryRun<TState, TResult>(TState state, Func<TState, TResult> body, TimeSpan timeout, out TResult result) { result = default; return true; }
                public static ValueTask RunAsync<TState>(TState state, Action<TState> body, CancellationToken cancellationToken = default) => default;
                public static ValueTask<TResult> RunAsync<TState, TResult>(TState state, Func<TState, TResult> body, CancellationToken cancellationToken = default) => default;
                public static void RequestRetry() { }
            }

            public sealed class TVar<T>
            {
                public TVar(T initialValue, string name = null) { }
                public T Value { get; set; }
                public T Read() => default;
                public void Write(T value) { }
                public T Modify(Func<T, T> update) => default;
                public void Commute(Func<T, T> update) { }
            }

            public sealed class Checkout : IDisposable
            {
                public void Run(Action block) { }
                public T Run<T>(Func<T> block) => default;
                public void Commit() { }
                public void Dispose() { }
            }
        }

        namespace Stm.Collections
        {
            public sealed class TArray<T>
            {
                public TArray(int length) { }
                public T this[int index] { get => default; set { } }
                public int Length => 0;
            }

            public sealed class TMap<TKey, TValue>
            {
                public TValue this[TKey key] { get => default; set { } }
            }

            public sealed class TSortedMap<TKey, TValue>
            {
                public TValue this[TKey key] { get => default; set { } }
            }
        }
        """;
}
