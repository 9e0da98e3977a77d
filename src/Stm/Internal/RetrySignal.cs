namespace Stm.Internal;

/// <summary>
/// Unwinds an attempt that called <see cref="Atomic.Retry"/>, up to the innermost
/// <see cref="Atomic.OrElse(Action, Action)"/> or the top-level run, which waits. Never escapes
/// <see cref="Atomic.Run(Action)"/>; one instance per transaction object.
/// </summary>
#pragma warning disable CA1064, CA1032 // internal control-flow signal, never seen by users
internal sealed class RetrySignal : Exception
{
    internal RetrySignal()
        : base("The transaction called Atomic.Retry and will wait for one of the TVars it read to change.")
    {
    }
}
#pragma warning restore CA1064, CA1032
