using Stm.Collections;
using Xunit;

namespace Stm.Tests.Unit.Collections;

public sealed class TArrayTests
{
    [Fact]
    public void Constructor_Length_MakesDefaultElements()
    {
        var array = new TArray<string>(3);
        Assert.Equal(3, array.Length);
        Assert.Equal(3, ((IReadOnlyCollection<string>)array).Count);
        Assert.All(array, Assert.Null);
        Assert.Empty(new TArray<int>(0));
    }

    [Fact]
    public void Constructor_NegativeLength_ThrowsArgumentOutOfRange()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new TArray<int>(-1));
        Assert.Equal("length", error.ParamName);
    }

    [Fact]
    public void Constructor_Items_CopiesThem()
    {
        var array = new TArray<int>([4, 5, 6]);
        Assert.Equal([4, 5, 6], array);
        Assert.Equal(5, array[1]);
        var error = Assert.Throws<ArgumentNullException>(() => new TArray<int>(null!));
        Assert.Equal("items", error.ParamName);
    }

    [Fact]
    public void Indexer_SetThenGet_InsideAndOutsideTransactions()
    {
        var array = new TArray<int>(2);
        array[0] = 1;
        int seen = Atomic.Run(() =>
        {
            array[1] = array[0] + 1;
            return array[1];
        });
        Assert.Equal(2, seen);
        Assert.Equal([1, 2], array.ToArray());
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(3)]
    [InlineData(int.MaxValue)]
    [InlineData(int.MinValue)]
    public void Indexer_OutsideBounds_ThrowsArgumentOutOfRangeAndChangesNothing(int index)
    {
        var array = new TArray<int>([1, 2, 3]);
        Assert.Equal("index", Assert.Throws<ArgumentOutOfRangeException>(() => array[index]).ParamName);
        Assert.Equal("index", Assert.Throws<ArgumentOutOfRangeException>(() => array[index] = 9).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => Atomic.Run(() =>
        {
            array[0] = 100;
            array[index] = 9;
        }));
        Assert.Equal([1, 2, 3], array);
    }

    [Fact]
    public void Indexer_WriteInOrElseBranchThatRetries_IsRolledBack()
    {
        var array = new TArray<int>([1, 0]);
        Atomic.Run(() => Atomic.OrElse(
            () =>
            {
                array[0] = 50;
                Atomic.Check(array[1] > 0);
            },
            () => array[1] = 2));
        Assert.Equal([1, 2], array);
    }

    [Fact]
    public async Task Indexer_RetryOnAnElement_IsWokenByAWriteToIt()
    {
        var array = new TArray<int>(4);
        using var rolledBack = new ManualResetEventSlim();
        var waiter = WaitHarness.StartThread(() => WaitHarness.RunSignallingRollback(
            () =>
            {
                Atomic.Check(array[2] != 0);
                return array[2];
            },
            rolledBack));
        WaitHarness.WaitOrFail(rolledBack, "the waiter to retry on a zero element");
        array[2] = 5;
        Assert.Equal(5, await waiter.WaitAsync(WaitHarness.Timeout));
    }

    [Fact]
    [Trait("Category", "Stress")]
    public async Task Enumeration_WhileTransfersRun_AlwaysSeesTheConservedSum()
    {
        const int Length = 8;
        const int Writers = 3;
        const int Transfers = 500;
        var array = new TArray<int>(Enumerable.Repeat(100, Length));
        using var start = new Barrier(Writers + 1);
        var writers = Enumerable.Range(0, Writers).Select(w => WaitHarness.StartThread(() =>
        {
            var random = new Random(w);
            Assert.True(start.SignalAndWait(WaitHarness.Timeout));
            for (int i = 0; i < Transfers; i++)
            {
                int from = random.Next(Length);
                int to = random.Next(Length);
                Atomic.Run(() =>
                {
                    array[from] -= 1;
                    array[to] += 1;
                });
            }
        })).ToArray();

        Assert.True(start.SignalAndWait(WaitHarness.Timeout));
        var sums = new List<int>();
        while (!writers.All(w => w.IsCompleted) || sums.Count < 10)
        {
            sums.Add(array.Sum());
            sums.Add(Atomic.Run(() => array.ToArray().Sum()));
        }

        await Task.WhenAll(writers).WaitAsync(WaitHarness.Timeout);
        Assert.All(sums, s => Assert.Equal(100 * Length, s));
        Assert.Equal(100 * Length, array.Sum());
    }

    [Fact]
    public void DebugView_ShowsElements()
    {
        var array = new TArray<int>([7, 8]);
        Assert.Equal([7, 8], new CollectionDebugView<int>(array).Items);
    }
}
