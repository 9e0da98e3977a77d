using System.Collections.Concurrent;
using BenchmarkDotNet.Attributes;
using Stm.Collections;

namespace Stm.Benchmarks.Collections;

/// <summary>
/// Inserting disjoint keys into one fresh TMap: the same 40,000 inserts done by one thread
/// (baseline) and split across two threads. With no hidden global serialisation the two-thread run
/// takes about half the time (target: >= 1.6x the one-thread throughput, so ratio &lt;= 0.63).
/// <see cref="ConcurrentDictionary{TKey, TValue}"/> split across two threads is shown for scale.
/// Worker threads are created once and released together by a <see cref="Barrier"/>, so thread
/// start-up is not measured.
/// </summary>
[MemoryDiagnoser]
public class TMapInsertScalingBenchmarks
{
    private const int Inserts = 40_000;

    private readonly Barrier _start = new(3);
    private readonly Barrier _done = new(3);
    private Thread[] _workers = [];
    private volatile bool _stopping;
    private Action<int, int> _work = static (_, _) => { };

    [GlobalSetup]
    public void Setup()
    {
        _workers = new Thread[2];
        for (int i = 0; i < _workers.Length; i++)
        {
            int index = i;
            _workers[i] = new Thread(() =>
            {
                while (true)
                {
                    _start.SignalAndWait();
                    if (_stopping)
                    {
                        return;
                    }

                    _work(index * (Inserts / 2), Inserts / 2);
                    _done.SignalAndWait();
                }
            })
            {
                IsBackground = true,
            };
            _workers[i].Start();
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _stopping = true;
        _start.SignalAndWait();
        foreach (Thread worker in _workers)
        {
            worker.Join();
        }

        _start.Dispose();
        _done.Dispose();
    }

    [Benchmark(Baseline = true, Description = "TMap, 1 thread")]
    public int InsertOneThread()
    {
        var map = new TMap<int, int>();
        for (int i = 0; i < Inserts; i++)
        {
            map[i] = i;
        }

        return CheckCount(map.Count);
    }

    [Benchmark(Description = "TMap, 2 threads, disjoint keys")]
    public int InsertTwoThreads()
    {
        var map = new TMap<int, int>();
        _work = (first, count) =>
        {
            for (int i = first; i < first + count; i++)
            {
                map[i] = i;
            }
        };
        _start.SignalAndWait();
        _done.SignalAndWait();
        return CheckCount(map.Count);
    }

    [Benchmark(Description = "ConcurrentDictionary, 2 threads, disjoint keys")]
    public int InsertTwoThreadsConcurrentDictionary()
    {
        var map = new ConcurrentDictionary<int, int>();
        _work = (first, count) =>
        {
            for (int i = first; i < first + count; i++)
            {
                map[i] = i;
            }
        };
        _start.SignalAndWait();
        _done.SignalAndWait();
        return CheckCount(map.Count);
    }

    /// <summary>One count per 40,000 inserts: every insert of a fresh key must have landed.</summary>
    private static int CheckCount(int count) =>
        count == Inserts ? count : throw new InvalidOperationException($"The map holds {count} keys after {Inserts} inserts of distinct keys.");
}
