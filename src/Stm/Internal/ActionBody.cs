namespace Stm.Internal;

/// <summary>An <see cref="Action"/> body; its result is a dummy byte.</summary>
internal readonly struct ActionBody(Action action) : IBody<byte>
{
    public byte Invoke()
    {
        action();
        return 0;
    }
}
