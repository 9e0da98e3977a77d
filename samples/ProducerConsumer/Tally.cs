namespace ProducerConsumer;

/// <summary>
/// Lines, numbers and their sum: what the producer put in, or what one consumer took out. Each tally
/// is written by one thread only and read after that thread has been joined.
/// </summary>
internal sealed class Tally
{
    /// <summary>Lines handled.</summary>
    public long Lines { get; private set; }

    /// <summary>Numbers found on those lines.</summary>
    public long Numbers { get; private set; }

    /// <summary>The sum of those numbers.</summary>
    public long Sum { get; private set; }

    /// <summary>Counts one line that held <paramref name="numbers"/> numbers adding up to <paramref name="sum"/>.</summary>
    /// <exception cref="OverflowException">The running sum left the range of <see cref="long"/>.</exception>
    public void Add(int numbers, long sum)
    {
        Lines++;
        Numbers += numbers;
        Sum = checked(Sum + sum);
    }

    /// <summary>Adds every count of <paramref name="other"/> to this tally.</summary>
    /// <exception cref="OverflowException">The sum left the range of <see cref="long"/>.</exception>
    public void Add(Tally other)
    {
        Lines += other.Lines;
        Numbers += other.Numbers;
        Sum = checked(Sum + other.Sum);
    }

    /// <summary>Whether both tallies counted the same lines, numbers and sum.</summary>
    public bool SameAs(Tally other) => Lines == other.Lines && Numbers == other.Numbers && Sum == other.Sum;
}
