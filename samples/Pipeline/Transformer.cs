using Stm;

namespace PipelineSample;

/// <summary>
/// A middle stage: applies a function to each item's value and passes it on, then passes on the
/// <see cref="Finished"/> message when its inbox is drained.
/// </summary>
internal sealed class Transformer : Component
{
    private readonly Func<long, long> _transform;
    private readonly Func<bool> _step;

    /// <summary>Creates a transformer that replaces each value <c>v</c> with <c>transform(v)</c>; the function must be pure.</summary>
    public Transformer(string name, Func<long, long> transform)
        : base(name)
    {
        _transform = transform;
        _step = MoveOneOrFinish;
    }

    /// <inheritdoc/>
    protected override void Run()
    {
        while (!Atomic.Run(_step))
        {
            CountOne();
        }
    }

    /// <summary>
    /// One transaction: either take an item, transform it and put it in the outbox, or (when the
    /// inbox is empty and the upstream has finished) pass <see cref="Finished"/> on. Taking and
    /// putting commit together, so an item is never "in the hands" of this thread: it is in the
    /// inbox or in the outbox, never lost or doubled. If the outbox is full the first branch retries;
    /// the second then retries too (the inbox is not empty), and the whole transaction sleeps until
    /// the inbox, the outbox or the control box changes.
    /// </summary>
    /// <returns><see langword="true"/> when <see cref="Finished"/> was passed on.</returns>
    private bool MoveOneOrFinish() => Atomic.OrElse(
        () =>
        {
            Item item = Inbox.Dequeue();
            Outbox.Enqueue(item with { Value = _transform(item.Value) });
            return false;
        },
        () =>
        {
            Signal.Enqueue(TakeFinished());
            return true;
        });
}
