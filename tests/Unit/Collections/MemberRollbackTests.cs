using Stm.Collections;
using Stm.Tests.Unit.Core;
using Xunit;

namespace Stm.Tests.Unit.Collections;

/// <summary>
/// A collection member called inside a transaction runs as a nested transaction: when it throws,
/// its own writes are undone before the exception reaches the enclosing body, which may catch it
/// and commit the rest of its work.
/// </summary>
public sealed class MemberRollbackTests
{
    [Fact]
    public void GetOrAdd_FactoryWritesATVarThenThrows_TheCallerCatchesAndTheFactorysWriteIsUndone()
    {
        var map = new TMap<string, int>();
        var audit = new TVar<int>(0, "audit");
        var other = new TVar<int>(0, "other");

        Atomic.Run(() =>
        {
            other.Value = 1;
            Assert.Throws<TestException>(() => map.GetOrAdd("key", _ =>
            {
                audit.Value = 99;
                throw new TestException();
            }));
            Assert.Equal(0, audit.Value);
        });

        Assert.Equal(0, audit.Value);
        Assert.Equal(1, other.Value);
        Assert.False(map.ContainsKey("key"));
    }

    [Fact]
    public void UnionWith_ComparerThrowsHalfway_TheCallerCatchesAndNoElementWasAdded()
    {
        var set = new TSet<int>(new ThrowingOnComparer(throwOn: 3));
        var other = new TVar<int>(0, "other");

        Atomic.Run(() =>
        {
            other.Value = 1;
            Assert.Throws<TestException>(() => set.UnionWith([1, 2, 3, 4]));
            Assert.True(set.IsEmpty);
        });

        Assert.Equal(1, other.Value);
        Assert.Empty(set.ToArray());
    }

    [Fact]
    public void Enqueue_CompletedQueueInsideATransaction_TheCallerCatchesAndCommitsItsOwnWrites()
    {
        var queue = new TQueue<int>();
        queue.Complete();
        var other = new TVar<int>(0, "other");

        Atomic.Run(() =>
        {
            other.Value = 1;
            Assert.Throws<InvalidOperationException>(() => queue.Enqueue(5));
        });

        Assert.Equal(1, other.Value);
        Assert.True(queue.IsEmpty);
    }

    /// <summary>The default comparer of <see cref="int"/>, except that hashing one value throws.</summary>
    private sealed class ThrowingOnComparer(int throwOn) : IEqualityComparer<int>
    {
        public bool Equals(int x, int y) => x == y;

        public int GetHashCode(int obj) => obj == throwOn ? throw new TestException() : obj;
    }
}
