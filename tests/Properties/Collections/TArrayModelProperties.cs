using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Stm.Collections;

namespace Stm.Tests.Properties.Collections;

/// <summary>TArray against a plain array: generated writes and reads, some grouped into transactions.</summary>
public sealed class TArrayModelProperties
{
    /// <summary>A write (index, value) or, with a negative value, a read of the index.</summary>
    private static readonly Arbitrary<(int Index, int Value)[][]> s_transactions =
        Arb.Array(Arb.Array(Arb.From(
            Gen.Choose(-1, 8).SelectMany(index => Gen.Choose(-5, 50), (index, value) => (Index: index, Value: value)),
            step => step.Value > 0 ? [(step.Index, 0), (step.Index, step.Value / 2)] : Array.Empty<(int, int)>())));

    [Property(MaxTest = 200)]
    public Property TArray_MatchesArrayModel() =>
        Prop.ForAll(Arb.From(Gen.Choose(0, 8)), s_transactions, (length, transactions) =>
        {
            var array = new TArray<int>(length);
            var model = new int[length];
            foreach (var transaction in transactions)
            {
                int[] before = [.. model];
                Atomic.Run(() =>
                {
                    before.CopyTo(model, 0);
                    foreach (var (index, value) in transaction)
                    {
                        bool inRange = index >= 0 && index < length;
                        if (value < 0)
                        {
                            int? read = inRange ? array[index] : Throws(() => array[index]);
                            if (read != (inRange ? model[index] : null))
                            {
                                throw new InvalidOperationException($"read [{index}]: expected {(inRange ? model[index] : "ArgumentOutOfRangeException")}, got {read}.");
                            }
                        }
                        else if (inRange)
                        {
                            array[index] = value;
                            model[index] = value;
                        }
                        else
                        {
                            Throws(() => array[index] = value);
                        }
                    }
                });
                if (!model.SequenceEqual(array))
                {
                    throw new InvalidOperationException($"after a transaction: expected [{string.Join(",", model)}], got [{string.Join(",", array)}].");
                }
            }
        });

    private static int? Throws(Func<int> access)
    {
        try
        {
            return access();
        }
        catch (ArgumentOutOfRangeException)
        {
            return null;
        }
    }
}
