namespace PipelineSample;

/// <summary>
/// The last stage: receives items until <see cref="Finished"/>, and checks each one on the way:
/// items must arrive in order, each exactly once (sequence numbers 0, 1, 2, ... with no gap or
/// repeat), carrying the value the pipeline's transformations should have produced.
/// </summary>
internal sealed class Consumer : Component
{
    private readonly Func<long, long> _expectedValue;

    /// <summary>Creates a consumer; <paramref name="expectedValue"/> maps a sequence number to the value that item should arrive with.</summary>
    public Consumer(string name, Func<long, long> expectedValue)
        : base(name)
    {
        _expectedValue = expectedValue;
    }

    /// <summary>Items received; valid once the consumer has finished.</summary>
    public long ItemsReceived { get; private set; }

    /// <summary>The producer's count, from the <see cref="Finished"/> message; null if it never came.</summary>
    public long? ItemsSent { get; private set; }

    /// <summary>The first item that was out of order, repeated, or wrongly transformed; null if none.</summary>
    public string? FirstError { get; private set; }

    /// <inheritdoc/>
    protected override void Run()
    {
        while (true)
        {
            switch (Receive())
            {
                case Item item:
                    Check(item);
                    ItemsReceived++;
                    CountOne();
                    break;
                case Finished finished:
                    ItemsSent = finished.ItemsSent;
                    return;
            }
        }
    }

    private void Check(Item item)
    {
        if (FirstError is not null)
        {
            return;
        }

        // Single-threaded stages joined by FIFO queues keep the order, so the next item must carry
        // the next sequence number: a lost item shows as a gap, a doubled one as a repeat.
        if (item.Sequence != ItemsReceived)
        {
            FirstError = $"expected item #{ItemsReceived}, received #{item.Sequence}";
        }
        else if (item.Value != _expectedValue(item.Sequence))
        {
            FirstError = $"item #{item.Sequence} arrived with value {item.Value}, expected {_expectedValue(item.Sequence)}";
        }
    }
}
