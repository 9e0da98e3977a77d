using System.Globalization;

namespace PipelineSample;

/// <summary>The command line: how long the producer runs and how many items each queue holds.</summary>
/// <param name="Seconds">How long the producer sends items.</param>
/// <param name="Capacity">Items each inbox holds before its sender has to wait.</param>
internal sealed record Options(double Seconds, int Capacity)
{
    /// <summary>What <c>--help</c> prints.</summary>
    public const string Usage = """
        Pipeline: Kamaelia's Pipeline(Producer(), Consumer()) with Stm queues as the boxes.
        A producer, two transformers (square, plus one) and a consumer, each on its own thread,
        joined by bounded queues; a Finished message travels down the control boxes to shut the
        pipeline down. The consumer checks that every item arrives once, in order, transformed.

        usage: dotnet run --project samples/Pipeline [-- options]

          --seconds S    how long the producer sends items (default 3; more than 0, at most 600)
          --capacity N   items each inbox holds before its sender waits (default 16; 1 to 100000)
          --quick        a short run, about one second (--seconds 1)
          --help         print this text

        Exit code: 0 when the self-check passes, 1 when it fails, 2 on bad options.
        """;

    /// <summary>Reads the options; <paramref name="error"/> says what was wrong when it returns <see langword="false"/>.</summary>
    public static bool TryParse(string[] args, out Options options, out string? error)
    {
        options = new Options(Seconds: 3, Capacity: 16);
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
                case "--capacity" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int capacity) && capacity is >= 1 and <= 100_000:
                    options = options with { Capacity = capacity };
                    break;
                case "--seconds" or "--capacity":
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
}
