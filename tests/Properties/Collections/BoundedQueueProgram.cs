using System.Globalization;

namespace Stm.Tests.Properties.Collections;

/// <summary>A <see cref="QueueProgram"/> for a bounded queue of <paramref name="Capacity"/> items.</summary>
/// <param name="Capacity">The queue's capacity.</param>
/// <param name="Transactions">The transactions, as in <see cref="QueueProgram"/>.</param>
public sealed record BoundedQueueProgram(int Capacity, QueueOperation[][] Transactions)
{
    /// <summary>Prints the capacity and the program, e.g. <c>capacity 2: Enqueue(3); atomic { Dequeue, Count }</c>.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"capacity {Capacity}: {QueueProgram.Format(Transactions)}");
}
