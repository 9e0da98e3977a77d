using System.Collections.Immutable;

namespace Stm.Soak.Workloads;

/// <summary>
/// Producers and consumers hand items over through a bounded buffer built from two TVars, waiting in
/// Retry when it is full or empty, sometimes cancelled or timed out mid-wait. Every item committed by
/// a producer is delivered to exactly one consumer.
/// </summary>
internal sealed class HandOffWorkload : SoakWorkload
{
    /// <summary>The buffer's capacity.</summary>
    private const int Capacity = 8;

    /// <summary>The items in the buffer, oldest first.</summary>
    private readonly TVar<ImmutableQueue<long>> _items = new(ImmutableQueue<long>.Empty, "handoff.items");

    /// <summary>The number of items in <see cref="_items"/> (kept apart so the full/empty test reads one int).</summary>
    private readonly TVar<int> _count = new(0, "handoff.count");

    /// <summary>Which items were produced and delivered.</summary>
    private DeliveryLedger _ledger = new();

    /// <summary>The last item id handed out.</summary>
    private long _nextId;

    /// <inheritdoc/>
    public override string Name => "handoff";

    /// <inheritdoc/>
    public override int Weight => 20;

    /// <inheritdoc/>
    public override void Step(Worker worker)
    {
        if (worker.Random.Next(2) == 0)
        {
            Produce(worker);
        }
        else
        {
            Consume(worker);
        }
    }

    /// <inheritdoc/>
    public override void Drain(SoakContext context)
    {
        while (true)
        {
            long id = Atomic.Run(() =>
            {
                if (_count.Value == 0)
                {
                    return 0L;
                }

                _items.Write(_items.Value.Dequeue(out long item));
                _count.Value -= 1;
                return item;
            });
            if (id == 0)
            {
                return;
            }

            if (!_ledger.MarkDelivered(id))
            {
                context.Fail($"{Name}: item {id} delivered twice (found while draining)");
            }
        }
    }

    /// <inheritdoc/>
    public override void Verify(SoakContext context)
    {
        foreach (string problem in _ledger.Compare(Name))
        {
            context.Fail(problem);
        }

        Atomic.Run(() =>
        {
            int count = _count.Value;
            int actual = _items.Value.Count();
            if (count != 0 || actual != 0)
            {
                context.Fail($"{Name}: after draining, count={count} and {actual} item(s) remain");
            }
        });
    }

    /// <inheritdoc/>
    public override void ReleaseBookkeeping() => _ledger = new DeliveryLedger();

    private void Produce(Worker worker)
    {
        long id = Interlocked.Increment(ref _nextId);
        WaitMode mode = worker.PickWaitMode();
        TransactionOutcome outcome = worker.Execute(
            () =>
            {
                worker.MaybeAddThrowingHandlers();
                worker.Check(_count.Value < Capacity);
                _items.Write(_items.Value.Enqueue(id));
                worker.MaybeDelay();
                _count.Value += 1;
                worker.MaybeThrowInBody();
            },
            mode);
        if (outcome == TransactionOutcome.Committed)
        {
            _ledger.MarkProduced(id);
        }
    }

    private void Consume(Worker worker)
    {
        long taken = 0;
        WaitMode mode = worker.PickWaitMode();
        TransactionOutcome outcome = worker.Execute(
            () =>
            {
                taken = 0;
                worker.MaybeAddThrowingHandlers();
                worker.Check(_count.Value > 0);
                _items.Write(_items.Value.Dequeue(out long item));
                _count.Value -= 1;
                worker.MaybeDelay();
                worker.MaybeThrowInBody();
                taken = item;
            },
            mode);
        if (outcome == TransactionOutcome.Committed && !_ledger.MarkDelivered(taken))
        {
            worker.Context.Fail($"{Name}: item {taken} delivered twice");
        }
    }
}
