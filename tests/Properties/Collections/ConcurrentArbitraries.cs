using FsCheck;
using FsCheck.Fluent;

namespace Stm.Tests.Properties.Collections;

/// <summary>Registers concurrent programs: <see cref="ThreadCount"/> threads, more than the cores of the test machines.</summary>
public static class ConcurrentArbitraries
{
    public const int ThreadCount = 8;

    public const int SharedKeys = 6;

    public const int LocalKeys = 12;

    public static Arbitrary<ConcurrentMapProgram> MapPrograms()
    {
        Gen<int> key = Gen.Choose(0, LocalKeys - 1);
        Gen<int> value = Gen.Choose(-50, 50);
        Gen<MapOperation> local = Gen.Frequency(
            (4, Gen.Zip(key, value, (k, v) => new MapOperation(MapOperationKind.Set, k, v, []))),
            (2, Gen.Zip(key, value, (k, v) => new MapOperation(MapOperationKind.TryAdd, k, v, []))),
            (2, Gen.Zip(key, value, (k, v) => new MapOperation(MapOperationKind.AddOrUpdate, k, v, []))),
            (3, key.Select(k => new MapOperation(MapOperationKind.Remove, k, 0, []))),
            (2, key.Select(k => new MapOperation(MapOperationKind.Get, k, 0, []))),
            (1, key.Select(k => new MapOperation(MapOperationKind.ContainsKey, k, 0, []))));
        Gen<MapTransaction> transaction =
            from ops in local.ArrayOf().Resize(4)
            from source in Gen.Choose(0, SharedKeys - 1)
            from target in Gen.Choose(0, SharedKeys - 1)
            from amount in Gen.Choose(1, 20)
            select new MapTransaction(ops, source, target, amount);
        Gen<MapTransaction[][]> threads = transaction.ArrayOf().Resize(12).ArrayOf(ThreadCount);
        return Arb.From(threads.Select(t => new ConcurrentMapProgram(t)), program => ShrinkThreads(program.Threads).Select(t => new ConcurrentMapProgram(t)));
    }

    public static Arbitrary<ConcurrentSetProgram> SetPrograms()
    {
        Gen<int> item = Gen.Choose(0, LocalKeys - 1);
        Gen<SetOperation> local = Gen.Frequency(
            (3, item.Select(i => new SetOperation(SetOperationKind.Add, i, []))),
            (2, item.Select(i => new SetOperation(SetOperationKind.Remove, i, []))),
            (1, item.Select(i => new SetOperation(SetOperationKind.Contains, i, []))));
        Gen<SetTransaction> transaction = Gen.Zip(local.ArrayOf().Resize(4), Gen.Choose(0, SharedKeys - 1), (ops, token) => new SetTransaction(ops, token));
        Gen<SetTransaction[][]> threads = transaction.ArrayOf().Resize(12).ArrayOf(ThreadCount);
        return Arb.From(threads.Select(t => new ConcurrentSetProgram(t)), program => ShrinkThreads(program.Threads).Select(t => new ConcurrentSetProgram(t)));
    }

    /// <summary>Shrinks one thread's transaction list at a time (the thread count stays fixed).</summary>
    private static IEnumerable<T[][]> ShrinkThreads<T>(T[][] threads)
    {
        for (int t = 0; t < threads.Length; t++)
        {
            foreach (T[] smaller in CollectionGenerators.ShrinkArray(threads[t]))
            {
                T[][] copy = (T[][])threads.Clone();
                copy[t] = smaller;
                yield return copy;
            }
        }
    }
}
