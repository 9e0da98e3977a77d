namespace Stm.Internal;

/// <summary>An <see cref="Action{T}"/> body with its state; its result is a dummy byte.</summary>
internal readonly struct StateActionBody<TState>(Action<TState> action, TState state) : IBody<byte>
{
    public byte Invoke()
    {
        action(state);
        return 0;
    }
}
