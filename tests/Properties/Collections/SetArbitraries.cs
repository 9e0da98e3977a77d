using FsCheck;
using FsCheck.Fluent;

namespace Stm.Tests.Properties.Collections;

/// <summary>Registers programs of set operations for <c>[Property]</c>.</summary>
public static class SetArbitraries
{
    private static readonly Gen<int> s_item = Gen.Choose(0, 20);

    public static Arbitrary<SetProgram> Programs()
    {
        Gen<int[]> items = s_item.ArrayOf().Resize(8);
        var operation = Gen.Frequency(
            (6, s_item.Select(i => new SetOperation(SetOperationKind.Add, i, []))),
            (3, s_item.Select(i => new SetOperation(SetOperationKind.Remove, i, []))),
            (3, s_item.Select(i => new SetOperation(SetOperationKind.Contains, i, []))),
            (1, Gen.Elements(SetOperationKind.Count, SetOperationKind.Snapshot, SetOperationKind.Clear).Select(k => new SetOperation(k, 0, []))),
            (6, Gen.Zip(
                Gen.Elements(
                    SetOperationKind.UnionWith,
                    SetOperationKind.IntersectWith,
                    SetOperationKind.ExceptWith,
                    SetOperationKind.SymmetricExceptWith,
                    SetOperationKind.IsSubsetOf,
                    SetOperationKind.IsProperSubsetOf,
                    SetOperationKind.IsSupersetOf,
                    SetOperationKind.IsProperSupersetOf,
                    SetOperationKind.Overlaps,
                    SetOperationKind.SetEquals),
                items,
                (kind, array) => new SetOperation(kind, 0, array))));
        return Arb.From(
            operation.ArrayOf().Select(ops => new SetProgram(ops)),
            program => CollectionGenerators.ShrinkArray(program.Operations).Select(ops => new SetProgram(ops)));
    }
}
