namespace Stm.Benchmarks.Infrastructure;

/// <summary>
/// One producer thread and one consumer thread (a <see cref="WorkerGroup"/> of two, so every round
/// starts behind its <see cref="Barrier"/>) passing a fixed number of items through a FIFO, and the
/// check that every item arrived once, in order.
/// </summary>
/// <remarks>
/// A benchmark creates this and its rounds in <c>[GlobalSetup]</c> (one cached delegate per FIFO, so
/// a round allocates nothing), calls <see cref="Run"/> from each measured method and disposes this in
/// <c>[GlobalCleanup]</c>.
/// </remarks>
internal sealed class ProducerConsumerRounds : IDisposable
{
    private readonly WorkerGroup _workers = new(2);
    private readonly int _itemsPerRound;

    /// <summary>How many items of the last round the consumer took in order.</summary>
    private long _received;

    /// <summary>Starts the producer and consumer threads, parked until the first round.</summary>
    /// <param name="itemsPerRound">How many items each round passes; at least 1.</param>
    public ProducerConsumerRounds(int itemsPerRound)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(itemsPerRound);
        _itemsPerRound = itemsPerRound;
    }

    /// <summary>
    /// The work of one round through <paramref name="pipe"/>: worker 0 writes 0, 1, 2, ... and
    /// worker 1 reads them and counts those that arrive in order. Cache the result.
    /// </summary>
    /// <typeparam name="TPipe">The FIFO's ends (a struct, so the loops call it directly).</typeparam>
    /// <param name="pipe">The FIFO's ends.</param>
    /// <returns>The round, to pass to <see cref="Run"/>.</returns>
    public Action<int> CreateRound<TPipe>(TPipe pipe)
        where TPipe : struct, IItemPipe =>
        worker =>
        {
            if (worker == 0)
            {
                Produce(pipe);
            }
            else
            {
                Consume(pipe);
            }
        };

    /// <summary>
    /// Runs one round on the two threads, released together, and checks that every item arrived
    /// once, in order.
    /// </summary>
    /// <param name="round">A round made by <see cref="CreateRound"/>.</param>
    /// <exception cref="InvalidOperationException">An item was lost, duplicated or reordered.</exception>
    public void Run(Action<int> round)
    {
        _workers.Run(round);
        if (_received != _itemsPerRound)
        {
            throw new InvalidOperationException($"Only {_received} of {_itemsPerRound} items arrived in order.");
        }
    }

    /// <summary>Stops the two threads.</summary>
    public void Dispose() => _workers.Dispose();

    private void Produce<TPipe>(TPipe pipe)
        where TPipe : struct, IItemPipe
    {
        for (int i = 0; i < _itemsPerRound; i++)
        {
            pipe.Write(i);
        }
    }

    private void Consume<TPipe>(TPipe pipe)
        where TPipe : struct, IItemPipe
    {
        long checksum = 0;
        for (int i = 0; i < _itemsPerRound; i++)
        {
            checksum += pipe.Read() == i ? 1 : 0;
        }

        _received = checksum;
    }
}
