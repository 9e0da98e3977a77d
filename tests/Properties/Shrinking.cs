namespace Stm.Tests.Properties;

/// <summary>Shrinking helpers shared by the generators of this project.</summary>
public static class Shrinking
{
    /// <summary>
    /// Smaller candidates for a number that must stay at least <paramref name="min"/>: the minimum
    /// itself, then halfway there, then one less (distinct, all below <paramref name="value"/>).
    /// </summary>
    public static IEnumerable<int> Toward(int value, int min)
    {
        if (value <= min)
        {
            yield break;
        }

        yield return min;
        int half = min + ((value - min) / 2);
        if (half > min)
        {
            yield return half;
        }

        if (value - 1 > half)
        {
            yield return value - 1;
        }
    }
}
