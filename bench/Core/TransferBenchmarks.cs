using BenchmarkDotNet.Attributes;
using Stm.Benchmarks.Infrastructure;

namespace Stm.Benchmarks.Core;

/// <summary>
/// One thread moving money between two random accounts of 1,000: a transaction over
/// <see cref="TVar{T}"/> accounts against a transfer under one global <see langword="lock"/>.
/// Targets: at most 3x the baseline with a cached body (at most 80 bytes allocated), at most 4.5x with
/// a capturing lambda.
/// </summary>
/// <remarks>
/// Every side walks the same precomputed random sequence (<see cref="TransferPlan"/>), so the
/// random number generator is not measured, and all pay the same cursor bookkeeping. The
/// <see cref="AtomicRunTransfer"/> body is a delegate cached once by <see cref="StmTransferCursor"/>;
/// <see cref="AtomicRunTransferCapturing"/> is the shape users write, a lambda capturing the two
/// accounts and the amount, allocated with its closure on every transfer.
/// </remarks>
[MemoryDiagnoser]
public class TransferBenchmarks
{
    private const int AccountCount = 1000;
    private const int PlanLength = 1 << 16;
    private const long InitialBalance = 1_000_000;

    private StmTransferCursor _stm = null!;
    private StmTransferCursor _stmCapturing = null!;
    private StmTransferCursor _stmWithState = null!;
    private GlobalLockTransferCursor _locked = null!;
    private TVar<long>[] _accounts = null!;

    /// <summary>Creates the accounts and the shared transfer plan.</summary>
    [GlobalSetup]
    public void Setup()
    {
        TransferPlan plan = TransferPlan.Create(AccountCount, PlanLength, seed: 20_251_125);
        _accounts = StmTransferCursor.CreateAccounts(AccountCount, InitialBalance);
        _stm = new StmTransferCursor(_accounts, plan);
        _stmCapturing = new StmTransferCursor(_accounts, plan);
        _stmWithState = new StmTransferCursor(_accounts, plan);
        var balances = new long[AccountCount];
        Array.Fill(balances, InitialBalance);
        _locked = new GlobalLockTransferCursor(balances, new Lock(), plan);
    }

    /// <summary>Checks that the transfers conserved the total (a broken engine fails the run).</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        long total = StmTransferCursor.Total(_accounts);
        if (total != AccountCount * InitialBalance)
        {
            throw new InvalidOperationException($"Transfers did not conserve money: total {total}, expected {AccountCount * InitialBalance}.");
        }
    }

    /// <summary>Baseline: transfer under one global lock.</summary>
    [Benchmark(Baseline = true)]
    public void GlobalLockTransfer() => _locked.TransferNext();

    /// <summary>Transfer in <c>Atomic.Run</c>.</summary>
    [Benchmark]
    public void AtomicRunTransfer() => _stm.TransferNext();

    /// <summary>Transfer in <c>Atomic.Run(() =&gt; { from.Value -= amount; to.Value += amount; })</c>, a capturing lambda.</summary>
    [Benchmark]
    public void AtomicRunTransferCapturing() => _stmCapturing.TransferNextCapturing();

    /// <summary>The capturing transfer's shape without its closure and delegate: the accounts and amount travel as a value tuple to a static lambda.</summary>
    [Benchmark]
    public void TransactionalRunTransferWithState() => _stmWithState.TransferNextWithState();
}
