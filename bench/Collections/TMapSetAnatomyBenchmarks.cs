using System.Collections.Concurrent;
using BenchmarkDotNet.Attributes;
using Stm.Collections;

namespace Stm.Benchmarks.Collections;

/// <summary>
/// Where the time of a TMap set inside a transaction goes, step by step, against the
/// <see cref="ConcurrentDictionary{TKey, TValue}"/> indexer set: a transaction that writes one
/// TVar (the floor of any update that is a transaction), one that also reads the two trie slots
/// a set walks and copies a bucket the size of the map's (what a set does, without the map), and
/// the TMap set itself. The same 10,000 keys and random order as <see cref="TMapBenchmarks"/>.
/// </summary>
/// <remarks>
/// The map's 10,000 keys sit in 32 branches of 32 slots, about 10 entries per slot, so the shape
/// rows use 1,024 slots of 10 entries each; every body takes its state as an argument (no closure).
/// </remarks>
[MemoryDiagnoser]
public class TMapSetAnatomyBenchmarks
{
    private const int KeyCount = 10_000;
    private const int Mask = 4095;
    private const int Branches = 32;
    private const int SlotsPerBranch = 32;
    private const int EntriesPerSlot = 10;

    private readonly ConcurrentDictionary<int, int> _concurrent = new();
    private readonly TMap<int, int> _map = new();
    private TVar<int>[] _cells = [];
    private TVar<object?>[] _roots = [];
    private TVar<object?>[] _slots = [];
    private int[] _keys = [];
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        for (int i = 0; i < KeyCount; i++)
        {
            _concurrent[i * 7] = i;
            _map[i * 7] = i;
        }

        _cells = [.. Enumerable.Range(0, Branches * SlotsPerBranch).Select(static i => new TVar<int>(i))];
        _roots = [.. Enumerable.Range(0, Branches).Select(static i => new TVar<object?>(i))];
        _slots = [.. Enumerable.Range(0, Branches * SlotsPerBranch)
            .Select(static i => new TVar<object?>(Enumerable.Range(0, EntriesPerSlot).Select(j => (j, j, i)).ToArray()))];
        var random = new Random(42);
        _keys = new int[Mask + 1];
        for (int i = 0; i < _keys.Length; i++)
        {
            _keys[i] = random.Next(KeyCount) * 7;
        }
    }

    [Benchmark(Baseline = true, Description = "ConcurrentDictionary[key] = value")]
    public void ConcurrentDictionarySet() => _concurrent[NextKey()] = _next;

    [Benchmark(Description = "transaction writing one TVar")]
    public void WriteOneTVar() =>
        Transactional.Run((Cells: _cells, Index: NextKey() & (Branches * SlotsPerBranch - 1), Value: _next), static s => s.Cells[s.Index].Value = s.Value);

    [Benchmark(Description = "transaction reading two slots, writing a copied 10-entry bucket")]
    public void WriteCopiedBucket() =>
        Transactional.Run((Anatomy: this, Key: NextKey(), Value: _next), static s => s.Anatomy.CopyBucket(s.Key, s.Value));

    [Benchmark(Description = "TMap[key] = value in Transactional.Run")]
    public void TMapSet() =>
        Transactional.Run((Map: _map, Key: NextKey(), Value: _next), static s => s.Map[s.Key] = s.Value);

    /// <summary>The steps of a set without the map: two slot reads, a bucket copy with one value changed, one write.</summary>
    private int CopyBucket(int key, int value)
    {
        int slot = key & (Branches * SlotsPerBranch - 1);
        _ = _roots[slot / SlotsPerBranch].Value;
        // Held as object, as the trie holds its buckets (the arrays are never changed in place).
        TVar<object?> cell = _slots[slot];
        (int Hash, int Key, int Value)[] copy = ((int Hash, int Key, int Value)[])cell.Value!;
        copy = copy.AsSpan().ToArray();
        copy[key % EntriesPerSlot].Value = value;
        cell.Value = copy;
        return value;
    }

    private int NextKey() => _keys[_next++ & Mask];
}
