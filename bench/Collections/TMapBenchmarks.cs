using System.Collections.Concurrent;
using System.Collections.Immutable;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Stm.Collections;

namespace Stm.Benchmarks.Collections;

/// <summary>
/// Single-thread TMap lookups and updates of random keys among 10,000, each group next to its BCL
/// baseline: <see cref="ConcurrentDictionary{TKey, TValue}.TryGetValue"/> for reads, the
/// <see cref="ConcurrentDictionary{TKey, TValue}"/> indexer set for updates (plus
/// <see cref="ImmutableInterlocked"/> on an <see cref="ImmutableDictionary{TKey, TValue}"/>).
/// Targets: a read outside a transaction &lt;= 6x and 0 B; an update outside a transaction &lt;= 3x;
/// inside <c>Atomic.Run</c> with a capturing lambda (the shape users write) a read &lt;= 15x and a set &lt;= 4x.
/// </summary>
/// <remarks>
/// The "cached body" variants read the key from a field through a delegate created once; the
/// "capturing lambda" variants allocate their closure and delegate on every call, as
/// <c>Atomic.Run(() =&gt; map[key] = value)</c> in user code does.
/// </remarks>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class TMapBenchmarks
{
    private const int KeyCount = 10_000;
    private const int Mask = 4095;

    private readonly ConcurrentDictionary<int, int> _concurrent = new();
    private readonly TMap<int, int> _map = new();
    private ImmutableDictionary<int, int> _immutable = ImmutableDictionary<int, int>.Empty;
    private int[] _keys = [];
    private int _next;
    private int _key;
    private Func<int> _readInTransaction = null!;
    private Func<int> _incrementInTransaction = null!;

    [GlobalSetup]
    public void Setup()
    {
        var builder = ImmutableDictionary.CreateBuilder<int, int>();
        for (int i = 0; i < KeyCount; i++)
        {
            int key = i * 7;
            _concurrent[key] = i;
            _map[key] = i;
            builder[key] = i;
        }

        _immutable = builder.ToImmutable();
        var random = new Random(42);
        _keys = new int[Mask + 1];
        for (int i = 0; i < _keys.Length; i++)
        {
            _keys[i] = random.Next(KeyCount) * 7;
        }

        // Cached bodies reading the key from a field: a transaction started from a benchmark
        // allocates no closure.
        _readInTransaction = () => _map.TryGetValue(_key, out int value) ? value : -1;
        _incrementInTransaction = () => _map[_key] = _map[_key] + 1;
    }

    [Benchmark(Baseline = true, Description = "ConcurrentDictionary.TryGetValue")]
    [BenchmarkCategory("Read")]
    public int ReadConcurrentDictionary() => _concurrent.TryGetValue(NextKey(), out int value) ? value : -1;

    [Benchmark(Description = "TMap.TryGetValue outside a transaction")]
    [BenchmarkCategory("Read")]
    public int ReadTMap() => _map.TryGetValue(NextKey(), out int value) ? value : -1;

    [Benchmark(Description = "TMap.TryGetValue in Atomic.Run, cached body")]
    [BenchmarkCategory("Read")]
    public int ReadTMapInTransaction()
    {
        _key = NextKey();
        return Atomic.Run(_readInTransaction);
    }

    [Benchmark(Description = "TMap.TryGetValue in Atomic.Run, capturing lambda")]
    [BenchmarkCategory("Read")]
    public int ReadTMapInTransactionCapturing()
    {
        int key = NextKey();
        return Atomic.Run(() => _map.TryGetValue(key, out int value) ? value : -1);
    }

    [Benchmark(Description = "TMap.TryGetValue in Transactional.Run, state and static lambda")]
    [BenchmarkCategory("Read")]
    public int ReadTMapInTransactionWithState() =>
        Transactional.Run((Map: _map, Key: NextKey()), static s => s.Map.TryGetValue(s.Key, out int value) ? value : -1);

    [Benchmark(Baseline = true, Description = "ConcurrentDictionary[key] = value")]
    [BenchmarkCategory("Update")]
    public void UpdateConcurrentDictionary() => _concurrent[NextKey()] = _next;

    [Benchmark(Description = "ImmutableInterlocked.Update(SetItem)")]
    [BenchmarkCategory("Update")]
    public void UpdateImmutableInterlocked() =>
        ImmutableInterlocked.Update(ref _immutable, static (map, key) => map.SetItem(key, key), NextKey());

    [Benchmark(Description = "TMap[key] = value outside a transaction")]
    [BenchmarkCategory("Update")]
    public void UpdateTMap() => _map[NextKey()] = _next;

    [Benchmark(Description = "TMap[key] = value in Atomic.Run, capturing lambda")]
    [BenchmarkCategory("Update")]
    public void SetTMapInTransactionCapturing()
    {
        int key = NextKey();
        int value = _next;
        Atomic.Run(() => _map[key] = value);
    }

    [Benchmark(Description = "TMap[key] = value in Transactional.Run, state and static lambda")]
    [BenchmarkCategory("Update")]
    public void SetTMapInTransactionWithState() =>
        Transactional.Run((Map: _map, Key: NextKey(), Value: _next), static s => s.Map[s.Key] = s.Value);

    [Benchmark(Description = "TMap[key] = TMap[key] + 1 in Atomic.Run, cached body")]
    [BenchmarkCategory("Update")]
    public int IncrementTMapInTransaction()
    {
        _key = NextKey();
        return Atomic.Run(_incrementInTransaction);
    }

    private int NextKey() => _keys[_next++ & Mask];
}
