namespace ProducerConsumer;

/// <summary>The command line, parsed.</summary>
/// <param name="ShowHelp">Print the usage and exit.</param>
/// <param name="InputPath">A file to read the lines from, or <see langword="null"/> to generate them.</param>
/// <param name="Duration">How long to generate lines when there is no input file.</param>
internal sealed record Options(bool ShowHelp, string? InputPath, TimeSpan Duration)
{
    /// <summary>How long the producer generates lines by default.</summary>
    public static readonly TimeSpan DefaultDuration = TimeSpan.FromSeconds(3);

    /// <summary>How long the producer generates lines with <c>--quick</c>.</summary>
    public static readonly TimeSpan QuickDuration = TimeSpan.FromSeconds(1);

    /// <summary>The usage text printed by <c>--help</c> and after a bad argument.</summary>
    public const string Usage =
        """
        usage: dotnet run --project samples/ProducerConsumer [-- [--quick] [--input FILE] [--help]]

        One producer puts lines of numbers on a TQueue<string>; ten consumers take them with
        GetConsumingEnumerable and sum the numbers; the producer calls Complete when it is done,
        which ends every consumer once the queue is drained. The run then checks that every line
        was consumed exactly once (the consumers' totals equal the input's).

          --quick        generate lines for about 1 second instead of 3
          --input FILE   read the lines of FILE (integers separated by spaces, tabs or commas)
                         instead of generating them
          --help         print this text and exit
        """;

    /// <summary>Reads the arguments.</summary>
    /// <param name="args">The command-line arguments.</param>
    /// <param name="options">The options, when the method returns <see langword="true"/>.</param>
    /// <param name="error">What was wrong, when it returns <see langword="false"/>.</param>
    /// <returns><see langword="true"/> if the arguments were valid.</returns>
    public static bool TryParse(string[] args, out Options options, out string? error)
    {
        options = new Options(ShowHelp: false, InputPath: null, DefaultDuration);
        error = null;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--help" or "-h" or "-?":
                    options = options with { ShowHelp = true };
                    break;
                case "--quick":
                    options = options with { Duration = QuickDuration };
                    break;
                case "--input" when i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal):
                    options = options with { InputPath = args[++i] };
                    break;
                case "--input":
                    error = "--input needs the path of a file after it, for example --input numbers.txt.";
                    return false;
                default:
                    error = $"Unknown argument '{args[i]}'. The options are --quick, --input FILE and --help.";
                    return false;
            }
        }

        return true;
    }
}
