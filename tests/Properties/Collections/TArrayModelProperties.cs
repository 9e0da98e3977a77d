using FsCheck.Xunit;
using Stm.Collections;

namespace Stm.Tests.Properties.Collections;

/// <summary>TArray against a plain array: generated writes and reads, some grouped into transactions.</summary>
public sealed class TArrayModelProperties
{
    [Property(MaxTest = 200, Arbitrary = [typeof(TArrayArbitraries)])]
    public void TArray_MatchesArrayModel(TArrayProgram program)
    {
        int length = program.Length;
        var array = new TArray<int>(length);
        var model = new int[length];
        foreach (var transaction in program.Transactions)
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
    }

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
