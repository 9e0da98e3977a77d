using Xunit;

namespace Stm.Tests.Unit.Core;

/// <summary>
/// <see cref="Transactional"/>'s run forms allocate nothing per call with a static body over a
/// value-tuple state. Measured per thread, but run alone: a snapshot that another test holds open
/// meanwhile makes this thread's commits keep old versions, which allocates.
/// </summary>
[Collection(SequentialCoreCollection.Name)]
public sealed class TransactionalAllocationTests
{
    [Fact]
    public void Run_StaticBodyOverAValueTupleState_AllocatesOnlyTheVersionNode()
    {
        var counter = new TVar<long>(0);
        Action<(TVar<long> Counter, long Amount)> add = static args => args.Counter.Value += args.Amount;
        Func<TVar<long>, long> read = static c => c.Value;
        for (int i = 0; i < 100; i++)
        {
            Transactional.Run((Counter: counter, Amount: 1L), add);
            Transactional.Run(counter, read);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        long sum = 0;
        for (int i = 0; i < 1000; i++)
        {
            sum += Transactional.Run(counter, read);
        }

        long readOnly = GC.GetAllocatedBytesForCurrentThread() - before;
        before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            Transactional.Run((Counter: counter, Amount: 1L), add);
        }

        long updates = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(sum > 0);
        Assert.Equal(0, readOnly);

        // One version node per committed update (40 bytes for a long on 64-bit), nothing per call.
        Assert.InRange(updates, 1000 * 24, 1000 * 40);
        Assert.Equal(1100, counter.Value);
    }
}
