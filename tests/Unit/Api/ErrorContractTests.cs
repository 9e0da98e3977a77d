using Stm.Collections;
using Xunit;

namespace Stm.Tests.Unit.Api;

/// <summary>
/// Bad use of the core and of every collection: the exception type, its parameter name or message,
/// and that the bad call changed nothing (the state is snapshotted before and compared after).
/// </summary>
public sealed class ErrorContractTests
{
    [Fact]
    public void CoreNullArguments_ThrowArgumentNullWithNameAndChangeNothing()
    {
        var tvar = new TVar<int>(1);
        string State() => tvar.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);

        AssertNull("update", State, () => tvar.Modify(null!));
        AssertNull("update", State, () => tvar.Commute(null!));
        AssertNull("body", State, () => Atomic.Run(null!));
        AssertNull("body", State, () => Atomic.Run<int>(null!));
        AssertNull("body", State, () => Atomic.Run(null!, CancellationToken.None));
        AssertNull("body", State, () => Atomic.Run<int>(null!, CancellationToken.None));
        AssertNull("body", State, () => Atomic.TryRun(null!, TimeSpan.FromSeconds(1)));
        AssertNull("body", State, () => Atomic.TryRun<int>(null!, TimeSpan.FromSeconds(1), out _));
        AssertNull("body", State, () => Atomic.RunAsync((Action)null!).AsTask());
        AssertNull("body", State, () => Atomic.RunAsync<int>((Func<int>)null!).AsTask());
        AssertNull("body", State, () => Atomic.RunAsync((Func<Checkout, CancellationToken, ValueTask>)null!).AsTask());
        AssertNull("body", State, () => Atomic.RunAsync((Func<Checkout, CancellationToken, ValueTask<int>>)null!).AsTask());

        // Inside a transaction: the write made before the bad call is rolled back with it.
        AssertNull("first", State, () => Atomic.Run(() =>
        {
            tvar.Write(2);
            Atomic.OrElse(null!, static () => { });
        }));
        AssertNull("second", State, () => Atomic.Run(() =>
        {
            tvar.Write(2);
            Atomic.OrElse(static () => { }, null!);
        }));
        AssertNull("first", State, () => Atomic.Run(() =>
        {
            tvar.Write(2);
            return Atomic.OrElse(null!, static () => 1);
        }));
        AssertNull("second", State, () => Atomic.Run(() =>
        {
            tvar.Write(2);
            return Atomic.OrElse(static () => 1, null!);
        }));
        AssertNull("action", State, () => Atomic.Run(() =>
        {
            tvar.Write(2);
            Atomic.AfterCommit(null!);
        }));
        AssertNull("action", State, () => Atomic.Run(() =>
        {
            tvar.Write(2);
            Atomic.AfterRollback(null!);
        }));
        AssertNull("update", State, () => Atomic.Run(() =>
        {
            tvar.Write(2);
            tvar.Modify(null!);
        }));
    }

    [Fact]
    public void TryRun_NegativeTimeout_ThrowsArgumentOutOfRangeAndChangesNothing()
    {
        var tvar = new TVar<int>(1);
        string State() => tvar.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);

        AssertOutOfRange("timeout", State, () => Atomic.TryRun(() => tvar.Value = 2, TimeSpan.FromMilliseconds(-2)));
        AssertOutOfRange("timeout", State, () => Atomic.TryRun(() => tvar.Value = 2, TimeSpan.FromMilliseconds(-2), out _));
    }

    [Theory]
    [InlineData("Retry")]
    [InlineData("Check(true)")]
    [InlineData("Check(false)")]
    [InlineData("OrElse(Action)")]
    [InlineData("OrElse(Func)")]
    [InlineData("AfterCommit")]
    [InlineData("AfterRollback")]
    public void TransactionOnlyMembers_OutsideTransaction_ThrowInvalidOperationSayingToUseRun(string member)
    {
        Action call = member switch
        {
            "Retry" => Atomic.Retry,
            "Check(true)" => static () => Atomic.Check(true),
            "Check(false)" => static () => Atomic.Check(false),
            "OrElse(Action)" => static () => Atomic.OrElse(static () => { }, static () => { }),
            "OrElse(Func)" => static () => Atomic.OrElse(static () => 1, static () => 2),
            "AfterCommit" => static () => Atomic.AfterCommit(static () => { }),
            "AfterRollback" => static () => Atomic.AfterRollback(static () => { }),
            _ => throw new ArgumentOutOfRangeException(nameof(member)),
        };

        var exception = Assert.Throws<InvalidOperationException>(call);

        string name = member.Split('(')[0];
        Assert.Contains("Atomic." + name, exception.Message, StringComparison.Ordinal);
        Assert.Contains("inside a transaction", exception.Message, StringComparison.Ordinal);
        Assert.Contains("Atomic.Run", exception.Message.Replace("Atomic." + name, string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.False(Atomic.InTransaction);
    }

    [Fact]
    public void Retry_WithNothingRead_ThrowsInvalidOperationSayingToReadFirstAndChangesNothing()
    {
        var tvar = new TVar<int>(1);

        var exception = Assert.Throws<InvalidOperationException>(() => Atomic.Run(() =>
        {
            tvar.Write(2);
            Atomic.Retry();
        }));

        Assert.Contains("Read the TVars", exception.Message, StringComparison.Ordinal);
        Assert.Equal(1, tvar.Value);
    }

    [Fact]
    public void Run_AsyncLambda_ThrowsNotSupportedNamingAwait()
    {
        var tvar = new TVar<int>(1);

        var exception = Assert.Throws<NotSupportedException>(() =>
        {
#pragma warning disable STM0001 // an async body on purpose: the test checks that it is refused with NotSupportedException
            _ = Atomic.Run<Task>(async () =>
#pragma warning restore STM0001
            {
                tvar.Write(2);
                await Task.Yield();
            });
        });

        Assert.Contains("await", exception.Message, StringComparison.Ordinal);
        Assert.Equal(1, tvar.Value);
    }

    [Fact]
    public void MapNullArguments_ThrowArgumentNullWithNameAndChangeNothing()
    {
        AssertMapNullArguments(new TMap<string, string> { ["k"] = "v" });
        AssertMapNullArguments(new TSortedMap<string, string> { ["k"] = "v" });
        AssertNull("collection", static () => string.Empty, static () => _ = new TMap<string, int>((IEnumerable<KeyValuePair<string, int>>)null!));
        AssertNull("collection", static () => string.Empty, static () => _ = new TSortedMap<string, int>((IEnumerable<KeyValuePair<string, int>>)null!));
    }

    [Fact]
    public void TMapSpecificMembers_NullArguments_ThrowArgumentNullWithName()
    {
        var map = new TMap<string, string> { ["k"] = "v" };
        string State() => Describe(map.ToArray());

        AssertNull("key", State, () => map.GetOrAdd(null!, "x"));
        AssertNull("key", State, () => map.TryUpdate(null!, "x", "v"));
        AssertNull("addValueFactory", State, () => map.AddOrUpdate("n", (Func<string, string>)null!, static (_, v) => v));
    }

    [Fact]
    public void TSortedMapRange_NullBounds_ThrowArgumentNullWithName()
    {
        var map = new TSortedMap<string, int> { ["b"] = 1 };
        string State() => Describe(map.ToArray());

        AssertNull("fromInclusive", State, () => map.Range(null!, "c"));
        AssertNull("toExclusive", State, () => map.Range("a", null!));
    }

    [Fact]
    public void TSetNullArguments_ThrowArgumentNullWithNameAndChangeNothing()
    {
        var set = new TSet<int> { 1, 2 };
        string State() => string.Join(",", set.Order());

        AssertNull("other", State, () => set.UnionWith(null!));
        AssertNull("other", State, () => set.IntersectWith(null!));
        AssertNull("other", State, () => set.ExceptWith(null!));
        AssertNull("other", State, () => set.SymmetricExceptWith(null!));
        AssertNull("other", State, () => set.IsSubsetOf(null!));
        AssertNull("other", State, () => set.IsProperSubsetOf(null!));
        AssertNull("other", State, () => set.IsSupersetOf(null!));
        AssertNull("other", State, () => set.IsProperSupersetOf(null!));
        AssertNull("other", State, () => set.Overlaps(null!));
        AssertNull("other", State, () => set.SetEquals(null!));
        AssertNull("array", State, () => set.CopyTo(null!, 0));
        AssertNull("collection", State, static () => _ = new TSet<int>((IEnumerable<int>)null!));
        AssertOutOfRange("arrayIndex", State, () => set.CopyTo(new int[4], -1));
    }

    [Fact]
    public void SequenceConstructors_NullCollections_ThrowArgumentNullWithName()
    {
        AssertNull("collection", static () => string.Empty, static () => _ = new TQueue<int>(null!));
        AssertNull("items", static () => string.Empty, static () => _ = new TArray<int>(null!));
    }

    [Fact]
    public void Capacities_BelowMinimum_ThrowArgumentOutOfRangeWithName()
    {
        AssertOutOfRange("capacity", static () => string.Empty, static () => _ = new TBoundedQueue<int>(0));
        AssertOutOfRange("capacity", static () => string.Empty, static () => _ = new TBoundedQueue<int>(-1));
        AssertOutOfRange("initialCount", static () => string.Empty, static () => _ = new TSemaphore(-1));
        AssertOutOfRange("length", static () => string.Empty, static () => _ = new TArray<int>(-1));
        Assert.Equal(1, new TBoundedQueue<int>(1).Capacity);
        Assert.Equal(0, new TSemaphore(0).CurrentCount);
        Assert.Equal(0, new TArray<int>(0).Length);
    }

    [Fact]
    public void TArrayIndexer_OutsideBounds_ThrowsArgumentOutOfRangeAndChangesNothing()
    {
        var array = new TArray<int>([1, 2, 3]);
        string State() => string.Join(",", array.ToArray());

        foreach (int index in new[] { -1, 3, int.MinValue, int.MaxValue })
        {
            AssertOutOfRange("index", State, () => _ = array[index]);
            AssertOutOfRange("index", State, () => array[index] = 9);
        }

        // Inside a transaction the exception escapes and the earlier write of the same body is undone.
        AssertOutOfRange("index", State, () => Atomic.Run(() =>
        {
            array[0] = 9;
            array[3] = 9;
        }));
    }

    [Fact]
    public void TSemaphoreRelease_NonPositiveCount_ThrowsArgumentOutOfRangeAndChangesNothing()
    {
        var semaphore = new TSemaphore(2);
        string State() => semaphore.CurrentCount.ToString(System.Globalization.CultureInfo.InvariantCulture);

        AssertOutOfRange("count", State, () => semaphore.Release(0));
        AssertOutOfRange("count", State, () => semaphore.Release(-1));
        AssertOutOfRange("count", State, () => Atomic.Run(() =>
        {
            semaphore.Release(1);
            semaphore.Release(0);
        }));
    }

    [Fact]
    public void MapCopyTo_BadArrayIndex_ThrowsArgumentOutOfRangeAndChangesNothing()
    {
        ICollection<KeyValuePair<int, int>> map = new TMap<int, int> { [1] = 1 };
        ICollection<KeyValuePair<int, int>> sorted = new TSortedMap<int, int> { [1] = 1 };

        AssertOutOfRange("arrayIndex", () => Describe(map.ToArray()), () => map.CopyTo(new KeyValuePair<int, int>[2], -1));
        AssertOutOfRange("arrayIndex", () => Describe(map.ToArray()), () => map.CopyTo(new KeyValuePair<int, int>[2], 3));
        AssertOutOfRange("arrayIndex", () => Describe(sorted.ToArray()), () => sorted.CopyTo(new KeyValuePair<int, int>[2], -1));
        AssertNull("array", () => Describe(sorted.ToArray()), () => sorted.CopyTo(null!, 0));
    }

    [Fact]
    public void AsyncCollectionMembers_InsideTransaction_ThrowInvalidOperationAndChangeNothing()
    {
        var queue = new TQueue<int>([1]);
        var bounded = new TBoundedQueue<int>(2);
        bounded.Enqueue(1);
        var channel = new TChannel<int>();
        TChannelReader<int> reader = channel.Subscribe();
        channel.Write(1);
        var box = new TMVar<int>(1);
        var semaphore = new TSemaphore(1);
        var marker = new TVar<int>(0);
        string State() => string.Join(
            "|",
            string.Join(",", queue.ToArray()),
            string.Join(",", bounded.ToArray()),
            reader.Count,
            box.IsEmpty,
            semaphore.CurrentCount,
            marker.Value);

        var calls = new (string Name, string Instead, Action Call)[]
        {
            ("TQueue<T>.DequeueAsync", "TQueue<T>.Dequeue", () => queue.DequeueAsync().AsTask()),
            ("TBoundedQueue<T>.EnqueueAsync", "TBoundedQueue<T>.Enqueue", () => bounded.EnqueueAsync(2).AsTask()),
            ("TBoundedQueue<T>.DequeueAsync", "TBoundedQueue<T>.Dequeue", () => bounded.DequeueAsync().AsTask()),
            ("TChannelReader<T>.ReadAsync", "TChannelReader<T>.Read", () => reader.ReadAsync().AsTask()),
            ("TMVar<T>.TakeAsync", "TMVar<T>.Take", () => box.TakeAsync().AsTask()),
            ("TMVar<T>.PutAsync", "TMVar<T>.Put", () => box.PutAsync(2).AsTask()),
            ("TMVar<T>.ReadAsync", "TMVar<T>.Read", () => box.ReadAsync().AsTask()),
            ("TSemaphore.WaitAsync", "TSemaphore.Wait", () => semaphore.WaitAsync().AsTask()),
        };

        foreach ((string name, string instead, Action call) in calls)
        {
            string before = State();
            var exception = Assert.Throws<InvalidOperationException>(() => Atomic.Run(() =>
            {
                marker.Value++;
                call();
            }));
            Assert.True(exception.Message.Contains(name, StringComparison.Ordinal), $"{name}: the message does not name the member: {exception.Message}");
            Assert.True(exception.Message.Contains("inside a transaction", StringComparison.Ordinal), $"{name}: {exception.Message}");
            Assert.True(exception.Message.Contains("Call " + instead, StringComparison.Ordinal), $"{name}: the message does not say to call {instead}: {exception.Message}");
            Assert.True(before == State(), $"{name} changed the state: {before} -> {State()}");
        }
    }

    [Fact]
    public void MapAdd_DuplicateKey_ThrowsArgumentExceptionAndChangesNothing()
    {
        var map = new TMap<string, int> { ["a"] = 1 };
        var sorted = new TSortedMap<string, int> { ["a"] = 1 };
        string State() => Describe(map.ToArray()) + "|" + Describe(sorted.ToArray());
        string before = State();

        var outside = Assert.Throws<ArgumentException>(() => map.Add("a", 2));
        var outsideSorted = Assert.Throws<ArgumentException>(() => sorted.Add("a", 2));
        var inside = Assert.Throws<ArgumentException>(() => Atomic.Run(() =>
        {
            map.Add("b", 2);
            sorted.Add("b", 2);
            map.Add("a", 3);
        }));

        Assert.Equal("key", outside.ParamName);
        Assert.Equal("key", outsideSorted.ParamName);
        Assert.Equal("key", inside.ParamName);
        Assert.Equal(before, State());
    }

    [Fact]
    public void SortedMapRange_ReversedBounds_ThrowsArgumentExceptionNamingFromInclusive()
    {
        var map = new TSortedMap<int, int> { [1] = 1, [5] = 5 };
        string before = Describe(map.ToArray());

        var exception = Assert.Throws<ArgumentException>(() => map.Range(5, 1));

        Assert.Equal("fromInclusive", exception.ParamName);
        Assert.Equal(before, Describe(map.ToArray()));
    }

    [Fact]
    public void SemaphoreRelease_Overflow_ThrowsSemaphoreFullAndChangesNothing()
    {
        var semaphore = new TSemaphore(int.MaxValue - 1);

        Assert.Throws<SemaphoreFullException>(() => semaphore.Release(2));

        Assert.Equal(int.MaxValue - 1, semaphore.CurrentCount);
    }

    [Fact]
    public void MapFactories_Throwing_PropagateUnchangedAndChangeNothing()
    {
        var map = new TMap<string, int> { ["a"] = 1 };
        var sorted = new TSortedMap<string, int> { ["a"] = 1 };
        var thrown = new InvalidCastException();
        string State() => Describe(map.ToArray()) + "|" + Describe(sorted.ToArray());
        string before = State();

        Assert.Same(thrown, Assert.Throws<InvalidCastException>(() => map.GetOrAdd("b", _ => throw thrown)));
        Assert.Same(thrown, Assert.Throws<InvalidCastException>(() => sorted.GetOrAdd("b", _ => throw thrown)));
        Assert.Same(thrown, Assert.Throws<InvalidCastException>(() => map.AddOrUpdate("a", 0, (_, _) => throw thrown)));
        Assert.Same(thrown, Assert.Throws<InvalidCastException>(() => sorted.AddOrUpdate("a", 0, (_, _) => throw thrown)));

        Assert.Equal(before, State());
    }

    [Fact]
    public async Task AsyncCollectionMembers_CancelledToken_CancelAndChangeNothing()
    {
        var queue = new TQueue<int>();
        var full = new TBoundedQueue<int>(1);
        full.Enqueue(1);
        var reader = new TChannel<int>().Subscribe();
        var semaphore = new TSemaphore(0);
        string State() => string.Join("|", queue.Count, string.Join(",", full.ToArray()), reader.Count, semaphore.CurrentCount);
        string before = State();
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queue.DequeueAsync(cancellation.Token).AsTask());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => full.EnqueueAsync(2, cancellation.Token).AsTask());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reader.ReadAsync(cancellation.Token).AsTask());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => semaphore.WaitAsync(cancellation.Token).AsTask());

        Assert.Equal(before, State());
    }

    [Fact]
    public void BlockingCollectionMembers_TryRunTimeout_ReturnFalseAndChangeNothing()
    {
        var full = new TBoundedQueue<int>(1);
        full.Enqueue(1);
        var queue = new TQueue<int>();
        var marker = new TVar<int>(0);
        string State() => string.Join("|", string.Join(",", full.ToArray()), queue.Count, marker.Value);
        string before = State();

        bool enqueued = Atomic.TryRun(
            () =>
            {
                marker.Value++;
                full.Enqueue(2);
            },
            TimeSpan.FromMilliseconds(20));
        bool dequeued = Atomic.TryRun(
            () =>
            {
                marker.Value++;
                return queue.Dequeue();
            },
            TimeSpan.FromMilliseconds(20),
            out int item);

        Assert.False(enqueued);
        Assert.False(dequeued);
        Assert.Equal(0, item);
        Assert.Equal(before, State());
    }

    private static void AssertMapNullArguments(IDictionary<string, string> map)
    {
        string State() => Describe(map.ToArray());
        Type type = map.GetType();

        AssertNull("key", State, () => _ = map[null!]);
        AssertNull("key", State, () => map[null!] = "x");
        AssertNull("key", State, () => map.Add(null!, "x"));
        AssertNull("key", State, () => map.Remove(null!));
        AssertNull("key", State, () => map.ContainsKey(null!));
        AssertNull("key", State, () => map.TryGetValue(null!, out _));
        AssertNull("key", State, () => ((IReadOnlyDictionary<string, string>)map).TryGetValue(null!, out _));
        AssertNull("key", State, () => type.GetMethod("TryAdd")!.Invoke(map, [null, "x"]));
        AssertNull("key", State, () => type.GetMethod("TryRemove")!.Invoke(map, [null, null]));
        AssertNull("key", State, () => type.GetMethod("GetOrAdd", [typeof(string), typeof(Func<string, string>)])!.Invoke(map, [null, (Func<string, string>)(static k => k)]));
        AssertNull("valueFactory", State, () => type.GetMethod("GetOrAdd", [typeof(string), typeof(Func<string, string>)])!.Invoke(map, ["n", null]));
        AssertNull("key", State, () => type.GetMethod("AddOrUpdate", [typeof(string), typeof(string), typeof(Func<string, string, string>)])!.Invoke(map, [null, "x", (Func<string, string, string>)(static (_, v) => v)]));
        AssertNull("updateValueFactory", State, () => type.GetMethod("AddOrUpdate", [typeof(string), typeof(string), typeof(Func<string, string, string>)])!.Invoke(map, ["n", "x", null]));
        // As Dictionary<TKey, TValue>: ICollection<KeyValuePair>.Add reports the key's parameter name.
        AssertNull("key", State, () => map.Add(new KeyValuePair<string, string>(null!, "x")));
        AssertNull("item", State, () => map.Contains(new KeyValuePair<string, string>(null!, "x")));
        AssertNull("item", State, () => map.Remove(new KeyValuePair<string, string>(null!, "x")));
    }

    private static string Describe<TKey, TValue>(KeyValuePair<TKey, TValue>[] entries) =>
        string.Join(",", entries.Select(static e => $"{e.Key}={e.Value}").Order(StringComparer.Ordinal));

    private static void AssertNull(string paramName, Func<string> state, Action call)
    {
        string before = state();
        ArgumentNullException exception = Assert.Throws<ArgumentNullException>(() => Unwrap(call));
        Assert.Equal(paramName, exception.ParamName);
        Assert.Equal(before, state());
    }

    private static void AssertOutOfRange(string paramName, Func<string> state, Action call)
    {
        string before = state();
        ArgumentOutOfRangeException exception = Assert.Throws<ArgumentOutOfRangeException>(() => Unwrap(call));
        Assert.Equal(paramName, exception.ParamName);
        Assert.Equal(before, state());
    }

    /// <summary>Runs <paramref name="call"/>, rethrowing the inner exception of a reflection invoke.</summary>
    private static void Unwrap(Action call)
    {
        try
        {
            call();
        }
        catch (System.Reflection.TargetInvocationException ex) when (ex.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(ex.InnerException);
        }
    }
}
