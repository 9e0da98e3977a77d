using System.Runtime.InteropServices;

namespace Stm.Internal;

/// <summary>
/// Linux only: the CPUs this process may run on, and pinning the calling thread to one of them,
/// so that <see cref="HardwareClock"/>'s check can hand readings between every pair of CPUs it
/// compares (the first allowed CPU and each other one, as Linux's own check compares each CPU
/// with the boot CPU). Elsewhere, and wherever a call fails, the check runs unpinned.
/// </summary>
internal static unsafe partial class CpuAffinity
{
    /// <summary>CPUs covered by the masks (the kernel's own default limit is 8192; 1024 covers every machine we know of).</summary>
    private const int MaskWords = 16;

    /// <summary>The CPUs the calling thread may run on, ascending; empty if unknown.</summary>
    internal static int[] AllowedCpus()
    {
        if (!OperatingSystem.IsLinux())
        {
            return [];
        }

        ulong* mask = stackalloc ulong[MaskWords];
        if (sched_getaffinity(0, MaskWords * sizeof(ulong), mask) != 0)
        {
            return [];
        }

        var cpus = new List<int>();
        for (int word = 0; word < MaskWords; word++)
        {
            for (int bit = 0; bit < 64; bit++)
            {
                if ((mask[word] & (1UL << bit)) != 0)
                {
                    cpus.Add((word * 64) + bit);
                }
            }
        }

        return [.. cpus];
    }

    /// <summary>Pins the calling thread to <paramref name="cpu"/>; false if that failed (the thread then runs where it may).</summary>
    internal static bool PinCurrentThread(int cpu)
    {
        if (!OperatingSystem.IsLinux() || cpu < 0 || cpu >= MaskWords * 64)
        {
            return false;
        }

        ulong* mask = stackalloc ulong[MaskWords];
        new Span<ulong>(mask, MaskWords).Clear();
        mask[cpu / 64] = 1UL << (cpu % 64);
        return sched_setaffinity(0, MaskWords * sizeof(ulong), mask) == 0;
    }

#pragma warning disable SA1300, IDE1006 // The C library's own names.
    [LibraryImport("libc", SetLastError = true)]
    private static partial int sched_getaffinity(int pid, nuint size, ulong* mask);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int sched_setaffinity(int pid, nuint size, ulong* mask);
#pragma warning restore SA1300, IDE1006
}
