using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace Stm.Internal;

/// <summary>
/// The processor's time-stamp counter (x64 <c>rdtsc</c>), read through a few bytes of machine code,
/// and the start-up check that decides whether the engine may use it as its time base (see
/// <see cref="VersionClock"/>).
/// </summary>
/// <remarks>
/// <para>.NET has no managed way to read the counter, so the readers are tiny functions written into
/// an executable page and called through unmanaged function pointers with
/// <c>SuppressGCTransition</c> (they touch no memory and return in a few nanoseconds).</para>
/// <para><see cref="ReadFenced"/> is <c>lfence; rdtsc; lfence</c>: the first fence keeps the
/// reading from being taken before the loads and stores that precede it complete locally, the
/// second keeps later loads from running before it. The ordering argument in
/// docs/architecture.md ("The hardware time base") needs both. <see cref="ReadUnfenced"/> is a
/// plain <c>rdtsc</c>: a value it returns has certainly been reached, which is all a commit's
/// wait for the next tick needs.</para>
/// <para>The counter may serve as a time base only if it is invariant (it ticks at a constant rate
/// in every power state) and synchronised between cores. The check asks the processor (CPUID
/// leaf 0x80000007, or on Linux the kernel's <c>constant_tsc</c> and <c>nonstop_tsc</c> flags when a
/// hypervisor hides that leaf), then hands fenced readings between two threads many times in both
/// directions: a reading taken after another thread's reading was seen must be strictly larger.
/// On Linux the two threads are pinned to the first CPU the process may use and to each other one
/// in turn (<see cref="CpuAffinity"/>), as the kernel compares each CPU with the boot CPU. One
/// inversion, and the counter is never used. The check runs once, on a background thread, the
/// first time the engine asks for it.</para>
/// </remarks>
internal static unsafe class HardwareClock
{
    /// <summary>How many readings each direction of the hand-off check passes, over all the pairs of CPUs it compares.</summary>
    internal const int HandOffRounds = 20_000;

    /// <summary>The fewest readings each direction passes between one pair of CPUs.</summary>
    private const int MinRoundsPerPair = 2_000;

    /// <summary>Counter values at or above this are refused: doubled (see <see cref="VersionClock"/>) they must stay below its mode bit.</summary>
    private const long MaxUsableReading = 1L << 60;

    /// <summary>
    /// How far the fake counter moves per reading: time passes between two readings, far more than
    /// the few stamps a switch adds, so a reading taken just after a switch can lie far above it.
    /// </summary>
    private const long FakeTicksPerReading = 1 << 10;

    private const int Unchecked = 0;
    private const int Checking = 1;
    private const int Usable = 2;
    private const int Unusable = 3;

    private static delegate* unmanaged[SuppressGCTransition]<long> s_readFenced;
    private static delegate* unmanaged[SuppressGCTransition]<long> s_readUnfenced;

    /// <summary>Where the check stands: one of the constants above.</summary>
    private static int s_state;

    /// <summary>Why the counter is not used, once the check has refused it (for diagnostics).</summary>
    private static string? s_refusal;

    /// <summary>Set only by tests (<see cref="UseFakeForTests"/>, under <see cref="TestHooks.Enabled"/>): readings come from <see cref="s_fakeTicks"/>.</summary>
    private static volatile bool s_fake;

    /// <summary>The fake counter of tests (see <see cref="ReadFake"/>), so explorations can order the hardware time base's steps at will, equal readings included.</summary>
    private static long s_fakeTicks;

    /// <summary>The managed thread that took the last fake reading.</summary>
    private static int s_fakeLastReader;

    /// <summary>Whether the fake counter gives equal readings to threads that read one after the other.</summary>
    /// <remarks>A plain field, set before an exploration starts: a volatile access would be one more scheduling point per reading.</remarks>
    private static bool s_fakeRepeats;

    /// <summary>
    /// True once the check has passed. The first call starts the check on a background thread and
    /// answers false; calls made before it ends answer false too.
    /// </summary>
    internal static bool IsUsable
    {
        get
        {
            int state = Volatile.Read(ref s_state);
            if (state == Unchecked)
            {
                StartCheck();
            }

            return state == Usable;
        }
    }

    /// <summary>True once the check has ended, either way.</summary>
    internal static bool IsChecked => Volatile.Read(ref s_state) is Usable or Unusable;

    /// <summary>Why the check refused the counter, or null.</summary>
    internal static string? Refusal => Volatile.Read(ref s_refusal);

    /// <summary>A reading ordered after every earlier instruction and before every later load.</summary>
    internal static long ReadFenced()
    {
        if (TestHooks.Enabled && s_fake)
        {
            return ReadFake();
        }

        Debug.Assert(s_readFenced != null, "the counter is read only after the check passed");
        return s_readFenced();
    }

    /// <summary>A reading with no ordering: a value the counter has certainly reached.</summary>
    internal static long ReadUnfenced()
    {
        if (TestHooks.Enabled && s_fake)
        {
            return ReadFake();
        }

        return s_readUnfenced();
    }

    /// <summary>
    /// The fake counter, never below a reading taken before (monotonic across threads). With
    /// <see cref="s_fakeRepeats"/>, a thread that reads right after another thread's new reading
    /// gets the same value once, as readings on two cores within one tick do; every other reading moves <see cref="FakeTicksPerReading"/> on,
    /// and above the counter time base's value, as a real counter (which runs far faster than
    /// commits) always is. <see cref="s_fakeTicks"/> holds the last reading doubled, plus one if
    /// another thread may still get it again.
    /// </summary>
    private static long ReadFake()
    {
        int reader = s_fakeRepeats ? Environment.CurrentManagedThreadId : 0;
        long floor = ((VersionClock.Now & ~VersionClock.HardwareMode) / 2) + 1;
        while (true)
        {
            long state = Volatile.Read(ref s_fakeTicks);
            long last = state >> 1;
            bool repeat = s_fakeRepeats && (state & 1) != 0 && Volatile.Read(ref s_fakeLastReader) != reader;
            long reading = repeat ? last : Math.Max(last + FakeTicksPerReading, floor);
            long next = (reading << 1) | (repeat ? 0L : 1L);
            if (Interlocked.CompareExchange(ref s_fakeTicks, next, state) == state)
            {
                if (s_fakeRepeats)
                {
                    Volatile.Write(ref s_fakeLastReader, reader);
                }

                return reading;
            }
        }
    }

    /// <summary>Runs the check on this thread if nobody has started it; returns whether the counter is usable. For tests and benchmarks.</summary>
    internal static bool CheckNow()
    {
        if (Interlocked.CompareExchange(ref s_state, Checking, Unchecked) == Unchecked)
        {
            RunCheck();
        }

        SpinWait spin = default;
        while (!IsChecked)
        {
            spin.SpinOnce();
        }

        return Volatile.Read(ref s_state) == Usable;
    }

    /// <summary>
    /// Makes the counter usable without the check, with the fake readings of systematic tests. Only
    /// under <see cref="TestHooks"/>. <paramref name="equalReadings"/>: threads that read one after
    /// the other may get the same value (equal stamps); otherwise every reading is a new one, far
    /// above the last (time passes between readings).
    /// </summary>
    internal static void UseFakeForTests(bool equalReadings = false)
    {
        s_fakeRepeats = equalReadings;
        Debug.Assert(TestHooks.Enabled, "only tests fake the hardware clock");
        Debug.Assert(!VersionClock.UsesHardware, "the readings change source only while the counter is the time base");

        s_fake = true;
        Volatile.Write(ref s_state, Usable);
    }

    private static void StartCheck()
    {
        if (Interlocked.CompareExchange(ref s_state, Checking, Unchecked) != Unchecked)
        {
            return;
        }

        var thread = new Thread(RunCheck) { IsBackground = true, Name = "Stm hardware clock check" };
        thread.Start();
    }

    private static void RunCheck()
    {
        string? refusal;
        try
        {
            refusal = Check();
        }
#pragma warning disable CA1031 // Any failure to set the counter up means: use the software counter.
        catch (Exception e)
#pragma warning restore CA1031
        {
            refusal = $"setting up the counter failed: {e.Message}";
        }

        Volatile.Write(ref s_refusal, refusal);
        Volatile.Write(ref s_state, refusal is null ? Usable : Unusable);
    }

    private static string? Check()
    {
        if (!X86Base.X64.IsSupported)
        {
            return "the processor is not x64";
        }

        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsWindows())
        {
            return "executable memory for the counter's reader is only set up on Linux and Windows";
        }

        if (!HasInvariantCounter())
        {
            return "the processor does not report an invariant time-stamp counter";
        }

        if (OperatingSystem.IsLinux() && !ExecutableMemory.IsCounterReadable())
        {
            // prctl(PR_SET_TSC, PR_TSC_SIGSEGV): reading it would kill the process.
            return "this process may not read the time-stamp counter";
        }

        InstallReaders();
        if (s_readFenced() >= MaxUsableReading)
        {
            return "the counter's readings are too large";
        }

        return HandOffShowsInversion() is { } inversion ? inversion : null;
    }

    private static bool HasInvariantCounter()
    {
        (_, _, _, int edx) = X86Base.CpuId(unchecked((int)0x8000_0007), 0);
        if ((edx & (1 << 8)) != 0)
        {
            return true;
        }

        // Hypervisors often hide the leaf; Linux still says whether it trusts the counter.
        if (OperatingSystem.IsLinux() && File.Exists("/proc/cpuinfo"))
        {
            foreach (string line in File.ReadLines("/proc/cpuinfo"))
            {
                if (line.StartsWith("flags", StringComparison.Ordinal))
                {
                    string[] flags = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    return flags.Contains("constant_tsc") && flags.Contains("nonstop_tsc");
                }
            }
        }

        return false;
    }

    /// <summary>
    /// Fenced readings handed back and forth between two threads pinned to the first allowed CPU
    /// and to each other one in turn (on Linux; elsewhere two unpinned threads); returns a
    /// description of the first inversion, or null. Both threads are new: no caller's thread is pinned.
    /// </summary>
    private static string? HandOffShowsInversion()
    {
        int[] cpus = CpuAffinity.AllowedCpus();
        if (cpus.Length < 2)
        {
            return HandOffBetween(-1, -1, HandOffRounds);
        }

        int roundsPerPair = Math.Max(MinRoundsPerPair, HandOffRounds / (cpus.Length - 1));
        for (int i = 1; i < cpus.Length; i++)
        {
            if (HandOffBetween(cpus[0], cpus[i], roundsPerPair) is { } inversion)
            {
                return $"between CPUs {cpus[0]} and {cpus[i]}, {inversion}";
            }
        }

        return null;
    }

    /// <summary>One hand-off of <paramref name="rounds"/> readings each way between two new threads on the given CPUs (-1: anywhere).</summary>
    private static string? HandOffBetween(int askerCpu, int partnerCpu, int rounds)
    {
        var handOff = new CounterHandOff();
        string? inversion = null;
        var partner = new Thread(() =>
        {
            _ = CpuAffinity.PinCurrentThread(partnerCpu);
            handOff.Answer();
        })
        { IsBackground = true, Name = "Stm hardware clock check partner" };
        var asker = new Thread(() =>
        {
            _ = CpuAffinity.PinCurrentThread(askerCpu);
            inversion = handOff.Ask(rounds);
        })
        { IsBackground = true, Name = "Stm hardware clock check" };
        partner.Start();
        asker.Start();
        if (!asker.Join(TimeSpan.FromSeconds(10)) || !partner.Join(TimeSpan.FromSeconds(10)))
        {
            return "the check's threads did not finish";
        }

        return inversion;
    }

    private static void InstallReaders()
    {
        // lfence; rdtsc; lfence; shl rdx, 32; or rax, rdx; ret
        ReadOnlySpan<byte> fenced = [0x0F, 0xAE, 0xE8, 0x0F, 0x31, 0x0F, 0xAE, 0xE8, 0x48, 0xC1, 0xE2, 0x20, 0x48, 0x09, 0xD0, 0xC3];

        // rdtsc; shl rdx, 32; or rax, rdx; ret
        ReadOnlySpan<byte> unfenced = [0x0F, 0x31, 0x48, 0xC1, 0xE2, 0x20, 0x48, 0x09, 0xD0, 0xC3];

        byte* page = ExecutableMemory.Allocate(fenced, unfenced, out int secondOffset);
        s_readUnfenced = (delegate* unmanaged[SuppressGCTransition]<long>)(page + secondOffset);
        s_readFenced = (delegate* unmanaged[SuppressGCTransition]<long>)page;
    }
}
