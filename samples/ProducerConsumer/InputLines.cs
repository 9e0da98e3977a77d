using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace ProducerConsumer;

/// <summary>
/// Where the producer's lines come from: numbers generated in memory for a fixed time, or the lines
/// of a text file. Either way the expected tally (lines, numbers, sum) is known before the consumers'
/// tallies are compared with it.
/// </summary>
internal static class InputLines
{
    /// <summary>The most numbers a generated line holds.</summary>
    private const int MaxNumbersPerLine = 8;

    /// <summary>The largest generated number (numbers are drawn from -1000 to this).</summary>
    private const int MaxNumber = 1_000_000;

    /// <summary>
    /// Generates random lines of numbers until <paramref name="duration"/> has passed, counting each
    /// line into <paramref name="expected"/> as it is made. The sequence is the same for a given seed.
    /// </summary>
    /// <param name="duration">How long to keep generating.</param>
    /// <param name="seed">The seed of the random numbers.</param>
    /// <param name="expected">Receives the tally of every line generated.</param>
    /// <returns>The lines, produced lazily.</returns>
    public static IEnumerable<string> Generate(TimeSpan duration, int seed, Tally expected)
    {
        var random = new Random(seed);
        var line = new StringBuilder();
        var stopwatch = Stopwatch.StartNew();
        while (stopwatch.Elapsed < duration)
        {
            line.Clear();
            int count = random.Next(1, MaxNumbersPerLine + 1);
            long sum = 0;
            for (int i = 0; i < count; i++)
            {
                int value = random.Next(-1_000, MaxNumber + 1);
                sum += value;
                line.Append(i == 0 ? string.Empty : " ").Append(value.ToString(CultureInfo.InvariantCulture));
            }

            expected.Add(count, sum);
            yield return line.ToString();
        }
    }

    /// <summary>
    /// Reads <paramref name="path"/> once, before any thread starts, to check that every line holds
    /// only integers and to compute the expected tally.
    /// </summary>
    /// <param name="path">The input file.</param>
    /// <param name="expected">The tally of the whole file.</param>
    /// <param name="error">What is wrong with the file, when the method returns <see langword="false"/>.</param>
    /// <returns><see langword="true"/> if the file can be used.</returns>
    public static bool TryTallyFile(string path, out Tally expected, out string? error)
    {
        expected = new Tally();
        error = null;
        if (!File.Exists(path))
        {
            error = $"Input file '{path}' was not found. Pass the path of a text file with integers on each line, or leave --input out to generate numbers.";
            return false;
        }

        long lineNumber = 0;
        foreach (string line in File.ReadLines(path))
        {
            lineNumber++;
            if (!LineParser.TryParse(line, out int numbers, out long sum, out string? bad))
            {
                error = $"Line {lineNumber} of '{path}': '{bad}' is not an integer that fits a 64-bit number. " +
                    "Each line must hold integers separated by spaces, tabs or commas.";
                return false;
            }

            try
            {
                expected.Add(numbers, sum);
            }
            catch (OverflowException)
            {
                error = $"The numbers of '{path}' add up to more than a 64-bit integer holds (from line {lineNumber} on); use smaller numbers.";
                return false;
            }
        }

        return true;
    }
}
