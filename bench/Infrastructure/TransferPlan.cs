namespace Stm.Benchmarks.Infrastructure;

/// <summary>
/// A precomputed sequence of random transfers (source account, destination account, amount) so that
/// benchmarks do not measure the random number generator. The source and destination of a transfer
/// always differ. The same seed gives the same sequence, so STM and baseline runs do the same work.
/// </summary>
internal sealed class TransferPlan
{
    /// <summary>Source account index of each transfer.</summary>
    private readonly int[] _from;

    /// <summary>Destination account index of each transfer (never equal to the source).</summary>
    private readonly int[] _to;

    /// <summary>Amount of each transfer, between 1 and 10.</summary>
    private readonly long[] _amount;

    private TransferPlan(int[] from, int[] to, long[] amount)
    {
        _from = from;
        _to = to;
        _amount = amount;
    }

    /// <summary>How many transfers the plan holds.</summary>
    public int Length => _from.Length;

    /// <summary>Source account index of transfer <paramref name="index"/>.</summary>
    public int From(int index) => _from[index];

    /// <summary>Destination account index of transfer <paramref name="index"/>.</summary>
    public int To(int index) => _to[index];

    /// <summary>Amount of transfer <paramref name="index"/>.</summary>
    public long Amount(int index) => _amount[index];

    /// <summary>Creates a plan of <paramref name="length"/> transfers among <paramref name="accountCount"/> accounts.</summary>
    /// <param name="accountCount">Number of accounts; at least 2.</param>
    /// <param name="length">Number of transfers; at least 1.</param>
    /// <param name="seed">Seed of the generator; the same seed gives the same plan.</param>
    public static TransferPlan Create(int accountCount, int length, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(accountCount, 2);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        var random = new Random(seed);
        var from = new int[length];
        var to = new int[length];
        var amount = new long[length];
        for (int i = 0; i < length; i++)
        {
            from[i] = random.Next(accountCount);
            // Pick among the other accounts: shift past the source so the two always differ.
            int other = random.Next(accountCount - 1);
            to[i] = other >= from[i] ? other + 1 : other;
            amount[i] = random.Next(1, 11);
        }

        return new TransferPlan(from, to, amount);
    }
}
