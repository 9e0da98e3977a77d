using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using Spectre.Console;

namespace BankTransfer;

/// <summary>
/// The Stm demo: many threads move random amounts between random bank accounts, each transfer one
/// <c>Atomic.Run</c> transaction over two <c>TVar&lt;long&gt;</c> balances, while an auditor thread
/// keeps summing every balance in read-only transactions. Money is only moved, never created or
/// destroyed, so every audit must see exactly the starting total. The demo shows its progress while
/// it runs, then what happened, and exits with 1 if any audit saw a different total (or an overdrawn
/// account).
/// </summary>
/// <remarks>
/// Usage: <c>dotnet run --project samples/BankTransfer [-- --threads 8 --seconds 5]</c>; <c>--quick</c>
/// runs for one second (what CI runs), <c>--plain</c> writes plain lines even on a terminal (a
/// redirected output always gets them), <c>--help</c> prints the usage. On a terminal the run shows a
/// live panel and ends with bar charts (Spectre.Console). The last line is
/// <c>Self-check: OK</c> (exit code 0) or <c>Self-check: FAILED: ...</c> (exit code 1).
/// The defaults use more transfer threads than most machines have cores, on purpose: threads get
/// preempted in the middle of transactions, which is when a naive implementation breaks.
/// </remarks>
internal static class Program
{
    private const int AccountCount = 100;
    private const long InitialBalance = 1_000;
    private const int MaxAmount = 100;

    private const string Usage = "usage: dotnet run --project samples/BankTransfer [-- --threads 8 --seconds 5 | --quick | --plain | --help]";

    /// <summary>How long after the end of the run every thread must have stopped.</summary>
    private static readonly TimeSpan s_stopLimit = TimeSpan.FromSeconds(30);

    /// <summary>Runs the demo; returns 0 when every audit balanced, 1 otherwise, 2 on bad arguments.</summary>
    public static int Main(string[] args)
    {
        if (!TryParse(args, out int threadCount, out double seconds, out bool plain, out bool help, out string? error))
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
            Console.WriteLine("  --plain       plain text lines even on a terminal (redirected output is always plain)");
            Console.WriteLine("Ends with 'Self-check: OK' (exit code 0) or 'Self-check: FAILED: ...' (exit code 1).");
            return 0;
        }

        // The live panel and the charts need a terminal that takes cursor movements and colours; a
        // redirected output (CI, a pipe, a file) gets plain lines, which is also what --plain asks for.
        bool rich = !plain && !Console.IsOutputRedirected
            && AnsiConsole.Profile.Capabilities.Ansi && AnsiConsole.Profile.Capabilities.Interactive;
        TimeSpan duration = TimeSpan.FromSeconds(seconds);

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
        for (int i = 0; i < threadCount; i++)
        {
            transfers[i] = new TransferCounts();
        }

        var audit = new AuditCounts();
        var threads = new List<Thread>();
        for (int i = 0; i < threadCount; i++)
        {
            TransferCounts counts = transfers[i];
            int seed = i;
            threads.Add(new Thread(() =>
            {
                start.SignalAndWait();
                MakeTransfers(bank, seed, counts, stop.Token);
            })
            { IsBackground = true, Name = $"transfers-{i}" });
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
        stop.CancelAfter(duration);
        RunSnapshot Read() => new(
            stopwatch.Elapsed,
            transfers.Sum(static t => t.Committed),
            transfers.Sum(static t => t.Declined),
            metrics.Conflicts,
            audit.Done,
            audit.Failed);

        // A transfer or an audit that never returns would hang the demo: give up after a generous margin.
        DateTime deadline = DateTime.UtcNow + duration + s_stopLimit;
        ProgressView.Watch(
            rich,
            Invariant($"{threadCount} transfer threads, 1 auditor, {bank.AccountCount} accounts"),
            duration,
            Read,
            () => threads.TrueForAll(static t => !t.IsAlive),
            deadline);

        foreach (Thread thread in threads)
        {
            TimeSpan left = deadline - DateTime.UtcNow;
            if (!thread.Join(left > TimeSpan.Zero ? left : TimeSpan.Zero))
            {
                Console.WriteLine($"FAILED: thread '{thread.Name}' did not stop within {s_stopLimit.TotalSeconds:0} s of the end of the run.");
                Console.WriteLine($"Self-check: FAILED: thread '{thread.Name}' did not stop");
                return 1;
            }
        }

        stopwatch.Stop();

        // One last audit, with every thread stopped.
        var summary = new RunSummary
        {
            AccountCount = bank.AccountCount,
            ExpectedTotal = bank.ExpectedTotal,
            Totals = Read(),
            Threads = threads.Take(threadCount)
                .Select((thread, i) => new ThreadTally(thread.Name!, transfers[i].Committed, metrics.ConflictsOfThread(thread.ManagedThreadId)))
                .ToList(),
            Metrics = metrics,
            FirstBadAudit = audit.FirstFailure,
            Final = bank.Audit(),
        };
        SummaryView.Print(summary, rich);
        return summary.Ok ? 0 : 1;
    }

    /// <summary>A transfer thread: random transfers until told to stop, counted after each commit.</summary>
    private static void MakeTransfers(Bank bank, int seed, TransferCounts counts, CancellationToken stop)
    {
        var random = new Random(seed);
        while (!stop.IsCancellationRequested)
        {
            // Choose outside the transaction: the body may be re-run and must not draw new numbers.
            int from = random.Next(bank.AccountCount);
            int to = random.Next(bank.AccountCount - 1);
            to = to >= from ? to + 1 : to;
            long amount = random.Next(1, MaxAmount + 1);

            if (bank.Transfer(from, to, amount))
            {
                counts.AddCommitted();
            }
            else
            {
                counts.AddDeclined();
            }
        }
    }

    /// <summary>The auditor: checks the total in a consistent snapshot, again and again, while transfers run.</summary>
    private static void Audit(Bank bank, AuditCounts counts, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            counts.Add(bank.Audit(), bank.ExpectedTotal);
        }
    }

    /// <summary>Reads <c>--threads N</c>, <c>--seconds S</c>, <c>--quick</c> (one second), <c>--plain</c> and <c>--help</c>.</summary>
    private static bool TryParse(string[] args, out int threads, out double seconds, out bool plain, out bool help, out string? error)
    {
        threads = 8;
        seconds = 5;
        plain = false;
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
                case "--plain":
                    plain = true;
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
