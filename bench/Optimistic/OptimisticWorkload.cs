namespace Stm.Benchmarks.Optimistic;

/// <summary>
/// One variant of the optimistic-concurrency workload: how to update a key (read it, await a
/// simulated 1 ms call, write it plus one), how many update bodies have started, and the sum of
/// all keys afterwards (which must equal the number of completed updates).
/// </summary>
/// <param name="Title">The variant's name in the report.</param>
/// <param name="UpdateAsync">Updates the key with the given index; completes when the update is done.</param>
/// <param name="Attempts">Update bodies started so far (a clash starts another).</param>
/// <param name="Total">The sum of every key, read when all tasks have finished.</param>
internal sealed record OptimisticWorkload(string Title, Func<int, Task> UpdateAsync, Func<long> Attempts, Func<long> Total);
