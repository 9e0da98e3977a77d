using System.Globalization;

namespace Stm.Soak;

/// <summary>What a soak run does: how long, how many threads, which seed, how many faults.</summary>
public sealed class SoakOptions
{
    /// <summary>Gets how long the workload runs; ignored when <see cref="Transactions"/> is set.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets the number of workload steps after which the run stops, or <see langword="null"/> to run for <see cref="Duration"/>.</summary>
    public long? Transactions { get; init; }

    /// <summary>Gets the number of worker threads (1 to 256).</summary>
    public int Threads { get; init; } = 8;

    /// <summary>Gets the seed of every random choice (operation mix, fault points, delays); each worker derives its own generator from it.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>Gets the probability (0 to 1) that a fault point injects its fault.</summary>
    public double FaultRate { get; init; } = 0.02;

    /// <summary>Gets how long a waiter whose condition became true may take to finish before it counts as a lost wake-up.</summary>
    public TimeSpan WakeUpBound { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets the most attempts (not counting Retry waits) a transaction may take before the run fails.</summary>
    public int MaxAttemptsAllowed { get; init; } = 2_000;

    /// <summary>Gets how much the heap may grow from start to end (after a full collection) before the run fails.</summary>
    public long HeapGrowthAllowedBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>
    /// Gets the engine bug to switch on for the run (and off afterwards), to show that the checks catch
    /// it; <see cref="SeededBug.None"/> for a real soak. The switches are process-wide: never run a
    /// seeded soak beside other work.
    /// </summary>
    public SeededBug SeededBug { get; init; }

    /// <summary>
    /// Gets the names of the workloads to run (see <see cref="SoakRunner.WorkloadNames"/>), or
    /// <see langword="null"/> for the default mix.
    /// </summary>
    public IReadOnlyList<string>? Workloads { get; init; }

    /// <summary>Gets where progress lines and the verdict go; <see cref="TextWriter.Null"/> for silence.</summary>
    public TextWriter Output { get; init; } = TextWriter.Null;

    /// <summary>Gets the interval between progress lines.</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Parses command-line arguments: <c>--seconds N</c>, <c>--transactions N</c>, <c>--threads N</c>,
    /// <c>--seed N</c>, <c>--fault-rate X</c>, <c>--wakeup-bound-ms N</c>, <c>--max-attempts N</c>,
    /// <c>--heap-growth-mb N</c>, <c>--seeded-bug none|skip-commit-validation|...</c> (every <see cref="SeededBug"/>, in kebab case),
    /// <c>--workloads name,name,...</c> (see <see cref="SoakRunner.WorkloadNames"/>).
    /// </summary>
    /// <param name="args">The arguments.</param>
    /// <param name="output">Where progress goes.</param>
    /// <returns>The options.</returns>
    /// <exception cref="ArgumentException">An argument is unknown, lacks its value, or is out of range.</exception>
    public static SoakOptions Parse(IReadOnlyList<string> args, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        var options = new SoakOptions { Output = output };
        for (int i = 0; i < args.Count; i++)
        {
            string name = args[i];
            if (i + 1 >= args.Count)
            {
                throw new ArgumentException($"'{name}' needs a value.", nameof(args));
            }

            string value = args[++i];
            options = name switch
            {
                "--seconds" => options.With(duration: TimeSpan.FromSeconds(ParseDouble(name, value))),
                "--transactions" => options.With(transactions: ParseLong(name, value)),
                "--threads" => options.With(threads: (int)ParseLong(name, value)),
                "--seed" => options.With(seed: (int)ParseLong(name, value)),
                "--fault-rate" => options.With(faultRate: ParseDouble(name, value)),
                "--wakeup-bound-ms" => options.With(wakeUpBound: TimeSpan.FromMilliseconds(ParseLong(name, value))),
                "--max-attempts" => options.With(maxAttempts: (int)ParseLong(name, value)),
                "--heap-growth-mb" => options.With(heapGrowth: ParseLong(name, value) * 1024 * 1024),
                "--seeded-bug" => options.With(seededBug: ParseSeededBug(value)),
                "--workloads" => options.With(workloads: value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)),
                _ => throw new ArgumentException($"Unknown option '{name}'. Known: --seconds, --transactions, --threads, --seed, --fault-rate, --wakeup-bound-ms, --max-attempts, --heap-growth-mb, --seeded-bug, --workloads.", nameof(args)),
            };
        }

        options.Validate();
        return options;
    }

    /// <summary>Throws when an option is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Threads, 1, nameof(Threads));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Threads, 256, nameof(Threads));
        ArgumentOutOfRangeException.ThrowIfNegative(FaultRate, nameof(FaultRate));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(FaultRate, 1.0, nameof(FaultRate));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(Duration, TimeSpan.Zero, nameof(Duration));
        if (Transactions is { } transactions)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(transactions, nameof(Transactions));
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxAttemptsAllowed, nameof(MaxAttemptsAllowed));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(WakeUpBound, TimeSpan.Zero, nameof(WakeUpBound));
        if (Workloads is { } workloads)
        {
            ArgumentOutOfRangeException.ThrowIfZero(workloads.Count, nameof(Workloads));
            foreach (string workload in workloads)
            {
                if (!SoakRunner.WorkloadNames.Contains(workload))
                {
                    throw new ArgumentOutOfRangeException(
                        nameof(Workloads), workload, $"Known workloads: {string.Join(", ", SoakRunner.WorkloadNames)}.");
                }
            }
        }
    }

    private SoakOptions With(
        TimeSpan? duration = null,
        long? transactions = null,
        int? threads = null,
        int? seed = null,
        double? faultRate = null,
        TimeSpan? wakeUpBound = null,
        int? maxAttempts = null,
        long? heapGrowth = null,
        SeededBug? seededBug = null,
        IReadOnlyList<string>? workloads = null) => new()
        {
            Duration = duration ?? Duration,
            Transactions = transactions ?? Transactions,
            Threads = threads ?? Threads,
            Seed = seed ?? Seed,
            FaultRate = faultRate ?? FaultRate,
            WakeUpBound = wakeUpBound ?? WakeUpBound,
            MaxAttemptsAllowed = maxAttempts ?? MaxAttemptsAllowed,
            HeapGrowthAllowedBytes = heapGrowth ?? HeapGrowthAllowedBytes,
            SeededBug = seededBug ?? SeededBug,
            Workloads = workloads ?? Workloads,
            Output = Output,
            ProgressInterval = ProgressInterval,
        };

    /// <summary>The <c>--seeded-bug</c> spelling of <paramref name="bug"/>: its name in kebab case.</summary>
    /// <param name="bug">The bug.</param>
    /// <returns>For example <c>skip-commit-validation</c>.</returns>
    public static string OptionName(SeededBug bug) =>
        string.Concat(bug.ToString().Select((c, i) => char.IsUpper(c) ? (i == 0 ? string.Empty : "-") + char.ToLowerInvariant(c) : c.ToString()));

    private static SeededBug ParseSeededBug(string value)
    {
        foreach (SeededBug bug in Enum.GetValues<SeededBug>())
        {
            if (OptionName(bug) == value)
            {
                return bug;
            }
        }

        throw new ArgumentException(
            $"'--seeded-bug' is one of {string.Join(", ", Enum.GetValues<SeededBug>().Select(OptionName))}, not '{value}'.", nameof(value));
    }

    private static double ParseDouble(string name, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double result)
            ? result
            : throw new ArgumentException($"'{name}' needs a number, not '{value}'.", nameof(value));

    private static long ParseLong(string name, string value) =>
        long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out long result)
            ? result
            : throw new ArgumentException($"'{name}' needs an integer, not '{value}'.", nameof(value));
}
