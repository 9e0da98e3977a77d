using Stm.Collections;

namespace Stm.Soak.Workloads;

/// <summary>
/// Items flow producer -> <see cref="TQueue{T}"/> -> mover -> <see cref="TBoundedQueue{T}"/> ->
/// consumer. Producers enqueue, movers dequeue from one and enqueue into the other in one
/// transaction (waiting while the bounded queue is full), consumers take with <c>Dequeue</c> in a
/// transaction or with <c>DequeueAsync</c> (sometimes cancelled). Every item committed by a producer is
/// delivered to exactly one consumer.
/// </summary>
internal sealed class QueueWorkload : SoakWorkload
{
    /// <summary>The first stage.</summary>
    private readonly TQueue<long> _inbox = new();

    /// <summary>The second stage.</summary>
    private readonly TBoundedQueue<long> _outbox = new(16);

    /// <summary>Which items were produced and delivered.</summary>
    private DeliveryLedger _ledger = new();

    /// <summary>The last item id handed out.</summary>
    private long _nextId;

    /// <inheritdoc/>
    public override string Name => "queues";

    /// <inheritdoc/>
    public override int Weight => 15;

    /// <inheritdoc/>
    public override void Step(Worker worker)
    {
        switch (worker.Random.Next(4))
        {
            case 0:
                Produce(worker);
                break;
            case 1:
                Move(worker);
                break;
            case 2:
                Consume(worker);
                break;
            default:
                ConsumeAsync(worker);
                break;
        }
    }

    /// <inheritdoc/>
    public override void Drain(SoakContext context)
    {
        while (_outbox.TryDequeue(out long item) || _inbox.TryDequeue(out item))
        {
            if (!_ledger.MarkDelivered(item))
            {
                context.Fail($"{Name}: item {item} delivered twice (found while draining)");
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

        if (!_inbox.IsEmpty || !_outbox.IsEmpty)
        {
            context.Fail($"{Name}: queues not empty after draining ({_inbox.Count} + {_outbox.Count})");
        }
    }

    /// <inheritdoc/>
    public override void ReleaseBookkeeping() => _ledger = new DeliveryLedger();

    private void Produce(Worker worker)
    {
        long id = Interlocked.Increment(ref _nextId);
        if (worker.Execute(() =>
            {
                worker.MaybeAddThrowingHandlers();
                _inbox.Enqueue(id);
                worker.MaybeDelay();
                worker.MaybeThrowInBody();
            }) == TransactionOutcome.Committed)
        {
            _ledger.MarkProduced(id);
        }
    }

    private void Move(Worker worker) =>
        worker.Execute(
            () =>
            {
                worker.MaybeAddThrowingHandlers();
                long item = _inbox.Dequeue();
                worker.MaybeDelay();
                _outbox.Enqueue(item);
                worker.MaybeThrowInBody();
            },
            worker.PickWaitMode());

    private void Consume(Worker worker)
    {
        long taken = 0;
        if (worker.Execute(
                () =>
                {
                    taken = 0;
                    worker.MaybeAddThrowingHandlers();
                    long item = _outbox.Dequeue();
                    worker.MaybeThrowInBody();
                    taken = item;
                },
                worker.PickWaitMode()) == TransactionOutcome.Committed
            && !_ledger.MarkDelivered(taken))
        {
            worker.Context.Fail($"{Name}: item {taken} delivered twice");
        }
    }

    private void ConsumeAsync(Worker worker)
    {
        bool cancelSoon = worker.FaultHere();
        if (cancelSoon)
        {
            worker.Context.CountFault();
        }

        using var cts = new CancellationTokenSource(cancelSoon ? TimeSpan.FromMilliseconds(worker.Random.Next(0, 10)) : TimeSpan.FromMilliseconds(50));
        Task<long> task = _outbox.DequeueAsync(cts.Token).AsTask();
        try
        {
            if (!task.Wait(worker.Context.Options.WakeUpBound))
            {
                worker.Context.Fail($"{Name}: DequeueAsync with a 50 ms token did not end within {worker.Context.Options.WakeUpBound.TotalSeconds:F0}s");
                return;
            }
        }
        catch (AggregateException exception) when (exception.InnerException is OperationCanceledException)
        {
            return;
        }

        if (!_ledger.MarkDelivered(task.Result))
        {
            worker.Context.Fail($"{Name}: item {task.Result} delivered twice (DequeueAsync)");
        }
    }
}
