namespace Stm.Internal;

/// <summary>A <see cref="Func{T, TResult}"/> body with its state.</summary>
internal readonly struct StateFuncBody<TState, TResult>(Func<TState, TResult> function, TState state) : IBody<TResult>
{
    public TResult Invoke() => function(state);
}
