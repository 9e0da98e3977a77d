namespace Stm.Soak.Workloads;

/// <summary>
/// Commutative increments of a few hot counters (sometimes read back in the same transaction, which
/// turns the commute into an ordinary read and write). Every committed increment must count, exactly.
/// </summary>
internal sealed class CommuteCounterWorkload : SoakWorkload
{
    /// <summary>The counters.</summary>
    private readonly TVar<long>[] _counters = [.. Enumerable.Range(0, 4).Select(i => new TVar<long>(0, $"commuted{i}"))];

    /// <summary>Committed increments per counter, counted by the workers.</summary>
    private readonly long[] _expected = new long[4];

    /// <inheritdoc/>
    public override string Name => "commute";

    /// <inheritdoc/>
    public override int Weight => 15;

    /// <inheritdoc/>
    public override void Step(Worker worker)
    {
        if (worker.Chance(0.1))
        {
            IncrementCommittedDuringACommute(worker);
            return;
        }

        int index = worker.Random.Next(_counters.Length);
        TVar<long> counter = _counters[index];
        bool readBack = worker.Chance(0.1);
        long delta = worker.Random.Next(1, 4);
        SoakContext context = worker.Context;
        TransactionOutcome outcome = worker.Execute(() =>
        {
            worker.MaybeAddThrowingHandlers();
            counter.Commute(x => x + delta);
            worker.MaybeDelay();
            if (readBack && counter.Value < delta)
            {
                context.Fail($"{Name}: {counter.Name} read back below the value just added");
            }

            worker.MaybeThrowInBody();
        });
        if (outcome == TransactionOutcome.Committed)
        {
            Interlocked.Add(ref _expected[index], delta);
        }
    }

    /// <inheritdoc/>
    public override void Verify(SoakContext context)
    {
        for (int i = 0; i < _counters.Length; i++)
        {
            long actual = _counters[i].Value;
            long expected = Interlocked.Read(ref _expected[i]);
            if (actual != expected)
            {
                context.Fail($"{Name}: {_counters[i].Name} is {actual}, but committed increments add up to {expected}");
            }
        }
    }

    /// <summary>
    /// The commute window, forced: an attempt commutes an increment on a fresh counter, then lets
    /// another thread commit an increment of the same counter before it commits. A commute is applied
    /// to the newest committed value at commit, so both increments count; applying it to the
    /// snapshot's value would overwrite the other one. Unlike the shared counters, this does not
    /// depend on two commits happening to overlap.
    /// </summary>
    private void IncrementCommittedDuringACommute(Worker worker)
    {
        SoakContext context = worker.Context;
        TimeSpan bound = context.Options.WakeUpBound;
        var counter = new TVar<long>(0, "probe.commuted");
        bool interfered = false;
        TransactionOutcome outcome = worker.Execute(() =>
        {
            counter.Commute(static x => x + 1);
            if (!interfered)
            {
                interfered = true;
                if (!Task.Run(() => counter.Modify(static x => x + 1)).Wait(bound))
                {
                    context.Fail($"{Name}: an increment of a fresh counter did not commit within {bound.TotalSeconds:F0}s");
                }
            }
        });
        long expected = outcome == TransactionOutcome.Committed ? 2 : 1;
        long actual = counter.Value;
        if (actual != expected)
        {
            context.Fail($"{Name}: {counter.Name} is {actual}, but committed increments add up to {expected} (a commute overwrote an increment committed while it ran)");
        }
    }
}
