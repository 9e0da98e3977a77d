using System.Runtime.InteropServices;

namespace Stm.Benchmarks.Machine;

/// <summary>
/// The least a FIFO that allocates a cell per item can cost between two threads, with no
/// transaction: one producer links a fresh cell per item, one consumer follows the links, and the
/// producer waits while the capacity's worth of items are in flight. Optionally every write and
/// every read also increments one shared word, as every commit on the counter time base does.
/// </summary>
/// <remarks>
/// The shape of <c>TBoundedQueue</c> without the engine: a cell per item (here 32 bytes), links
/// published with release stores, a consumer's progress the producer re-reads only when its cached
/// copy says the FIFO is full (as the queue refills its write capacity). Single producer and single
/// consumer only; waits spin, then yield.
/// </remarks>
internal sealed class LinkedCellFifo
{
    private readonly int _capacity;
    private readonly bool _sharedCounter;

    /// <summary>The producer's and the consumer's progress and the shared word, each on a line of its own.</summary>
    private Progress _progress;

    /// <summary>The last cell linked (the producer's).</summary>
    private Cell _tail;

    /// <summary>The cell before the next item (the consumer's).</summary>
    private Cell _head;

    /// <summary>How many items the consumer had taken when the producer last looked (the producer's).</summary>
    private long _readSeen;

    /// <summary>Creates an empty FIFO.</summary>
    /// <param name="capacity">How many items may be in flight.</param>
    /// <param name="sharedCounter">Whether every write and read also increments one shared word.</param>
    public LinkedCellFifo(int capacity, bool sharedCounter)
    {
        _capacity = capacity;
        _sharedCounter = sharedCounter;
        _head = _tail = new Cell();
    }

    /// <summary>Adds an item (producer thread only), waiting while the FIFO is full.</summary>
    public void Write(int item)
    {
        long written = _progress.Written;
        if (written - _readSeen >= _capacity)
        {
            var wait = new SpinWait();
            while (written - (_readSeen = Volatile.Read(ref _progress.Read)) >= _capacity)
            {
                wait.SpinOnce();
            }
        }

        var cell = new Cell { Item = item };
        Volatile.Write(ref _tail.Next, cell);
        _tail = cell;
        _progress.Written = written + 1;
        if (_sharedCounter)
        {
            Interlocked.Increment(ref _progress.Shared);
        }
    }

    /// <summary>Takes the oldest item (consumer thread only), waiting while the FIFO is empty.</summary>
    public int Read()
    {
        Cell? next = Volatile.Read(ref _head.Next);
        if (next is null)
        {
            var wait = new SpinWait();
            while ((next = Volatile.Read(ref _head.Next)) is null)
            {
                wait.SpinOnce();
            }
        }

        _head = next;
        Volatile.Write(ref _progress.Read, _progress.Read + 1);
        if (_sharedCounter)
        {
            Interlocked.Increment(ref _progress.Shared);
        }

        return next.Item;
    }

    /// <summary>One item and the link to the next cell.</summary>
    private sealed class Cell
    {
        public int Item;
        public Cell? Next;
    }

    /// <summary>Three counters on three separate cache lines.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 384)]
    private struct Progress
    {
        /// <summary>Items written (the producer's own).</summary>
        [FieldOffset(64)]
        public long Written;

        /// <summary>Items read (written by the consumer, read by the producer when it looks full).</summary>
        [FieldOffset(192)]
        public long Read;

        /// <summary>The shared word every operation increments, when asked to.</summary>
        [FieldOffset(320)]
        public long Shared;
    }
}
