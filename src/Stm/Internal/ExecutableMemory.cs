using System.Runtime.InteropServices;

namespace Stm.Internal;

/// <summary>
/// One page of memory holding machine code: written while it is writable, then made read-only and
/// executable (never both writable and executable). Used for <see cref="HardwareClock"/>'s readers;
/// the page lives as long as the process. Also asks Linux whether this process may run the
/// counter-reading instruction at all.
/// </summary>
internal static unsafe partial class ExecutableMemory
{
    private const int PageSize = 4096;

    /// <summary>Copies <paramref name="first"/> and then <paramref name="second"/> (at <paramref name="secondOffset"/>) into a new executable page.</summary>
    internal static byte* Allocate(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second, out int secondOffset)
    {
        secondOffset = (first.Length + 15) & ~15;
        if (secondOffset + second.Length > PageSize)
        {
            throw new ArgumentException("The code does not fit in one page.", nameof(second));
        }

        byte* page = OperatingSystem.IsWindows() ? AllocateWindows() : AllocateUnix();
        first.CopyTo(new Span<byte>(page, first.Length));
        second.CopyTo(new Span<byte>(page + secondOffset, second.Length));
        if (OperatingSystem.IsWindows())
        {
            if (!VirtualProtect(page, PageSize, PageExecuteRead, out _))
            {
                throw new InvalidOperationException($"VirtualProtect failed ({Marshal.GetLastPInvokeError()}).");
            }
        }
        else if (mprotect(page, PageSize, ProtRead | ProtExec) != 0)
        {
            throw new InvalidOperationException($"mprotect failed ({Marshal.GetLastPInvokeError()}).");
        }

        return page;
    }

    /// <summary>On Linux: false if the process has been forbidden to read the time-stamp counter (the instruction would raise SIGSEGV).</summary>
    internal static bool IsCounterReadable()
    {
        int mode = 0;
        return prctl(PrGetTsc, (nuint)(&mode), 0, 0, 0) != 0 || mode != PrTscSigsegv;
    }

    private static byte* AllocateUnix()
    {
        void* page = mmap(null, PageSize, ProtRead | ProtWrite, MapPrivate | MapAnonymous, -1, 0);
        if (page == (void*)-1)
        {
            throw new InvalidOperationException($"mmap failed ({Marshal.GetLastPInvokeError()}).");
        }

        return (byte*)page;
    }

    private static byte* AllocateWindows()
    {
        void* page = VirtualAlloc(null, PageSize, MemCommit | MemReserve, PageReadWrite);
        if (page is null)
        {
            throw new InvalidOperationException($"VirtualAlloc failed ({Marshal.GetLastPInvokeError()}).");
        }

        return (byte*)page;
    }

    private const int ProtRead = 1;
    private const int ProtWrite = 2;
    private const int ProtExec = 4;
    private const int MapPrivate = 2;
    private const int MapAnonymous = 0x20;

    private const int PrGetTsc = 25;
    private const int PrTscSigsegv = 2;

    private const uint MemCommit = 0x1000;
    private const uint MemReserve = 0x2000;
    private const uint PageReadWrite = 0x04;
    private const uint PageExecuteRead = 0x20;

#pragma warning disable SA1300, IDE1006 // The C library's own names.
    [LibraryImport("libc", SetLastError = true)]
    private static partial void* mmap(void* address, nuint length, int protection, int flags, int fd, nint offset);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int mprotect(void* address, nuint length, int protection);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int prctl(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);
#pragma warning restore SA1300, IDE1006

    [LibraryImport("kernel32", SetLastError = true)]
    private static partial void* VirtualAlloc(void* address, nuint size, uint allocationType, uint protection);

    [LibraryImport("kernel32", SetLastError = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static partial bool VirtualProtect(void* address, nuint size, uint newProtection, out uint oldProtection);
}
