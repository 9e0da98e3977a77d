using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using Stm.Collections;
using Xunit;

namespace Stm.Tests.Unit.Api;

/// <summary>
/// Guards the collections section of docs/reference.md: every listed member is bound through a method-group
/// conversion to a delegate of exactly the written signature (so a rename, removal or signature change
/// breaks the build), the listed interfaces are implemented, and each member is called once with its
/// result checked. Constructors, properties and indexers are checked by reflection.
/// </summary>
public sealed class CollectionApiContractTests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(30);

    private delegate bool TryOut<T>([MaybeNullWhen(false)] out T item);

    private delegate bool KeyTryOut<TKey, TValue>(TKey key, [MaybeNullWhen(false)] out TValue value);

    private delegate bool KeyValueOut<TKey, TValue>(out TKey key, out TValue value);

    [Fact]
    public void TMap_ConstructorsAndInterfaces_MatchContract()
    {
        var map = new TMap<string, int>();
        var ignoreCase = new TMap<string, int>(StringComparer.OrdinalIgnoreCase);
        ConstructorInfo withComparer = ContractAssert.Constructor(typeof(TMap<string, int>), typeof(IEqualityComparer<string>));

        ignoreCase.Add("A", 1);

        Assert.IsAssignableFrom<IDictionary<string, int>>(map);
        Assert.IsAssignableFrom<IReadOnlyDictionary<string, int>>(map);
        Assert.True(ignoreCase.ContainsKey("a"));
        Assert.Empty(map);
        ContractAssert.NullableParameter(withComparer, "comparer");
        ContractAssert.NotNullConstraint(typeof(TMap<,>), 0);
        Assert.False(ContractAssert.HasNotNullConstraint(typeof(TMap<,>).GetGenericArguments()[1]), "TValue is unconstrained.");
        Assert.Empty(new TMap<string, int>((IEqualityComparer<string>?)null));
    }

    [Fact]
    public void TMap_TryAdd_AddsOnlyAbsentKey()
    {
        var map = new TMap<string, int>();
        Func<string, int, bool> tryAdd = map.TryAdd;

        Assert.True(tryAdd("a", 1));
        Assert.False(tryAdd("a", 2));
        Assert.Equal(1, map["a"]);
    }

    [Fact]
    public void TMap_TryRemove_ReturnsRemovedValue()
    {
        var map = new TMap<string, int> { ["a"] = 1 };
        KeyTryOut<string, int> tryRemove = map.TryRemove;

        Assert.True(tryRemove("a", out int removed));
        Assert.False(tryRemove("a", out int missing));
        Assert.Equal(1, removed);
        Assert.Equal(0, missing);
        ContractAssert.MaybeNullWhenFalse(typeof(TMap<string, int>).GetMethod(nameof(TMap<string, int>.TryRemove))!, "value");
    }

    [Fact]
    public void TMap_GetOrAdd_CallsFactoryOnlyForAbsentKey()
    {
        var map = new TMap<string, int>();
        Func<string, Func<string, int>, int> getOrAdd = map.GetOrAdd;

        Assert.Equal(1, getOrAdd("a", static key => key.Length));
        Assert.Equal(1, getOrAdd("a", static _ => 99));
        Assert.Single(map);
    }

    [Fact]
    public void TMap_AddOrUpdate_AddsThenUpdates()
    {
        var map = new TMap<string, int>();
        Func<string, int, Func<string, int, int>, int> addOrUpdate = map.AddOrUpdate;

        Assert.Equal(1, addOrUpdate("a", 1, static (_, old) => old + 10));
        Assert.Equal(11, addOrUpdate("a", 1, static (_, old) => old + 10));
        Assert.Equal(11, map["a"]);
    }

    [Fact]
    public void TMap_DictionaryMembers_BehaveAsDictionary()
    {
        var map = new TMap<string, int>();
        AssertBehavesAsDictionary(map, map);
    }

    [Fact]
    public void TSortedMap_DictionaryMembers_BehaveAsDictionary()
    {
        var map = new TSortedMap<string, int>();
        AssertBehavesAsDictionary(map, map);
    }

    private static void AssertBehavesAsDictionary(IDictionary<string, int> map, IReadOnlyDictionary<string, int> readOnly)
    {

        map.Add("a", 1);
        map["b"] = 2;
        bool found = map.TryGetValue("b", out int b);

        Assert.Throws<ArgumentException>(() => map.Add("a", 5));
        Assert.Equal(1, map["a"]);
        Assert.True(found);
        Assert.Equal(2, b);
        Assert.True(map.ContainsKey("a"));
        Assert.True(readOnly.ContainsKey("b"));
        Assert.Equal(2, map.Count);
        Assert.Equal(2, readOnly.Count);
        Assert.Equal(["a", "b"], map.Keys.Order());
        Assert.Equal([1, 2], map.Values.Order());
        Assert.Equal(["a", "b"], readOnly.Keys.Order());
        Assert.Equal([new KeyValuePair<string, int>("a", 1), new KeyValuePair<string, int>("b", 2)], map.OrderBy(static p => p.Key));
        Assert.True(map.Remove("a"));
        Assert.False(map.Remove("a"));
        Assert.Throws<KeyNotFoundException>(() => map["a"]);
        map.Clear();
        Assert.Empty(map);
    }

    [Fact]
    public void TSet_ConstructorsAndInterfaces_MatchContract()
    {
        var set = new TSet<string>(StringComparer.OrdinalIgnoreCase);
        ConstructorInfo withComparer = ContractAssert.Constructor(typeof(TSet<string>), typeof(IEqualityComparer<string>));
        Func<string, bool> add = set.Add;
        Func<string, bool> remove = set.Remove;
        Func<string, bool> contains = set.Contains;

        Assert.True(add("A"));
        Assert.False(add("a"));
        Assert.True(contains("a"));
        int count = set.Count;
        Assert.Single(set);
        Assert.Equal(1, count);
        Assert.True(remove("a"));
        Assert.Empty(set);
        Assert.IsAssignableFrom<ISet<string>>(set);
        Assert.IsAssignableFrom<IReadOnlySet<string>>(set);
        Assert.Empty(new TSet<int>());
        ContractAssert.NullableParameter(withComparer, "comparer");
    }

    [Fact]
    public void TSortedMap_ConstructorsAndInterfaces_MatchContract()
    {
        var descending = new TSortedMap<int, string>(Comparer<int>.Create(static (x, y) => y.CompareTo(x)));
        ConstructorInfo withComparer = ContractAssert.Constructor(typeof(TSortedMap<int, string>), typeof(IComparer<int>));

        descending[1] = "one";
        descending[3] = "three";
        descending[2] = "two";

        Assert.IsAssignableFrom<IDictionary<int, string>>(descending);
        Assert.IsAssignableFrom<IReadOnlyDictionary<int, string>>(descending);
        Assert.Equal([3, 2, 1], descending.Select(static p => p.Key));
        Assert.Empty(new TSortedMap<int, string>());
        ContractAssert.NullableParameter(withComparer, "comparer");
        ContractAssert.NotNullConstraint(typeof(TSortedMap<,>), 0);
        Assert.False(ContractAssert.HasNotNullConstraint(typeof(TSortedMap<,>).GetGenericArguments()[1]), "TValue is unconstrained.");
    }

    [Fact]
    public void TSortedMap_TryGetMinAndMax_ReturnExtremes()
    {
        var map = new TSortedMap<int, string> { [5] = "five", [1] = "one", [9] = "nine" };
        var empty = new TSortedMap<int, string>();
        KeyValueOut<int, string> tryGetMin = map.TryGetMin;
        KeyValueOut<int, string> tryGetMax = map.TryGetMax;
        KeyValueOut<int, string> emptyMin = empty.TryGetMin;

        Assert.True(tryGetMin(out int minKey, out string minValue));
        Assert.True(tryGetMax(out int maxKey, out string maxValue));
        Assert.False(emptyMin(out _, out _));
        Assert.Equal((1, "one"), (minKey, minValue));
        Assert.Equal((9, "nine"), (maxKey, maxValue));
    }

    [Fact]
    public void TSortedMap_Range_YieldsHalfOpenRangeInKeyOrder()
    {
        var map = new TSortedMap<int, string>();
        foreach (int key in new[] { 7, 3, 5, 1, 9 })
        {
            map.Add(key, key.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        Func<int, int, IEnumerable<KeyValuePair<int, string>>> range = map.Range;

        Assert.Equal([3, 5, 7], range(2, 9).Select(static p => p.Key));
        Assert.Equal([1, 3, 5, 7, 9], map.Keys);
    }

    [Fact]
    public async Task TQueue_Members_MatchContract()
    {
        var queue = new TQueue<string>();
        Action<string> enqueue = queue.Enqueue;
        Func<string> dequeue = queue.Dequeue;
        TryOut<string> tryDequeue = queue.TryDequeue;
        TryOut<string> tryPeek = queue.TryPeek;
        Func<CancellationToken, ValueTask<string>> dequeueAsync = queue.DequeueAsync;
        ContractAssert.Property(typeof(TQueue<string>), nameof(TQueue<string>.IsEmpty), typeof(bool), settable: false);

        Assert.True(queue.IsEmpty);
        Assert.False(tryPeek(out _));
        enqueue("a");
        enqueue("b");
        enqueue("c");
        Assert.True(tryPeek(out string? peeked));
        Assert.Equal("a", peeked);
        Assert.Equal(3, queue.Count);
        Assert.Equal("a", dequeue());
        Assert.True(tryDequeue(out string? second));
        Assert.Equal("b", second);
        Assert.Equal("c", await dequeueAsync(CancellationToken.None).AsTask().WaitAsync(s_wait));
        Assert.False(tryDequeue(out _));
        Assert.True(queue.IsEmpty);
        Assert.IsAssignableFrom<IReadOnlyCollection<string>>(queue);
        ContractAssert.MaybeNullWhenFalse(typeof(TQueue<string>).GetMethod(nameof(TQueue<string>.TryDequeue), [typeof(string).MakeByRefType()])!, "item");
        ContractAssert.MaybeNullWhenFalse(typeof(TQueue<string>).GetMethod(nameof(TQueue<string>.TryPeek))!, "item");
        ContractAssert.OptionalDefault(typeof(TQueue<string>).GetMethod(nameof(TQueue<string>.DequeueAsync))!, "cancellationToken");
    }

    [Fact]
    public async Task TBoundedQueue_Members_MatchContract()
    {
        var queue = new TBoundedQueue<string>(2);
        Action<string> enqueue = queue.Enqueue;
        Func<string, bool> tryEnqueue = queue.TryEnqueue;
        Func<string> dequeue = queue.Dequeue;
        TryOut<string> tryDequeue = queue.TryDequeue;
        TryOut<string> tryPeek = queue.TryPeek;
        Func<string, CancellationToken, ValueTask> enqueueAsync = queue.EnqueueAsync;
        Func<CancellationToken, ValueTask<string>> dequeueAsync = queue.DequeueAsync;
        ContractAssert.Property(typeof(TBoundedQueue<string>), nameof(TBoundedQueue<string>.Capacity), typeof(int), settable: false);
        ContractAssert.Property(typeof(TBoundedQueue<string>), nameof(TBoundedQueue<string>.IsEmpty), typeof(bool), settable: false);

        Assert.Equal(2, queue.Capacity);
        Assert.True(queue.IsEmpty);
        enqueue("a");
        Assert.True(tryEnqueue("b"));
        Assert.False(tryEnqueue("c"));
        Assert.True(tryPeek(out string? peeked));
        Assert.Equal("a", peeked);
        Assert.Equal("a", dequeue());
        await enqueueAsync("c", CancellationToken.None).AsTask().WaitAsync(s_wait);
        Assert.True(tryDequeue(out string? second));
        Assert.Equal("b", second);
        Assert.Equal("c", await dequeueAsync(CancellationToken.None).AsTask().WaitAsync(s_wait));
        Assert.False(tryDequeue(out _));
        Assert.False(tryPeek(out _));
        Assert.IsAssignableFrom<IReadOnlyCollection<string>>(queue);
        ContractAssert.MaybeNullWhenFalse(typeof(TBoundedQueue<string>).GetMethod(nameof(TBoundedQueue<string>.TryDequeue), [typeof(string).MakeByRefType()])!, "item");
        ContractAssert.MaybeNullWhenFalse(typeof(TBoundedQueue<string>).GetMethod(nameof(TBoundedQueue<string>.TryPeek))!, "item");
        ContractAssert.OptionalDefault(typeof(TBoundedQueue<string>).GetMethod(nameof(TBoundedQueue<string>.EnqueueAsync))!, "cancellationToken");
        ContractAssert.OptionalDefault(typeof(TBoundedQueue<string>).GetMethod(nameof(TBoundedQueue<string>.DequeueAsync))!, "cancellationToken");
    }

    [Fact]
    public async Task TChannel_WriteSubscribeAndReaderMembers_MatchContract()
    {
        var channel = new TChannel<string>();
        Action<string> write = channel.Write;
        Func<TChannelReader<string>> subscribe = channel.Subscribe;

        write("before");
        TChannelReader<string> first = subscribe();
        TChannelReader<string> second = subscribe();
        Func<string> read = first.Read;
        TryOut<string> tryRead = first.TryRead;
        Func<CancellationToken, ValueTask<string>> readAsync = first.ReadAsync;
        write("x");
        write("y");
        write("z");

        Assert.Equal("x", read());
        Assert.True(tryRead(out string? y));
        Assert.Equal("y", y);
        Assert.Equal("z", await readAsync(CancellationToken.None).AsTask().WaitAsync(s_wait));
        Assert.False(tryRead(out _));
        Assert.Equal("x", second.Read());
        ContractAssert.MaybeNullWhenFalse(typeof(TChannelReader<string>).GetMethod(nameof(TChannelReader<string>.TryRead), [typeof(string).MakeByRefType()])!, "item");
        ContractAssert.OptionalDefault(typeof(TChannelReader<string>).GetMethod(nameof(TChannelReader<string>.ReadAsync))!, "cancellationToken");
    }

    [Fact]
    public void TArray_Members_MatchContract()
    {
        var sized = new TArray<int>(3);
        var filled = new TArray<int>(new List<int> { 4, 5 });
        ContractAssert.Constructor(typeof(TArray<int>), typeof(int));
        ContractAssert.Constructor(typeof(TArray<int>), typeof(IEnumerable<int>));
        ContractAssert.Property(typeof(TArray<int>), nameof(TArray<int>.Length), typeof(int), settable: false);
        PropertyInfo? indexer = typeof(TArray<int>).GetProperty("Item", typeof(int), [typeof(int)]);

        sized[1] = 7;

        Assert.NotNull(indexer);
        Assert.True(indexer.GetMethod is { IsPublic: true } && indexer.SetMethod is { IsPublic: true });
        Assert.Equal(3, sized.Length);
        Assert.Equal([0, 7, 0], sized);
        Assert.Equal(5, filled[1]);
        Assert.Equal(2, filled.Length);
        Assert.IsAssignableFrom<IReadOnlyList<int>>(filled);
    }

    [Fact]
    public void TCounter_Members_MatchContract()
    {
        var counter = new TCounter();
        var seeded = new TCounter(40);
        Action<long> add = counter.Add;
        Action increment = counter.Increment;
        Action decrement = counter.Decrement;
        ContractAssert.OptionalDefault(ContractAssert.Constructor(typeof(TCounter), typeof(long)), "initialValue", 0L);
        ContractAssert.Property(typeof(TCounter), nameof(TCounter.Value), typeof(long), settable: false);

        add(10);
        increment();
        increment();
        decrement();

        Assert.Equal(11, counter.Value);
        Assert.Equal(40, seeded.Value);
    }

    [Fact]
    public void TMVar_Members_MatchContract()
    {
        var box = new TMVar<string>();
        var full = new TMVar<string>("full");
        Func<string> take = box.Take;
        Action<string> put = box.Put;
        TryOut<string> tryTake = box.TryTake;
        Func<string, bool> tryPut = box.TryPut;
        Func<string> read = box.Read;
        ContractAssert.Property(typeof(TMVar<string>), nameof(TMVar<string>.IsEmpty), typeof(bool), settable: false);

        Assert.True(box.IsEmpty);
        Assert.False(full.IsEmpty);
        Assert.False(tryTake(out _));
        put("a");
        Assert.False(tryPut("b"));
        Assert.Equal("a", read());
        Assert.False(box.IsEmpty);
        Assert.Equal("a", take());
        Assert.True(tryPut("c"));
        Assert.True(tryTake(out string? c));
        Assert.Equal("c", c);
        Assert.True(box.IsEmpty);
        Assert.Equal("full", full.Take());
        ContractAssert.MaybeNullWhenFalse(typeof(TMVar<string>).GetMethod(nameof(TMVar<string>.TryTake), [typeof(string).MakeByRefType()])!, "value");
    }

    [Fact]
    public void TSemaphore_Members_MatchContract()
    {
        var semaphore = new TSemaphore(1);
        Action wait = semaphore.Wait;
        Func<bool> tryWait = semaphore.TryWait;
        Action<int> release = semaphore.Release;
        ContractAssert.OptionalDefault(typeof(TSemaphore).GetMethod(nameof(TSemaphore.Release))!, "count", 1);
        ContractAssert.Property(typeof(TSemaphore), nameof(TSemaphore.CurrentCount), typeof(int), settable: false);

        wait();
        Assert.False(tryWait());
        release(3);
        Assert.Equal(3, semaphore.CurrentCount);
        Assert.True(tryWait());
        semaphore.Release();
        Assert.Equal(3, semaphore.CurrentCount);
    }
}
