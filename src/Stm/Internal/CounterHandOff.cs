namespace Stm.Internal;

/// <summary>
/// The two sides of <see cref="HardwareClock"/>'s start-up check: a reading handed from one
/// thread to another must be strictly below the reading the receiver takes next (both fenced), in
/// both directions. On a machine whose cores' counters drift apart by more than the hand-off's
/// own latency, some round sees an inversion.
/// </summary>
internal sealed class CounterHandOff
{
    /// <summary>Sent instead of a reading to end the exchange.</summary>
    private const long Stop = -1;

    private long _toPartner;
    private long _toAsker;
    private string? _partnerInversion;

    /// <summary>Sends a reading, waits for the partner's, checks its own next reading is later; <paramref name="rounds"/> times. Returns the first inversion either side saw, or null.</summary>
    internal string? Ask(int rounds)
    {
        for (int i = 0; i < rounds; i++)
        {
            Volatile.Write(ref _toPartner, HardwareClock.ReadFenced());
            long answer = WaitForNonZero(ref _toAsker);
            Volatile.Write(ref _toAsker, 0);
            if (answer == Stop)
            {
                return Volatile.Read(ref _partnerInversion);
            }

            long after = HardwareClock.ReadFenced();
            if (after <= answer)
            {
                Volatile.Write(ref _toPartner, Stop);
                return Describe(after, answer);
            }
        }

        Volatile.Write(ref _toPartner, Stop);
        return null;
    }

    /// <summary>The partner's side: answers each reading with a later one of its own, until told to stop.</summary>
    internal void Answer()
    {
        while (true)
        {
            long received = WaitForNonZero(ref _toPartner);
            Volatile.Write(ref _toPartner, 0);
            if (received == Stop)
            {
                return;
            }

            long now = HardwareClock.ReadFenced();
            if (now <= received)
            {
                Volatile.Write(ref _partnerInversion, Describe(now, received));
                Volatile.Write(ref _toAsker, Stop);
                return;
            }

            Volatile.Write(ref _toAsker, now);
        }
    }

    private static string Describe(long later, long earlier) =>
        $"a counter reading ({later}) was not above one another thread had taken before it ({earlier})";

    private static long WaitForNonZero(ref long slot)
    {
        SpinWait spin = default;
        long value;
        while ((value = Volatile.Read(ref slot)) == 0)
        {
            spin.SpinOnce(sleep1Threshold: -1);
        }

        return value;
    }
}
