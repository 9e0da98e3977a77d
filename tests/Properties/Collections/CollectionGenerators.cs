using FsCheck;
using FsCheck.Fluent;

namespace Stm.Tests.Properties.Collections;

/// <summary>Generators and shrinkers for the collection model tests.</summary>
public static class CollectionGenerators
{
    /// <summary>Keys from a small range, so that operations hit the same keys often.</summary>
    private static readonly Gen<int> s_key = Gen.Frequency((4, Gen.Choose(0, 24)), (1, Gen.Choose(-1000, 1000)));

    private static readonly Gen<int> s_value = Gen.Choose(-50, 50);

    public static Gen<MapOperation> Operation(bool sorted, int depth)
    {
        var simple = new List<(int, Gen<MapOperation>)>
        {
            (6, KeyValue(MapOperationKind.Set)),
            (3, KeyValue(MapOperationKind.Add)),
            (3, KeyValue(MapOperationKind.TryAdd)),
            (4, KeyOnly(MapOperationKind.Remove)),
            (4, KeyOnly(MapOperationKind.Get)),
            (2, KeyOnly(MapOperationKind.ContainsKey)),
            (2, KeyValue(MapOperationKind.GetOrAdd)),
            (2, KeyValue(MapOperationKind.AddOrUpdate)),
            (1, NoArgument(MapOperationKind.Count)),
            (1, NoArgument(MapOperationKind.Snapshot)),
            (1, NoArgument(MapOperationKind.Clear)),
        };
        if (sorted)
        {
            simple.Add((1, NoArgument(MapOperationKind.Min)));
            simple.Add((1, NoArgument(MapOperationKind.Max)));
            simple.Add((2, Gen.Zip(s_key, s_key, (a, b) => Op(MapOperationKind.Range, Math.Min(a, b), Math.Max(a, b)))));
        }

        if (depth > 0)
        {
            Gen<MapOperation[]> inner = Operation(sorted, depth - 1).ArrayOf().Resize(6);
            simple.Add((2, inner.Select(ops => new MapOperation(MapOperationKind.Atomically, 0, 0, ops))));
            simple.Add((1, inner.Select(ops => new MapOperation(MapOperationKind.AtomicallyThenThrow, 0, 0, ops))));
        }

        return Gen.Frequency(simple);
    }

    public static Arbitrary<MapProgram> Programs(bool sorted) =>
        Arb.From(Operation(sorted, 1).ArrayOf().Select(ops => new MapProgram(ops)), program => ShrinkArray(program.Operations).Select(ops => new MapProgram(ops)));

    /// <summary>Shrinks an array by dropping halves, then single elements, then flattening nested groups.</summary>
    public static IEnumerable<T[]> ShrinkArray<T>(T[] items)
    {
        if (items.Length == 0)
        {
            yield break;
        }

        if (items.Length > 1)
        {
            yield return items[..(items.Length / 2)];
            yield return items[(items.Length / 2)..];
        }

        for (int i = 0; i < items.Length; i++)
        {
            yield return [.. items[..i], .. items[(i + 1)..]];
        }

        for (int i = 0; i < items.Length; i++)
        {
            if (items[i] is MapOperation { Inner.Length: > 0 } group)
            {
                foreach (MapOperation[] smaller in ShrinkArray(group.Inner))
                {
                    T[] copy = (T[])items.Clone();
                    copy[i] = (T)(object)(group with { Inner = smaller });
                    yield return copy;
                }
            }
        }
    }

    private static MapOperation Op(MapOperationKind kind, int key, int value) => new(kind, key, value, []);

    private static Gen<MapOperation> KeyValue(MapOperationKind kind) => Gen.Zip(s_key, s_value, (k, v) => Op(kind, k, v));

    private static Gen<MapOperation> KeyOnly(MapOperationKind kind) => s_key.Select(k => Op(kind, k, 0));

    private static Gen<MapOperation> NoArgument(MapOperationKind kind) => Gen.Constant(Op(kind, 0, 0));
}
