using BenchmarkDotNet.Attributes;

namespace Stm.Benchmarks.Core;

/// <summary>
/// A read-only transaction over one <see cref="TVar{T}"/> against a <see langword="lock"/>-protected
/// field read. Target: at most 1.5x the baseline, 0 bytes allocated.
/// </summary>
/// <remarks>
/// The transaction body is a static lambda cached in a static readonly field, so the STM side pays
/// no closure allocation that the baseline does not pay.
/// </remarks>
[MemoryDiagnoser]
public class ReadOnlyTransactionBenchmarks
{
    private const long Expected = 42;

    private static readonly TVar<long> s_value = new(Expected, "value");
    private static readonly Func<long> s_readValue = static () => s_value.Value;
    private static readonly Lock s_gate = new();
    private static long s_lockedValue;

    /// <summary>Gives both sides the same value (a field that is written, so the JIT cannot fold its read).</summary>
    [GlobalSetup]
    public void Setup()
    {
        s_value.Write(Expected);
        lock (s_gate)
        {
            s_lockedValue = Expected;
        }
    }

    /// <summary>Checks that every read still returns the value (a broken engine fails the run).</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        (long locked, long atomic, long outside) = (LockRead(), AtomicRunRead(), ValueOutsideTransaction());
        if (locked != Expected || atomic != Expected || outside != Expected)
        {
            throw new InvalidOperationException($"Reads returned {locked} (lock), {atomic} (Atomic.Run), {outside} (outside), expected {Expected}.");
        }
    }

    /// <summary>Baseline: read a field under a lock.</summary>
    [Benchmark(Baseline = true)]
    public long LockRead()
    {
        lock (s_gate)
        {
            return s_lockedValue;
        }
    }

    /// <summary><c>Atomic.Run(() =&gt; tvar.Value)</c>.</summary>
    [Benchmark]
    public long AtomicRunRead() => Atomic.Run(s_readValue);

    /// <summary>One atomic read of the TVar outside any transaction.</summary>
    [Benchmark]
    public long ValueOutsideTransaction() => s_value.Value;
}
