using System.Globalization;

namespace Stm.Benchmarks.Optimistic;

/// <summary>
/// The command line of the optimistic-concurrency harness:
/// <c>--optimistic [--tasks 16] [--keys 100] [--seconds 3] [--quick]</c>.
/// </summary>
internal sealed class OptimisticOptions
{
    private OptimisticOptions(int tasks, int keys, TimeSpan duration)
    {
        Tasks = tasks;
        Keys = keys;
        Duration = duration;
    }

    /// <summary>How many tasks update keys at once.</summary>
    public int Tasks { get; }

    /// <summary>How many keys they pick from (uniformly at random).</summary>
    public int Keys { get; }

    /// <summary>How long each variant runs (measured), after a short unmeasured warm-up.</summary>
    public TimeSpan Duration { get; }

    /// <summary>The usage line printed with a parse error.</summary>
    public static string Usage =>
        "usage: dotnet run -c Release --project bench -- --optimistic [--tasks 16] [--keys 100] [--seconds 3] [--quick]";

    /// <summary>Parses <paramref name="args"/>; on bad input returns <see langword="null"/> and an error message.</summary>
    /// <param name="args">The whole command line (it contains <c>--optimistic</c>).</param>
    /// <param name="error">What was wrong, when the result is <see langword="null"/>.</param>
    public static OptimisticOptions? TryParse(IReadOnlyList<string> args, out string? error)
    {
        int tasks = 16;
        int keys = 100;
        double seconds = 3;
        error = null;
        for (int i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case OptimisticHarness.Switch:
                    break;
                case Program.QuickSwitch:
                    seconds = 0.5;
                    break;
                case "--tasks" when i + 1 < args.Count:
                    if (!TryParseCount(args[++i], out tasks))
                    {
                        error = $"--tasks expects a whole number between 1 and 4096; '{args[i]}' is not one.";
                        return null;
                    }

                    break;
                case "--keys" when i + 1 < args.Count:
                    if (!TryParseCount(args[++i], out keys))
                    {
                        error = $"--keys expects a whole number between 1 and 4096; '{args[i]}' is not one.";
                        return null;
                    }

                    break;
                case "--seconds" when i + 1 < args.Count:
                    if (!double.TryParse(args[++i], NumberStyles.Float, CultureInfo.InvariantCulture, out seconds) || !(seconds > 0) || seconds > 3600)
                    {
                        error = $"--seconds expects a duration in seconds greater than 0 and at most 3600; '{args[i]}' is not one.";
                        return null;
                    }

                    break;
                default:
                    error = $"Unknown or incomplete argument '{args[i]}'.";
                    return null;
            }
        }

        return new OptimisticOptions(tasks, keys, TimeSpan.FromSeconds(seconds));
    }

    private static bool TryParseCount(string text, out int count) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out count) && count is >= 1 and <= 4096;
}
