using System.Runtime.InteropServices;

namespace Stm.Internal;

/// <summary>
/// The global version clock: advanced once by every committing update transaction. A transaction
/// samples it when it starts (its read version) and a committer takes its write stamp from it.
/// </summary>
/// <remarks>
/// The counter sits alone on its own cache lines: every update commit increments it, and every
/// transaction reads it, so sharing a line with any other hot field would make both slower.
/// </remarks>
internal static class VersionClock
{
    /// <summary>The clock value, padded to keep it on a cache line of its own.</summary>
    private static PaddedCounter s_clock;

    /// <summary>The stamp of the newest commit that has taken a stamp.</summary>
    internal static long Now => Volatile.Read(ref s_clock.Value);

    /// <summary>Takes the next write stamp. A full fence, which the commit protocol relies on.</summary>
    internal static long Advance() => Interlocked.Increment(ref s_clock.Value);

    [StructLayout(LayoutKind.Explicit, Size = 192)]
    private struct PaddedCounter
    {
        [FieldOffset(64)]
        public long Value;
    }
}
