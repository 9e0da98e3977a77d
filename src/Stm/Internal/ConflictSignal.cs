namespace Stm.Internal;

/// <summary>
/// Unwinds an attempt that can no longer commit (its snapshot cannot be extended), so that it is
/// rolled back and re-run. Never escapes <see cref="Atomic.Run(Action)"/>; one instance per
/// transaction object, so aborting allocates nothing.
/// </summary>
#pragma warning disable CA1064, CA1032 // internal control-flow signal, never seen by users
internal sealed class ConflictSignal : Exception
{
    internal ConflictSignal()
        : base("The transaction conflicted with a concurrent commit and will be re-run.")
    {
    }
}
#pragma warning restore CA1064, CA1032
