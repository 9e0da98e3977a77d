using Stm.Collections;
using Stm.Internal;
using Xunit;
using Xunit.Abstractions;

namespace Stm.Tests.Unit.Collections;

/// <summary>
/// Conflict granularity: transactions on different keys of one collection must not conflict.
/// Each worker reads its own thread's <see cref="TransactionStatistics"/> at the end of its work.
/// </summary>
[Trait("Category", "Contention")]
public sealed class MapConflictTests(ITestOutputHelper output)
{
    private const int Threads = 6;
    private const int KeysPerThread = 1500;

    [Fact]
    public void TMap_DisjointKeyInsertsAndUpdates_AlmostNeverConflict()
    {
        var map = new TMap<int, int>();

        (long commits, long conflicts) = RunWorkers(thread =>
        {
            for (int i = 0; i < KeysPerThread; i++)
            {
                map[KeyOf(thread, i)] = i;
            }

            for (int i = 0; i < KeysPerThread; i++)
            {
                int key = KeyOf(thread, i);
                Atomic.Run(() => map[key] = map[key] + 1);
            }
        });

        Assert.True(commits >= 2L * Threads * KeysPerThread, $"commits {commits}");
        Assert.True(conflicts * 100 <= commits, $"{conflicts} conflicts in {commits} commits");
        Assert.Equal(Threads * KeysPerThread, map.Count);
        Assert.All(map, entry => Assert.Equal((entry.Key % 1_000_000) + 1, entry.Value));
    }

    [Fact]
    public void TSet_DisjointElementAddsAndRemoves_AlmostNeverConflict()
    {
        var set = new TSet<int>();

        (long commits, long conflicts) = RunWorkers(thread =>
        {
            for (int i = 0; i < KeysPerThread; i++)
            {
                set.Add(KeyOf(thread, i));
            }

            for (int i = 0; i < KeysPerThread; i += 2)
            {
                set.Remove(KeyOf(thread, i));
            }
        });

        Assert.True(conflicts * 100 <= commits, $"{conflicts} conflicts in {commits} commits");
        Assert.Equal(Threads * KeysPerThread / 2, set.Count);
    }

    [Fact]
    public void TSortedMap_DisjointKeyRanges_RarelyConflict()
    {
        var map = new TSortedMap<int, int>();

        (long commits, long conflicts) = RunWorkers(thread =>
        {
            for (int i = 0; i < KeysPerThread; i++)
            {
                map[KeyOf(thread, i)] = i;
            }

            for (int i = 0; i < KeysPerThread; i++)
            {
                int key = KeyOf(thread, i);
                Atomic.Run(() => map[key] = map[key] + 1);
            }
        });

        Assert.True(conflicts * 100 <= commits, $"{conflicts} conflicts in {commits} commits");
        Assert.Equal(Threads * KeysPerThread, map.Count);
        Assert.Equal(map.Keys.Order(), map.Keys);
    }

    /// <summary>Thread t owns the keys t * 1,000,000 + i, spread across the hash space.</summary>
    private static int KeyOf(int thread, int i) => (thread * 1_000_000) + i;

    private (long Commits, long Conflicts) RunWorkers(Action<int> work)
    {
        using var start = new Barrier(Threads);
        long commits = 0;
        long conflicts = 0;
        Exception? failure = null;
        Thread[] threads = Enumerable.Range(0, Threads).Select(t => new Thread(() =>
        {
            try
            {
                start.SignalAndWait();
                long commitsBefore = TransactionStatistics.Commits;
                long conflictsBefore = TransactionStatistics.Conflicts;
                work(t);
                Interlocked.Add(ref commits, TransactionStatistics.Commits - commitsBefore);
                Interlocked.Add(ref conflicts, TransactionStatistics.Conflicts - conflictsBefore);
            }
            catch (Exception ex)
            {
                Interlocked.CompareExchange(ref failure, ex, null);
            }
        })).ToArray();
        foreach (Thread thread in threads)
        {
            thread.Start();
        }

        foreach (Thread thread in threads)
        {
            Assert.True(thread.Join(TimeSpan.FromSeconds(60)), "a worker did not finish within 60 s");
        }

        Assert.Null(failure);
        output.WriteLine($"{Threads} threads: {commits} commits, {conflicts} conflicts");
        return (commits, conflicts);
    }
}
