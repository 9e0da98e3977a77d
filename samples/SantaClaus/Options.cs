using System.Globalization;

namespace SantaClaus;

/// <summary>The command line.</summary>
/// <param name="Seconds">How long Santa works before he closes the workshop.</param>
internal sealed record Options(double Seconds)
{
    /// <summary>What <c>--help</c> prints.</summary>
    public const string Usage = """
        SantaClaus: the Santa Claus problem (Trono), as in "Beautiful Concurrency". 9 reindeer and
        10 elves, each on its own thread. Santa sleeps until all 9 reindeer are back (they deliver
        toys) or 3 elves need help (they meet in his study); when both are ready, the reindeer go
        first (Atomic.OrElse with the reindeer branch first). Groups and gates are built from TVars.

        usage: dotnet run --project samples/SantaClaus [-- options]

          --seconds S    how long Santa works (default 3; more than 0, at most 600)
          --quick        a short run, about one second (--seconds 1)
          --help         print this text

        Exit code: 0 when the self-check passes, 1 when it fails, 2 on bad options.
        """;

    /// <summary>Reads the options; <paramref name="error"/> says what was wrong when it returns <see langword="false"/>.</summary>
    public static bool TryParse(string[] args, out Options options, out string? error)
    {
        options = new Options(Seconds: 3);
        error = null;
        for (int i = 0; i < args.Length; i++)
        {
            string value = i + 1 < args.Length ? args[i + 1] : "(nothing)";
            switch (args[i])
            {
                case "--quick":
                    options = options with { Seconds = 1 };
                    continue;
                case "--seconds" when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) && seconds is > 0 and <= 600:
                    options = options with { Seconds = seconds };
                    break;
                case "--seconds":
                    error = $"Invalid value '{value}' for --seconds (more than 0, at most 600).";
                    return false;
                default:
                    error = $"Unknown option '{args[i]}'.";
                    return false;
            }

            i++; // the option's value
        }

        return true;
    }
}
