using Stm.Benchmarks.Infrastructure;

namespace Stm.Benchmarks.Machine;

/// <summary>A <see cref="LinkedCellFifo"/> as the ends of a FIFO for <see cref="ProducerConsumerRounds"/>.</summary>
internal readonly struct LinkedCellPipe(LinkedCellFifo fifo) : IItemPipe
{
    /// <inheritdoc/>
    public void Write(int item) => fifo.Write(item);

    /// <inheritdoc/>
    public int Read() => fifo.Read();
}
