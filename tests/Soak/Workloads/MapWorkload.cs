using Stm.Collections;

namespace Stm.Soak.Workloads;

/// <summary>
/// <see cref="TMap{TKey, TValue}"/> traffic with a comparer and factories that fail at random: each
/// committed <c>AddOrUpdate</c> adds one to a key and to the <c>added</c> TVar in the same transaction;
/// each removal moves a key's value to the <c>removed</c> TVar. Every attempt of an auditor, and the
/// end state, must satisfy sum(values) + removed == added, with <c>Count</c> equal to the entries seen.
/// </summary>
internal sealed class MapWorkload : SoakWorkload
{
    /// <summary>The key range.</summary>
    private const int KeyRange = 256;

    /// <summary>The map under test.</summary>
    private readonly TMap<int, long> _map = new(new FaultyComparer());

    /// <summary>Increments committed into the map.</summary>
    private readonly TVar<long> _added = new(0, "map.added");

    /// <summary>Values taken out of the map by removals.</summary>
    private readonly TVar<long> _removed = new(0, "map.removed");

    /// <summary>Increments committed, counted by the workers.</summary>
    private long _committedAdds;

    /// <inheritdoc/>
    public override string Name => "tmap";

    /// <inheritdoc/>
    public override int Weight => 12;

    /// <inheritdoc/>
    public override void Step(Worker worker)
    {
        int key = worker.Random.Next(KeyRange);
        bool armComparer = worker.FaultHere();
        bool failFactory = worker.FaultHere();
        if (armComparer || failFactory)
        {
            worker.Context.CountFault();
        }

        try
        {
            switch (worker.Random.Next(8))
            {
                case 0:
                    Audit(worker);
                    break;
                case 1:
                    worker.Execute(() =>
                    {
                        ArmIf(armComparer);
                        if (_map.TryRemove(key, out long value))
                        {
                            _removed.Value += value;
                        }

                        worker.MaybeThrowInBody();
                    });
                    break;
                case 2:
                    if (worker.Execute(() =>
                        {
                            worker.MaybeAddThrowingHandlers();
                            long before = _map.GetOrAdd(key, _ => failFactory
                                ? throw new InjectedFaultException("injected GetOrAdd factory fault") { Kind = FaultKind.UserDelegate }
                                : 0L);
                            _map[key] = before + 1;
                            _added.Value += 1;
                            worker.MaybeDelay();
                        }) == TransactionOutcome.Committed)
                    {
                        Interlocked.Increment(ref _committedAdds);
                    }

                    break;
                default:
                    if (worker.Execute(() =>
                        {
                            worker.MaybeAddThrowingHandlers();
                            ArmIf(armComparer);
                            _map.AddOrUpdate(key, 1L, (_, v) => v + 1);
                            _added.Value += 1;
                            worker.MaybeThrowInBody();
                        }) == TransactionOutcome.Committed)
                    {
                        Interlocked.Increment(ref _committedAdds);
                    }

                    break;
            }
        }
        finally
        {
            FaultyComparer.Disarm();
        }
    }

    /// <inheritdoc/>
    public override void Verify(SoakContext context)
    {
        CheckBalance(context, "at the end");
        long added = _added.Value;
        long committed = Interlocked.Read(ref _committedAdds);
        if (added != committed)
        {
            context.Fail($"{Name}: the map counted {added} committed increments, the workers {committed}");
        }
    }

    private static void ArmIf(bool arm)
    {
        if (arm)
        {
            FaultyComparer.Arm();
        }
    }

    private void Audit(Worker worker) => worker.Execute(() => CheckBalance(worker.Context, "in an auditor's attempt"));

    private void CheckBalance(SoakContext context, string where)
    {
        Atomic.Run(() =>
        {
            long sum = 0;
            int entries = 0;
            foreach (KeyValuePair<int, long> entry in _map)
            {
                sum += entry.Value;
                entries++;
            }

            long removed = _removed.Value;
            long added = _added.Value;
            int count = _map.Count;
            if (sum + removed != added || count != entries)
            {
                context.Fail($"{Name}: {where}: values {sum} + removed {removed} != added {added}, or Count {count} != {entries} entries enumerated");
            }
        });
    }
}
