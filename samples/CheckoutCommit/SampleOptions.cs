using System.Globalization;

namespace CheckoutCommit;

/// <summary>The command line: <c>[--quick | --seconds S] [--help]</c>.</summary>
internal sealed class SampleOptions
{
    private SampleOptions(TimeSpan duration, bool help)
    {
        Duration = duration;
        Help = help;
    }

    /// <summary>How long the workers run.</summary>
    public TimeSpan Duration { get; }

    /// <summary>Whether only the usage was asked for.</summary>
    public bool Help { get; }

    /// <summary>The usage text.</summary>
    public static string Usage =>
        """
        usage: dotnet run --project samples/CheckoutCommit [-- --quick | --seconds S | --help]

        Check out, update, commit; on a clash, rinse and repeat. Three checkers (Atomic.Checkout and
        TryCommit, written by hand) and three runners (Atomic.RunAsync) share five named values; every
        job checks out two of them, awaits a slow call, adds 1 to each and commits. An auditor reads
        them all across an await. The run ends with a final audit and 'Self-check: OK' (exit code 0)
        or 'Self-check: FAILED: <why>' (exit code 1).

          --quick      run for about a second
          --seconds S  run for S seconds (more than 0, at most 3600; default 3)
          --help       print this text
        """;

    /// <summary>Parses <paramref name="args"/>; on bad input returns null and says what was wrong.</summary>
    public static SampleOptions? TryParse(string[] args, out string? error)
    {
        double seconds = 3;
        bool help = false;
        bool quick = false;
        bool timed = false;
        error = null;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--help" or "-h" or "-?":
                    help = true;
                    break;
                case "--quick":
                    quick = true;
                    seconds = 1;
                    break;
                case "--seconds":
                    if (i + 1 >= args.Length
                        || !double.TryParse(args[i + 1], NumberStyles.Float, CultureInfo.InvariantCulture, out seconds)
                        || !(seconds > 0 && seconds <= 3600))
                    {
                        error = $"--seconds takes a number of seconds, more than 0 and at most 3600; got '{(i + 1 < args.Length ? args[i + 1] : "nothing")}'.";
                        return null;
                    }

                    timed = true;
                    i++;
                    break;
                default:
                    error = $"Unknown argument '{args[i]}'.";
                    return null;
            }
        }

        if (quick && timed)
        {
            error = "Give --quick or --seconds, not both.";
            return null;
        }

        return new SampleOptions(TimeSpan.FromSeconds(seconds), help);
    }
}
