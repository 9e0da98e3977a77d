using System.Globalization;

namespace ProducerConsumer;

/// <summary>Reads the numbers on one line of input: integers separated by spaces, tabs or commas.</summary>
internal static class LineParser
{
    /// <summary>Counts and sums the numbers on <paramref name="line"/>.</summary>
    /// <param name="line">The line; an empty or blank line holds no number.</param>
    /// <param name="numbers">How many numbers the line holds.</param>
    /// <param name="sum">Their sum.</param>
    /// <param name="bad">The first piece that is not an integer, when the method returns <see langword="false"/>.</param>
    /// <returns><see langword="true"/> if every piece of the line was an integer (and their sum fits a <see cref="long"/>).</returns>
    public static bool TryParse(string line, out int numbers, out long sum, out string? bad)
    {
        numbers = 0;
        sum = 0;
        bad = null;
        ReadOnlySpan<char> rest = line;
        while (true)
        {
            rest = rest.TrimStart(" \t,");
            if (rest.IsEmpty)
            {
                return true;
            }

            int end = rest.IndexOfAny(" \t,");
            ReadOnlySpan<char> piece = end < 0 ? rest : rest[..end];
            if (!long.TryParse(piece, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value)
                || (value > 0 ? sum > long.MaxValue - value : sum < long.MinValue - value))
            {
                bad = piece.ToString();
                return false;
            }

            sum += value;
            numbers++;
            rest = end < 0 ? [] : rest[end..];
        }
    }
}
