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

    [Fact]
    public void TryEnqueue_CompletedBoundedQueueInsideATransaction_TheCallerCatchesAndCommitsItsOwnWrites()
    {
        var queue = new TBoundedQueue<int>(4);
        queue.Enqueue(1);
        queue.Complete();
        var other = new TVar<int>(0, "other");

        Atomic.Run(() =>
        {
            other.Value = 1;
            Assert.True(queue.TryDequeue(out int item));
            Assert.Equal(1, item);
            Assert.Throws<InvalidOperationException>(() => queue.TryEnqueue(5));
        });

        Assert.Equal(1, other.Value);
        Assert.True(queue.IsEmpty);
    }

    [Fact]
    public void MapSetTryAddTryRemove_ComparerThrowsInsideATransaction_TheCallerCatchesAndTheMapIsUnchanged()
    {
        // One bucket for every key, so each operation compares the new key with the stored ones.
        var map = new TMap<int, int>(new ThrowingEqualsComparer(throwOn: 3)) { [1] = 10, [2] = 20 };
        var other = new TVar<int>(0, "other");

        Atomic.Run(() =>
        {
            other.Value = 1;
            Assert.Throws<TestException>(() => map[3] = 30);
            Assert.Throws<TestException>(() => map.TryAdd(3, 30));
            Assert.Throws<TestException>(() => map.Remove(3));
            Assert.Equal(2, map.Count);
        });

        Assert.Equal(1, other.Value);
        Assert.Equal(2, map.Count);
        Assert.Equal([new(1, 10), new(2, 20)], map.ToArray().OrderBy(static pair => pair.Key));
    }

    [Fact]
    public void SetAddRemove_ComparerThrowsInsideATransaction_TheCallerCatchesAndTheSetIsUnchanged()
    {
        var set = new TSet<int>(new ThrowingEqualsComparer(throwOn: 3)) { 1, 2 };
        var other = new TVar<int>(0, "other");

        Atomic.Run(() =>
        {
            other.Value = 1;
            Assert.Throws<TestException>(() => set.Add(3));
            Assert.Throws<TestException>(() => set.Remove(3));
            Assert.Equal(2, set.Count);
        });

        Assert.Equal(1, other.Value);
        Assert.Equal([1, 2], set.ToArray().Order());
    }

    /// <summary>Hashes every key alike; comparing with one value throws.</summary>
    private sealed class ThrowingEqualsComparer(int throwOn) : IEqualityComparer<int>
    {
        public bool Equals(int x, int y) => x == throwOn || y == throwOn ? throw new TestException() : x == y;

        public int GetHashCode(int obj) => 0;
    }

    /// <summary>The default comparer of <see cref="int"/>, except that hashing one value throws.</summary>
    private sealed class ThrowingOnComparer(int throwOn) : IEqualityComparer<int>
    {
        public bool Equals(int x, int y) => x == y;

        public int GetHashCode(int obj) => obj == throwOn ? throw new TestException() : obj;
    }
}
