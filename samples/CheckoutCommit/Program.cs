using System.Globalization;
using Stm;

namespace CheckoutCommit;

/// <summary>
/// Kamaelia's software transactional memory, in C#: "version control for variables". Workers check
/// out some named values, update them while awaiting a slow call, and commit back; if someone else
/// committed one of those values in the meantime, the commit clashes, and they rinse and repeat.
/// Prints the clashes, what each worker did, and a final audit: every committed job added 1 to two
/// values, so the values must add up to twice the committed jobs, and each value must equal the
/// number of committed jobs that touched it.
/// </summary>
internal static class Program
{
    private const int Checkers = 3;
    private const int Runners = 3;

    /// <summary>How long the workers may take to finish their last job after the run ends.</summary>
    private static readonly TimeSpan s_stopTimeout = TimeSpan.FromSeconds(30);

    private static readonly string[] s_names = ["apples", "pears", "plums", "figs", "quinces"];

    /// <summary>Runs the sample; returns 0 when the self-check passed, 1 when it failed, 2 on bad arguments.</summary>
    public static async Task<int> Main(string[] args)
    {
        SampleOptions? options = SampleOptions.TryParse(args, out string? error);
        if (options is null)
        {
            Console.Error.WriteLine($"error: {error}");
            Console.Error.WriteLine(SampleOptions.Usage);
            return 2;
        }

        if (options.Help)
        {
            Console.WriteLine(SampleOptions.Usage);
            return 0;
        }

        var store = new Store(s_names);
        var clashes = new ClashLog(limit: 8);
        Console.WriteLine("Check out, update, commit; on a clash, rinse and repeat.");
        Console.WriteLine(Invariant($"  {Checkers} checkers (Atomic.Checkout + TryCommit loop) and {Runners} runners (Atomic.RunAsync) share {s_names.Length} values:"));
        Console.WriteLine($"  {string.Join(", ", s_names)}. Each job checks out two, awaits a 1-3 ms call, adds 1 to each, commits.");
        Console.WriteLine(Invariant($"  Running for {options.Duration.TotalSeconds:0.#} s; the first clashes:"));

        var clock = new RunClock(options.Duration);
        var workers = new List<Task<WorkerTally>>();
        for (int i = 0; i < Checkers; i++)
        {
            int id = i;
            workers.Add(Task.Run(() => Workers.CheckerAsync(store, id, clashes, clock)));
        }

        for (int i = 0; i < Runners; i++)
        {
            int id = i;
            workers.Add(Task.Run(() => Workers.RunnerAsync(store, id, clashes, clock)));
        }

        Task<(long Audits, long OddSums)> auditor = Task.Run(() => Workers.AuditorAsync(store, clock));

        WorkerTally[] tallies;
        (long Audits, long OddSums) audit;
        try
        {
            tallies = await Task.WhenAll(workers).WaitAsync(options.Duration + s_stopTimeout);
            audit = await auditor.WaitAsync(s_stopTimeout);
        }
        catch (TimeoutException)
        {
            Console.WriteLine(Invariant($"Self-check: FAILED: a worker did not finish its last job within {s_stopTimeout.TotalSeconds:0} s of the end of the run"));
            return 1;
        }

        return Report(store, tallies, audit);
    }

    /// <summary>Prints what every worker did and the final audit; returns the exit code.</summary>
    private static int Report(Store store, WorkerTally[] tallies, (long Audits, long OddSums) audit)
    {
        Console.WriteLine();
        Console.WriteLine("  worker       commits   clashes (rinsed and repeated)");
        foreach (WorkerTally tally in tallies)
        {
            Console.WriteLine(Invariant($"  {tally.Name,-10} {tally.Commits,9:N0} {tally.Clashes,9:N0}"));
        }

        long jobs = tallies.Sum(static t => t.Commits);
        Console.WriteLine(Invariant($"  {"total",-10} {jobs,9:N0} {tallies.Sum(static t => t.Clashes),9:N0}"));
        Console.WriteLine();

        // The final audit is a read-only checkout too: it always commits.
        int[] values;
        using (Checkout final = Atomic.Checkout())
        {
            values = final.Run(() => store.Names.Select(name => store[name].Value).ToArray());
            final.Commit();
        }

        Console.WriteLine("  store: " + string.Join(", ", store.Names.Select((name, i) => Invariant($"{name} = {values[i]:N0}"))));
        long sum = values.Sum(static v => (long)v);
        Console.WriteLine(Invariant($"  sum of the values {sum:N0}; committed increments {2 * jobs:N0} ({jobs:N0} jobs of 2)"));
        Console.WriteLine(Invariant($"  audits while the workers ran: {audit.Audits:N0}, torn (odd sum): {audit.OddSums:N0}"));

        var problems = new List<string>();
        if (sum != 2 * jobs)
        {
            problems.Add(Invariant($"the values add up to {sum}, not to the {2 * jobs} committed increments"));
        }

        for (int i = 0; i < values.Length; i++)
        {
            long expected = store.CommittedJobsOf(store.Names[i]);
            if (values[i] != expected)
            {
                problems.Add(Invariant($"{store.Names[i]} is {values[i]}, but {expected} committed jobs added to it"));
            }
        }

        if (audit.OddSums != 0)
        {
            problems.Add(Invariant($"{audit.OddSums} audit(s) saw an odd sum (a torn snapshot)"));
        }

        if (jobs == 0)
        {
            problems.Add("no job committed");
        }

        Console.WriteLine();
        Console.WriteLine(problems.Count == 0 ? "Self-check: OK" : $"Self-check: FAILED: {string.Join("; ", problems)}");
        return problems.Count == 0 ? 0 : 1;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
