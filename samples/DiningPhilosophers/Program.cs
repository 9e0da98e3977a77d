using System.Diagnostics;
using System.Globalization;

namespace DiningPhilosophers;

/// <summary>
/// Dijkstra's dining philosophers with Stm: taking two forks is one transaction, so the usual
/// deadlock (everyone holding a left fork, waiting for a right one) cannot happen, and no lock
/// ordering is needed.
/// </summary>
internal static class Program
{
    private static readonly string[] s_names = ["Aristotle", "Kant", "Spinoza", "Marx", "Russell"];

    /// <summary>Runs the dinner; 0 when the self-check passes, 1 when it fails, 2 on bad options.</summary>
    public static int Main(string[] args)
    {
        if (args.Contains("--help") || args.Contains("-h"))
        {
            Console.WriteLine(Options.Usage);
            return 0;
        }

        if (!Options.TryParse(args, out Options options, out string? error))
        {
            Console.Error.WriteLine($"error: {error}");
            Console.Error.WriteLine("Run with --help for the options.");
            return 2;
        }

        var table = new Table(options.Philosophers);
        var philosophers = new Philosopher[options.Philosophers];
        var threads = new List<Thread>();
        for (int seat = 0; seat < philosophers.Length; seat++)
        {
            string name = seat < s_names.Length ? s_names[seat] : $"Philosopher {seat}";
            philosophers[seat] = new Philosopher(table, seat, name, options.Meals);
            threads.Add(new Thread(philosophers[seat].Dine) { IsBackground = true, Name = name });
        }

        var observer = new Observer(table);
        var observerThread = new Thread(observer.Watch) { IsBackground = true, Name = "observer" };

        Console.WriteLine(Invariant($"DiningPhilosophers: {options.Philosophers} philosophers, {options.Meals} meals each, bound {options.LimitSeconds:0.##} s"));
        Stopwatch stopwatch = Stopwatch.StartNew();
        observerThread.Start();
        threads.ForEach(static t => t.Start());

        // Progress twice a second: the meals table, read in one consistent snapshot.
        TimeSpan limit = TimeSpan.FromSeconds(options.LimitSeconds);
        bool finished;
        do
        {
            finished = threads.All(t => t.Join(Remaining(limit, stopwatch, TimeSpan.FromMilliseconds(500))));
            Console.WriteLine(Invariant($"  {stopwatch.Elapsed.TotalSeconds,5:0.0} s  meals: {string.Join(", ", table.Meals())}"));
        }
        while (!finished && stopwatch.Elapsed < limit);

        TimeSpan elapsed = stopwatch.Elapsed;
        observer.Stop();
        bool observerStopped = observerThread.Join(TimeSpan.FromSeconds(10));

        Console.WriteLine(Invariant($"Dinner took {elapsed.TotalSeconds:0.00} s; the observer checked {observer.Snapshots:N0} snapshots, the most eating at once: {observer.MostEatingAtOnce}."));
        int[] meals = table.Meals();
        string? failure =
            !finished ? Invariant($"dinner not over after {options.LimitSeconds:0.##} s (deadlock or starvation?): {string.Join(", ", threads.Where(static t => t.IsAlive).Select(static t => t.Name))} still at the table")
            : table.FirstViolation is { } broken ? $"a transaction committed a broken table: {broken}"
            : observer.FirstViolation is { } seen ? $"the observer saw a broken table: {seen}"
            : !observerStopped ? "the observer did not stop"
            : philosophers.FirstOrDefault(p => p.MealsEaten != options.Meals) is { } hungry ? $"{hungry.Name} ate {hungry.MealsEaten} meals, not {options.Meals}"
            : meals.Any(m => m != options.Meals) ? $"the table counted meals {string.Join(", ", meals)}, expected {options.Meals} each"
            : observer.MostEatingAtOnce > options.Philosophers / 2 ? $"{observer.MostEatingAtOnce} philosophers ate at once, but there are forks for {options.Philosophers / 2}"
            : observer.Snapshots == 0 ? "the observer saw nothing"
            : null;
        Console.WriteLine(failure is null ? "Self-check: OK" : $"Self-check: FAILED: {failure}");
        return failure is null ? 0 : 1;
    }

    /// <summary>How long to wait next: <paramref name="step"/>, or less if the bound is nearer.</summary>
    private static TimeSpan Remaining(TimeSpan limit, Stopwatch stopwatch, TimeSpan step)
    {
        TimeSpan left = limit - stopwatch.Elapsed;
        return left < TimeSpan.Zero ? TimeSpan.Zero : left < step ? left : step;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
