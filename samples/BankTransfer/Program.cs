using System.Diagnostics;
using System.Globalization;
using System.Reflection;

namespace BankTransfer;

/// <summary>
/// The Stm demo: many threads move random amounts between random bank accounts, each transfer one
/// <c>Atomic.Run</c> transaction over two <c>TVar&lt;long&gt;</c> balances, while an auditor thread
/// keeps summing every balance in read-only transactions. Money is only moved, never created or
/// destroyed, so every audit must see exactly the starting total. The demo prints what happened
/// and exits with 1 if any audit saw a different total (or an overdrawn account).
/// </summary>
/// <remarks>
/// Usage: <c>dotnet run --project samples/BankTransfer [-- --threads 8 --seconds 5]</c>; <c>--quick</c>
/// runs for one second (what CI runs), <c>--help</c> prints the usage. The last line is
/// <c>Self-check: OK</c> (exit code 0) or <c>Self-check: FAILED: ...</c> (exit code 1).
/// The defaults use more transfer threads than most machines have cores, on purpose: threads get
/// preempted in the middle of transactions, which is when a naive implementation breaks.
/// </remarks>
internal static class Program
{
    private const int AccountCount = 100;
    private const long InitialBalance = 1_000;
    private const int MaxAmount = 100;

    private const string Usage = "usage: dotnet run --project samples/BankTransfer [-- --threads 8 --seconds 5 | --quick | --help]";

    /// <summary>Runs the demo; returns 0 when every audit balanced, 1 otherwise, 2 on bad arguments.</summary>
    public static int Main(string[] args)
    {
        if (!TryParse(args, out int threadCount, out double seconds, out bool help, out string? error))
        {
            Console.Error.WriteLine(error);
            Console.Error.WriteLine(Usage);
            return 2;
        }

        if (help)
        {
            Console.WriteLine(Usage);
            Console.WriteLine("  --threads N   transfer threads (default 8)");
            Console.WriteLine("  --seconds S   how long to run (default 5)");
            Console.WriteLine("  --quick       a one-second run, as CI runs it");
            Console.WriteLine("Ends with 'Self-check: OK' (exit code 0) or 'Self-check: FAILED: ...' (exit code 1).");
            return 0;
        }

        // Listen to the engine's metrics before the first transaction so nothing is missed.
        using var metrics = new StmMetrics();
        var bank = new Bank(AccountCount, InitialBalance);

        Console.WriteLine("Stm bank transfer demo");
        Console.WriteLine(Invariant($"  accounts           {bank.AccountCount} x {InitialBalance:N0} = {bank.ExpectedTotal:N0}"));
        Console.WriteLine(Invariant($"  transfer threads   {threadCount} (on {Environment.ProcessorCount} cores), plus 1 auditor thread"));
        Console.WriteLine(Invariant($"  duration           {seconds:0.#} s"));
        if (IsDebugBuild(typeof(Stm.Atomic).Assembly))
        {
            Console.WriteLine("  (Debug build: add -c Release to `dotnet run` for representative throughput)");
        }

        Console.WriteLine();

        // Everyone (workers, auditor, and this thread) meets at the barrier, so all start together.
        using var start = new Barrier(threadCount + 2);
        using var stop = new CancellationTokenSource();
        var transfers = new TransferCounts[threadCount];
        var audit = new AuditCounts();

        var threads = new List<Thread>();
        for (int i = 0; i < threadCount; i++)
        {
            int index = i;
            threads.Add(new Thread(() =>
            {
                start.SignalAndWait();
                transfers[index] = MakeTransfers(bank, seed: index, stop.Token);
            })
            { IsBackground = true, Name = $"transfers-{index}" });
        }

        threads.Add(new Thread(() =>
        {
            start.SignalAndWait();
            Audit(bank, audit, stop.Token);
        })
        { IsBackground = true, Name = "auditor" });

        foreach (Thread thread in threads)
        {
            thread.Start();
        }

        start.SignalAndWait();
        Stopwatch stopwatch = Stopwatch.StartNew();
        stop.CancelAfter(TimeSpan.FromSeconds(seconds));

        // A transfer or an audit that never returns would hang the demo: give up after a generous margin.
        DateTime deadline = DateTime.UtcNow + TimeSpan.FromSeconds(seconds + 30);
        foreach (Thread thread in threads)
        {
            TimeSpan left = deadline - DateTime.UtcNow;
            if (!thread.Join(left > TimeSpan.Zero ? left : TimeSpan.Zero))
            {
                Console.WriteLine($"FAILED: thread '{thread.Name}' did not stop within 30 s of the end of the run.");
                Console.WriteLine($"Self-check: FAILED: thread '{thread.Name}' did not stop");
                return 1;
            }
        }

        stopwatch.Stop();

        // One last audit, with every thread stopped.
        AuditResult final = bank.Audit();
        return Report(bank, transfers, audit, final, metrics, stopwatch.Elapsed);
    }

    /// <summary>A transfer thread: random transfers until told to stop.</summary>
    private static TransferCounts MakeTransfers(Bank bank, int seed, CancellationToken stop)
    {
        var random = new Random(seed);
        var counts = new TransferCounts();
        while (!stop.IsCancellationRequested)
        {
            // Choose outside the transaction: the body may be re-run and must not draw new numbers.
            int from = random.Next(bank.AccountCount);
            int to = random.Next(bank.AccountCount - 1);
            to = to >= from ? to + 1 : to;
            long amount = random.Next(1, MaxAmount + 1);

            if (bank.Transfer(from, to, amount))
            {
                counts.Committed++;
            }
            else
            {
                counts.Declined++;
            }
        }

        return counts;
    }

    /// <summary>The auditor: checks the total in a consistent snapshot, again and again, while transfers run.</summary>
    private static void Audit(Bank bank, AuditCounts counts, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            AuditResult result = bank.Audit();
            counts.Done++;
            if (result.Total != bank.ExpectedTotal || result.OverdrawnAccounts != 0)
            {
                counts.Failed++;
                counts.FirstFailure ??= result;
            }
        }
    }

    /// <summary>Prints the results; returns the exit code.</summary>
    private static int Report(Bank bank, TransferCounts[] transfers, AuditCounts audit, AuditResult final, StmMetrics metrics, TimeSpan elapsed)
    {
        long committed = transfers.Sum(static t => t.Committed);
        long declined = transfers.Sum(static t => t.Declined);

        Console.WriteLine("Results");
        Console.WriteLine(Invariant($"  transfers committed  {committed:N0} ({declined:N0} more declined for insufficient funds)"));
        Console.WriteLine(Invariant($"  throughput           {committed / elapsed.TotalSeconds:N0} transfers/s over {elapsed.TotalSeconds:0.00} s"));
        if (metrics.IsAvailable)
        {
            long attempts = metrics.Attempts;
            string conflictShare = attempts > 0 ? Invariant($" ({100.0 * metrics.Conflicts / attempts:0.###}% of {attempts:N0} attempts)") : string.Empty;
            Console.WriteLine(Invariant($"  STM commits          {metrics.Commits:N0} (all transactions: transfers, declined transfers, audits)"));
            Console.WriteLine(Invariant($"  STM conflicts        {metrics.Conflicts:N0}{conflictShare}, each one rolled back and re-run"));
            Console.WriteLine(Invariant($"  attempts per commit  {metrics.MeanAttempts:0.0000} on average"));
            string hottest = string.Join(", ", metrics.HottestTVars(3).Select(static p => Invariant($"{p.Key} ({p.Value:N0})")));
            if (hottest.Length > 0)
            {
                Console.WriteLine($"  most conflicted      {hottest}");
            }
        }
        else
        {
            Console.WriteLine("  STM metrics          not reported (no instrument was published on the 'Stm' meter)");
        }

        Console.WriteLine(Invariant($"  audits               {audit.Done:N0} while transfers ran, {audit.Failed:N0} saw a wrong total or an overdrawn account"));
        bool ok = audit.Failed == 0 && final.Total == bank.ExpectedTotal && final.OverdrawnAccounts == 0;
        Console.WriteLine(Invariant($"  final total          {final.Total:N0}, expected {bank.ExpectedTotal:N0}, overdrawn accounts {final.OverdrawnAccounts}"));
        Console.WriteLine();
        if (audit.FirstFailure is { } first)
        {
            Console.WriteLine(Invariant($"First bad audit: total {first.Total:N0}, overdrawn accounts {first.OverdrawnAccounts}."));
        }

        Console.WriteLine(ok ? "Audited total == expected: OK" : "Audited total == expected: FAILED");
        Console.WriteLine(ok
            ? "Self-check: OK"
            : Invariant($"Self-check: FAILED: {audit.Failed:N0} bad audits, final total {final.Total:N0} (expected {bank.ExpectedTotal:N0}), {final.OverdrawnAccounts} overdrawn accounts"));
        return ok ? 0 : 1;
    }

    /// <summary>Reads <c>--threads N</c>, <c>--seconds S</c>, <c>--quick</c> (one second) and <c>--help</c>.</summary>
    private static bool TryParse(string[] args, out int threads, out double seconds, out bool help, out string? error)
    {
        threads = 8;
        seconds = 5;
        help = false;
        error = null;
        for (int i = 0; i < args.Length; i++)
        {
            string? value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--threads" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out threads) && threads is >= 1 and <= 1024:
                    i++;
                    break;
                case "--seconds" when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out seconds) && seconds is > 0 and <= 3600:
                    i++;
                    break;
                case "--quick":
                    seconds = 1;
                    break;
                case "--help" or "-h":
                    help = true;
                    break;
                default:
                    error = $"Unknown or invalid argument '{args[i]}' (--threads takes 1 to 1024, --seconds more than 0 and at most 3600).";
                    return false;
            }
        }

        return true;
    }

    /// <summary>Whether <paramref name="assembly"/> was compiled without optimisations (a Debug build).</summary>
    private static bool IsDebugBuild(Assembly assembly) =>
        assembly.GetCustomAttribute<DebuggableAttribute>()?.IsJITOptimizerDisabled == true;

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
