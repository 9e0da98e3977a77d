namespace PipelineSample;

/// <summary>
/// The first stage: sends items numbered 0, 1, 2, ... for a given time, then signals
/// <see cref="Finished"/> with the number of items it sent.
/// </summary>
internal sealed class Producer : Component
{
    private readonly TimeSpan _duration;

    /// <summary>Creates a producer that sends items for <paramref name="duration"/>.</summary>
    public Producer(string name, TimeSpan duration)
        : base(name)
    {
        _duration = duration;
    }

    /// <summary>How many items were sent; valid once the producer has finished.</summary>
    public long ItemsSent { get; private set; }

    /// <inheritdoc/>
    protected override void Run()
    {
        DateTime stopAt = DateTime.UtcNow + _duration;
        long sequence = 0;
        while (DateTime.UtcNow < stopAt)
        {
            // Outside a transaction each queue operation is its own transaction; Enqueue on a full
            // bounded queue blocks until the next stage makes room (back-pressure).
            Outbox.Enqueue(new Item(sequence, sequence));
            sequence++;
            CountOne();
        }

        ItemsSent = sequence;

        // Sent after the last item, so it reaches the next stage behind all of them.
        Signal.Enqueue(new Finished(sequence));
    }
}
