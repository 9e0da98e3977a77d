namespace Stm.Benchmarks.Infrastructure;

/// <summary>
/// The two ends of a FIFO of <see cref="int"/> items as <see cref="ProducerConsumerRounds"/> uses
/// them: implemented by small structs, so that the generic round is specialized for each and the
/// calls are direct (no delegate or interface call per item).
/// </summary>
internal interface IItemPipe
{
    /// <summary>Adds an item, waiting while the FIFO is full.</summary>
    /// <param name="item">The item.</param>
    void Write(int item);

    /// <summary>Takes the oldest item, waiting while the FIFO is empty.</summary>
    /// <returns>The item.</returns>
    int Read();
}
