using System.Globalization;

namespace DiningPhilosophers;

/// <summary>The command line.</summary>
/// <param name="Philosophers">Philosophers (and forks) at the table.</param>
/// <param name="Meals">Meals each philosopher eats.</param>
/// <param name="LimitSeconds">The bound: the dinner fails if it takes longer.</param>
internal sealed record Options(int Philosophers, int Meals, double LimitSeconds)
{
    /// <summary>What <c>--help</c> prints.</summary>
    public const string Usage = """
        DiningPhilosophers: philosophers round a table, a fork between each pair of neighbours.
        Each philosopher takes BOTH forks in one Stm transaction that retries until both are free,
        so no one ever holds one fork while waiting for the other: no deadlock, by construction.
        Every pick-up and put-down checks the table's invariant on the state it commits, and an
        observer thread checks it again on consistent snapshots while they eat.

        usage: dotnet run --project samples/DiningPhilosophers [-- options]

          --philosophers N  philosophers at the table (default 5; 2 to 60)
          --meals N         meals each one eats (default 1000; 1 to 1000000)
          --limit S         fail if dinner takes longer than S seconds (default 30; more than 0)
          --quick           a short run, about one second (--meals 300)
          --help            print this text

        Exit code: 0 when the self-check passes, 1 when it fails, 2 on bad options.
        """;

    /// <summary>Reads the options; <paramref name="error"/> says what was wrong when it returns <see langword="false"/>.</summary>
    public static bool TryParse(string[] args, out Options options, out string? error)
    {
        options = new Options(Philosophers: 5, Meals: 1000, LimitSeconds: 30);
        error = null;
        for (int i = 0; i < args.Length; i++)
        {
            string value = i + 1 < args.Length ? args[i + 1] : "(nothing)";
            switch (args[i])
            {
                case "--quick":
                    options = options with { Meals = 300 };
                    continue;
                case "--philosophers" when TryInt(value, 2, 60, out int philosophers):
                    options = options with { Philosophers = philosophers };
                    break;
                case "--meals" when TryInt(value, 1, 1_000_000, out int meals):
                    options = options with { Meals = meals };
                    break;
                case "--limit" when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double limit) && limit is > 0 and <= 86_400:
                    options = options with { LimitSeconds = limit };
                    break;
                case "--philosophers" or "--meals" or "--limit":
                    error = $"Invalid value '{value}' for {args[i]} (see --help for the allowed range).";
                    return false;
                default:
                    error = $"Unknown option '{args[i]}'.";
                    return false;
            }

            i++; // the option's value
        }

        return true;
    }

    private static bool TryInt(string text, int min, int max, out int value) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= min && value <= max;
}
