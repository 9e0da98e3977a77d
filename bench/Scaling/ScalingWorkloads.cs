using Stm.Benchmarks.Infrastructure;

namespace Stm.Benchmarks.Scaling;

/// <summary>
/// The workloads of the scaling harness, each STM variant next to its baselines. Every worker loop
/// does its operations in batches of <see cref="Batch"/> between checks of the stop signal, and uses
/// delegates created once per run, so the loops allocate only what the engine allocates.
/// </summary>
internal static class ScalingWorkloads
{
    /// <summary>The variant name of the STM side of every group.</summary>
    public const string Stm = "stm";

    /// <summary>Operations between two checks of the stop signal.</summary>
    private const int Batch = 32;

    /// <summary>Accounts of the transfer workload.</summary>
    private const int TransferAccounts = 1000;

    /// <summary>Length of each thread's precomputed transfer plan.</summary>
    private const int PlanLength = 1 << 16;

    /// <summary>Initial balance of every account.</summary>
    private const long InitialBalance = 1_000_000;

    /// <summary>TVars read by each read-only transaction.</summary>
    private const int ReadOnlyTVars = 8;

    /// <summary>Spacing, in <see langword="long"/>s, between per-thread counters (128 bytes: no false sharing).</summary>
    private const int CounterStride = 16;

    /// <summary>All workloads, grouped: random transfers, disjoint increments, shared counter, read-only.</summary>
    public static IReadOnlyList<ScalingWorkload> Create() =>
    [
        new("transfer", Stm, StmTransfers),
        new("transfer", "global lock", GlobalLockTransfers),
        new("transfer", "ordered locks", OrderedLockTransfers),
        new("disjoint", Stm, StmDisjointIncrements),
        new("disjoint", "interlocked", InterlockedDisjointIncrements),
        new("counter", Stm, StmSharedCounter),
        new("counter", "lock", LockSharedCounter),
        new("read-only", Stm, StmReadOnly),
        new("read-only", "lock", LockReadOnly),
    ];

    /// <summary>Random transfers among 1,000 TVar accounts, one transaction each.</summary>
    private static ScalingRound StmTransfers(int threads)
    {
        TVar<long>[] accounts = StmTransferCursor.CreateAccounts(TransferAccounts, InitialBalance);
        StmTransferCursor[] cursors = CreateCursors(threads, plan => new StmTransferCursor(accounts, plan));
        return new ScalingRound(
            (thread, stop) =>
            {
                StmTransferCursor cursor = cursors[thread];
                long operations = 0;
                while (!stop.IsSet)
                {
                    for (int i = 0; i < Batch; i++)
                    {
                        cursor.TransferNext();
                    }

                    operations += Batch;
                }

                return operations;
            },
            _ => ExpectEqual("total of all accounts", TransferAccounts * InitialBalance, StmTransferCursor.Total(accounts)));
    }

    /// <summary>The same transfers under one global lock.</summary>
    private static ScalingRound GlobalLockTransfers(int threads)
    {
        long[] balances = CreateBalances(TransferAccounts);
        var gate = new Lock();
        GlobalLockTransferCursor[] cursors = CreateCursors(threads, plan => new GlobalLockTransferCursor(balances, gate, plan));
        return new ScalingRound(
            (thread, stop) =>
            {
                GlobalLockTransferCursor cursor = cursors[thread];
                long operations = 0;
                while (!stop.IsSet)
                {
                    for (int i = 0; i < Batch; i++)
                    {
                        cursor.TransferNext();
                    }

                    operations += Batch;
                }

                return operations;
            },
            _ => ExpectEqual("total of all accounts", TransferAccounts * InitialBalance, Sum(balances, gate)));
    }

    /// <summary>The same transfers holding one lock per account, taken in ascending order.</summary>
    private static ScalingRound OrderedLockTransfers(int threads)
    {
        long[] balances = CreateBalances(TransferAccounts);
        Lock[] locks = OrderedLockTransferCursor.CreateLocks(TransferAccounts);
        OrderedLockTransferCursor[] cursors = CreateCursors(threads, plan => new OrderedLockTransferCursor(balances, locks, plan));
        return new ScalingRound(
            (thread, stop) =>
            {
                OrderedLockTransferCursor cursor = cursors[thread];
                long operations = 0;
                while (!stop.IsSet)
                {
                    for (int i = 0; i < Batch; i++)
                    {
                        cursor.TransferNext();
                    }

                    operations += Batch;
                }

                return operations;
            },
            // The workers have been joined: a plain sum sees all their writes.
            _ => ExpectEqual("total of all accounts", TransferAccounts * InitialBalance, balances.Sum()));
    }

    /// <summary>Each thread increments its own TVar, one transaction per increment.</summary>
    private static ScalingRound StmDisjointIncrements(int threads)
    {
        var counters = new TVar<long>[threads];
        var padding = new byte[threads][];
        var increments = new Action[threads];
        for (int t = 0; t < threads; t++)
        {
            TVar<long> counter = counters[t] = new TVar<long>(0, $"disjoint-{t}");
            // A live 128-byte array between consecutive TVars keeps them off each other's cache line.
            padding[t] = new byte[128];
            increments[t] = () => counter.Value++;
        }

        return new ScalingRound(
            (thread, stop) =>
            {
                Action increment = increments[thread];
                long operations = 0;
                while (!stop.IsSet)
                {
                    for (int i = 0; i < Batch; i++)
                    {
                        Atomic.Run(increment);
                    }

                    operations += Batch;
                }

                return operations;
            },
            operations =>
            {
                GC.KeepAlive(padding);
                ExpectEqual("sum of the per-thread TVars", operations, counters.Sum(static c => c.Value));
            });
    }

    /// <summary>Each thread increments its own padded counter with <see cref="Interlocked.Increment(ref long)"/>.</summary>
    private static ScalingRound InterlockedDisjointIncrements(int threads)
    {
        var counters = new long[threads * CounterStride];
        return new ScalingRound(
            (thread, stop) =>
            {
                ref long counter = ref counters[thread * CounterStride];
                long operations = 0;
                while (!stop.IsSet)
                {
                    for (int i = 0; i < Batch; i++)
                    {
                        Interlocked.Increment(ref counter);
                    }

                    operations += Batch;
                }

                return operations;
            },
            operations => ExpectEqual("sum of the per-thread counters", operations, counters.Sum()));
    }

    /// <summary>Every thread increments one shared TVar, one transaction per increment.</summary>
    private static ScalingRound StmSharedCounter(int threads)
    {
        var counter = new TVar<long>(0, "shared-counter");
        Action increment = () => counter.Value++;
        return new ScalingRound(
            (_, stop) =>
            {
                long operations = 0;
                while (!stop.IsSet)
                {
                    for (int i = 0; i < Batch; i++)
                    {
                        Atomic.Run(increment);
                    }

                    operations += Batch;
                }

                return operations;
            },
            operations => ExpectEqual("shared counter", operations, counter.Value));
    }

    /// <summary>Every thread increments one shared field under one lock.</summary>
    private static ScalingRound LockSharedCounter(int threads)
    {
        var gate = new Lock();
        long counter = 0;
        return new ScalingRound(
            (_, stop) =>
            {
                long operations = 0;
                while (!stop.IsSet)
                {
                    for (int i = 0; i < Batch; i++)
                    {
                        lock (gate)
                        {
                            counter++;
                        }
                    }

                    operations += Batch;
                }

                return operations;
            },
            operations => ExpectEqual("shared counter", operations, Volatile.Read(ref counter)));
    }

    /// <summary>
    /// Every thread sums 8 TVars in a read-only transaction while one background thread keeps
    /// transferring between them; every sum must be the constant total.
    /// </summary>
    private static ScalingRound StmReadOnly(int threads)
    {
        TVar<long>[] accounts = StmTransferCursor.CreateAccounts(ReadOnlyTVars, InitialBalance);
        var writer = new StmTransferCursor(accounts, TransferPlan.Create(ReadOnlyTVars, PlanLength, seed: 7));
        Func<long> sum = () =>
        {
            long total = 0;
            foreach (TVar<long> account in accounts)
            {
                total += account.Value;
            }

            return total;
        };
        long inconsistentReads = 0;
        return new ScalingRound(
            (_, stop) =>
            {
                long operations = 0;
                while (!stop.IsSet)
                {
                    for (int i = 0; i < Batch; i++)
                    {
                        if (Atomic.Run(sum) != ReadOnlyTVars * InitialBalance)
                        {
                            Interlocked.Increment(ref inconsistentReads);
                        }
                    }

                    operations += Batch;
                }

                return operations;
            },
            _ =>
            {
                ExpectEqual("read-only transactions that saw a wrong total", 0, Interlocked.Read(ref inconsistentReads));
                ExpectEqual("total of the 8 TVars", ReadOnlyTVars * InitialBalance, Atomic.Run(sum));
            },
            stop =>
            {
                while (!stop.IsSet)
                {
                    writer.TransferNext();
                }
            });
    }

    /// <summary>The same reads and writes, readers and the writer all under one lock.</summary>
    private static ScalingRound LockReadOnly(int threads)
    {
        long[] balances = CreateBalances(ReadOnlyTVars);
        var gate = new Lock();
        var writer = new GlobalLockTransferCursor(balances, gate, TransferPlan.Create(ReadOnlyTVars, PlanLength, seed: 7));
        long inconsistentReads = 0;
        return new ScalingRound(
            (_, stop) =>
            {
                long operations = 0;
                while (!stop.IsSet)
                {
                    for (int i = 0; i < Batch; i++)
                    {
                        if (Sum(balances, gate) != ReadOnlyTVars * InitialBalance)
                        {
                            Interlocked.Increment(ref inconsistentReads);
                        }
                    }

                    operations += Batch;
                }

                return operations;
            },
            _ =>
            {
                ExpectEqual("locked reads that saw a wrong total", 0, Interlocked.Read(ref inconsistentReads));
                ExpectEqual("total of the 8 balances", ReadOnlyTVars * InitialBalance, Sum(balances, gate));
            },
            stop =>
            {
                while (!stop.IsSet)
                {
                    writer.TransferNext();
                }
            });
    }

    /// <summary>One cursor per thread, each over its own random plan (seed = thread index).</summary>
    private static TCursor[] CreateCursors<TCursor>(int threads, Func<TransferPlan, TCursor> create)
    {
        var cursors = new TCursor[threads];
        for (int t = 0; t < threads; t++)
        {
            cursors[t] = create(TransferPlan.Create(TransferAccounts, PlanLength, seed: t));
        }

        return cursors;
    }

    private static long[] CreateBalances(int count)
    {
        var balances = new long[count];
        Array.Fill(balances, InitialBalance);
        return balances;
    }

    private static long Sum(long[] balances, Lock gate)
    {
        lock (gate)
        {
            long total = 0;
            foreach (long balance in balances)
            {
                total += balance;
            }

            return total;
        }
    }

    private static void ExpectEqual(string what, long expected, long actual)
    {
        if (expected != actual)
        {
            throw new InvalidOperationException($"Invariant broken: {what} is {actual}, expected {expected}.");
        }
    }
}
