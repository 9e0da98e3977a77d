using FsCheck.Xunit;
using Stm.Collections;
using Xunit;

namespace Stm.Tests.Properties.Collections;

/// <summary>TSet against HashSet, one thread, generated programs; each operation also runs inside a transaction.</summary>
public sealed class SetModelTests
{
    [Property(Arbitrary = [typeof(SetArbitraries)], MaxTest = 150)]
    public void TSet_GeneratedProgram_BehavesLikeHashSet(SetProgram program)
    {
        var set = new TSet<int>();
        var model = new HashSet<int>();
        bool inside = false;
        foreach (SetOperation operation in program.Operations)
        {
            // Alternate between running the operation on its own and inside a transaction.
            inside = !inside;
            if (inside)
            {
                Atomic.Run(() => Apply(set, model, operation));
            }
            else
            {
                Apply(set, model, operation);
            }
        }

        Assert.Equal(model.Count, set.Count);
        Assert.Equal(model.Order(), set.Order());
    }

    private static void Apply(TSet<int> set, HashSet<int> model, SetOperation operation)
    {
        int[] items = operation.Items;
        switch (operation.Kind)
        {
            case SetOperationKind.Add:
                Assert.Equal(model.Add(operation.Item), set.Add(operation.Item));
                break;
            case SetOperationKind.Remove:
                Assert.Equal(model.Remove(operation.Item), set.Remove(operation.Item));
                break;
            case SetOperationKind.Contains:
                Assert.Equal(model.Contains(operation.Item), set.Contains(operation.Item));
                break;
            case SetOperationKind.Count:
                Assert.Equal(model.Count, set.Count);
                break;
            case SetOperationKind.Snapshot:
                Assert.Equal(model.Order(), set.Order());
                break;
            case SetOperationKind.Clear:
                model.Clear();
                set.Clear();
                break;
            case SetOperationKind.UnionWith:
                model.UnionWith(items);
                set.UnionWith(items);
                break;
            case SetOperationKind.IntersectWith:
                model.IntersectWith(items);
                set.IntersectWith(items);
                break;
            case SetOperationKind.ExceptWith:
                model.ExceptWith(items);
                set.ExceptWith(items);
                break;
            case SetOperationKind.SymmetricExceptWith:
                model.SymmetricExceptWith(items);
                set.SymmetricExceptWith(items);
                break;
            case SetOperationKind.IsSubsetOf:
                Assert.Equal(model.IsSubsetOf(items), set.IsSubsetOf(items));
                break;
            case SetOperationKind.IsProperSubsetOf:
                Assert.Equal(model.IsProperSubsetOf(items), set.IsProperSubsetOf(items));
                break;
            case SetOperationKind.IsSupersetOf:
                Assert.Equal(model.IsSupersetOf(items), set.IsSupersetOf(items));
                break;
            case SetOperationKind.IsProperSupersetOf:
                Assert.Equal(model.IsProperSupersetOf(items), set.IsProperSupersetOf(items));
                break;
            case SetOperationKind.Overlaps:
                Assert.Equal(model.Overlaps(items), set.Overlaps(items));
                break;
            case SetOperationKind.SetEquals:
                Assert.Equal(model.SetEquals(items), set.SetEquals(items));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(operation), operation.Kind, "Unknown operation kind.");
        }
    }
}
