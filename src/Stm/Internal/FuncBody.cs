namespace Stm.Internal;

/// <summary>A <see cref="Func{TResult}"/> body.</summary>
internal readonly struct FuncBody<TResult>(Func<TResult> function) : IBody<TResult>
{
    public TResult Invoke() => function();
}
