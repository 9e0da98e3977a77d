using Stm;

namespace DiningPhilosophers;

/// <summary>
/// Watches the table from outside: every time someone starts or stops eating, it reads the whole
/// table in one read-only transaction (a consistent snapshot, however busy the philosophers are)
/// and checks the invariant there.
/// </summary>
internal sealed class Observer
{
    private readonly Table _table;
    private readonly TVar<bool> _stop = new(false, "observer-stop");

    /// <summary>Creates an observer of <paramref name="table"/>.</summary>
    public Observer(Table table) => _table = table;

    /// <summary>Snapshots checked.</summary>
    public long Snapshots { get; private set; }

    /// <summary>The most philosophers seen eating at once.</summary>
    public int MostEatingAtOnce { get; private set; }

    /// <summary>The first violation seen, or null.</summary>
    public string? FirstViolation { get; private set; }

    /// <summary>Asks <see cref="Watch"/> to return after its next snapshot.</summary>
    public void Stop() => _stop.Write(true);

    /// <summary>The observer's loop; runs on its own thread until <see cref="Stop"/>.</summary>
    public void Watch()
    {
        long lastMask = -1;
        while (true)
        {
            // Check(...) makes the transaction sleep until the eating flags differ from the last
            // snapshot (or Stop is called): no polling, and no snapshot is checked twice.
            (long mask, string? violation, bool stop) = Atomic.Run(() =>
            {
                long mask = _table.EatingMask();
                bool stop = _stop.Value;
                Atomic.Check(mask != lastMask || stop);
                return (mask, _table.FindViolation(), stop);
            });

            Snapshots++;
            MostEatingAtOnce = Math.Max(MostEatingAtOnce, System.Numerics.BitOperations.PopCount((ulong)mask));
            FirstViolation ??= violation;
            lastMask = mask;
            if (stop)
            {
                return;
            }
        }
    }
}
