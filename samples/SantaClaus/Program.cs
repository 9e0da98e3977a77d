using System.Diagnostics;
using System.Globalization;
using Stm;

namespace SantaClaus;

/// <summary>
/// The Santa Claus problem, the classic exercise from Simon Peyton Jones's "Beautiful Concurrency":
/// groups and gates built from TVars, Santa's choice between two groups made with OrElse, and
/// shutdown with a TVar flag that every waiting helper also watches.
/// </summary>
internal static class Program
{
    /// <summary>Reindeer (all of them go out together).</summary>
    public const int ReindeerGroupSize = 9;

    /// <summary>Elves who see Santa together.</summary>
    public const int ElfGroupSize = 3;

    private const int ElfCount = 10;

    /// <summary>Runs the workshop; 0 when the self-check passes, 1 when it fails, 2 on bad options.</summary>
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

        var closed = new TVar<bool>(false, "workshop-closed");
        var reindeerGroup = new Group("reindeer", ReindeerGroupSize);
        var elfGroup = new Group("elves", ElfGroupSize);

        // Reindeer holidays are longer than the elves' stints of toy-making, so Santa often has
        // both groups waiting and the reindeer's priority is exercised.
        Helper[] reindeer = [.. Enumerable.Range(1, ReindeerGroupSize).Select(id => new Helper(id, reindeerGroup, closed, maxAwayMilliseconds: 10))];
        Helper[] elves = [.. Enumerable.Range(1, ElfCount).Select(id => new Helper(id, elfGroup, closed, maxAwayMilliseconds: 5))];
        var santa = new Santa(reindeerGroup, elfGroup, closed);

        var threads = new List<Thread>();
        threads.AddRange(reindeer.Select(static r => new Thread(r.Live) { IsBackground = true, Name = $"reindeer-{r.Id}" }));
        threads.AddRange(elves.Select(static e => new Thread(e.Live) { IsBackground = true, Name = $"elf-{e.Id}" }));
        threads.Add(new Thread(() => santa.Work(TimeSpan.FromSeconds(options.Seconds))) { IsBackground = true, Name = "santa" });

        Console.WriteLine(Invariant($"SantaClaus: {ReindeerGroupSize} reindeer, {ElfCount} elves in groups of {ElfGroupSize}, Santa works {options.Seconds:0.##} s"));
        Stopwatch stopwatch = Stopwatch.StartNew();
        threads.ForEach(static t => t.Start());

        TimeSpan limit = TimeSpan.FromSeconds(options.Seconds + 30);
        bool finished;
        do
        {
            finished = threads.All(static t => t.Join(TimeSpan.FromMilliseconds(500)));
            Console.WriteLine(Invariant($"  {stopwatch.Elapsed.TotalSeconds,5:0.0} s  deliveries {santa.Deliveries,5:N0}, elf meetings {santa.ElfMeetings,6:N0}"));
        }
        while (!finished && stopwatch.Elapsed < limit);

        long reindeerVisits = reindeer.Sum(static r => r.Visits);
        long elfVisits = elves.Sum(static e => e.Visits);
        Console.WriteLine(Invariant($"Santa served {santa.Deliveries:N0} deliveries and {santa.ElfMeetings:N0} elf meetings in {stopwatch.Elapsed.TotalSeconds:0.00} s."));
        Console.WriteLine(Invariant($"Both groups were ready {santa.BothReady:N0} times; the reindeer went first every time unless counted here: {santa.PriorityViolations}."));
        Console.WriteLine(Invariant($"Visits: reindeer {reindeerVisits:N0} ({ReindeerGroupSize} x {santa.Deliveries:N0}), elves {elfVisits:N0} ({ElfGroupSize} x {santa.ElfMeetings:N0}; per elf {string.Join(", ", elves.Select(static e => e.Visits))})."));

        string? failure =
            !finished ? $"still running 30 s after closing time: {string.Join(", ", threads.Where(static t => t.IsAlive).Select(static t => t.Name))}"
            : santa.FirstError is { } wrongGroup ? wrongGroup
            : santa.PriorityViolations > 0 ? Invariant($"Santa chose the elves {santa.PriorityViolations} times while the reindeer were ready")
            : reindeer.FirstOrDefault(r => r.Visits != santa.Deliveries) is { } truant ? Invariant($"reindeer {truant.Id} went on {truant.Visits} deliveries, Santa made {santa.Deliveries}")
            : elfVisits != ElfGroupSize * santa.ElfMeetings ? Invariant($"elves made {elfVisits} visits, {ElfGroupSize} x {santa.ElfMeetings} meetings expected")
            : santa.Deliveries == 0 || santa.ElfMeetings == 0 ? "Santa never served one of the groups"
            : null;
        Console.WriteLine(failure is null ? "Self-check: OK" : $"Self-check: FAILED: {failure}");
        return failure is null ? 0 : 1;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
