using System.Diagnostics;
using System.Reflection;
using Stm.Collections;
using Stm.Internal;
using Xunit;

namespace Stm.Tests.Unit.Collections;

/// <summary>
/// The IDictionary / IReadOnlyDictionary behaviour shared by <see cref="TMap{TKey, TValue}"/> and
/// <see cref="TSortedMap{TKey, TValue}"/>, inside and outside transactions.
/// </summary>
public abstract class MapContractTests
{
    /// <summary>Creates an empty map, with a key comparer that orders or equates like <paramref name="comparer"/>.</summary>
    protected abstract IDictionary<string, int> CreateMap(StringComparer? comparer = null);

    protected abstract int GetOrAdd(IDictionary<string, int> map, string key, Func<string, int> valueFactory);

    protected abstract int AddOrUpdate(IDictionary<string, int> map, string key, int addValue, Func<string, int, int> updateValueFactory);

    protected abstract bool TryAdd(IDictionary<string, int> map, string key, int value);

    protected abstract bool TryRemove(IDictionary<string, int> map, string key, out int value);

    protected abstract Type MapType { get; }

    protected IDictionary<string, int> CreateFilled(int count)
    {
        IDictionary<string, int> map = CreateMap();
        for (int i = 0; i < count; i++)
        {
            map.Add(Key(i), i);
        }

        return map;
    }

    protected static string Key(int i) => "k" + i.ToString("D5", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void Indexer_MissingKey_ThrowsKeyNotFoundInsideAndOutside()
    {
        IDictionary<string, int> map = CreateFilled(3);

        Assert.Throws<KeyNotFoundException>(() => map["absent"]);
        Assert.Throws<KeyNotFoundException>(() => Atomic.Run(() => map["absent"]));
    }

    [Fact]
    public void Indexer_NullKey_ThrowsArgumentNullWithParameterName()
    {
        IDictionary<string, int> map = CreateFilled(3);

        Assert.Equal("key", Assert.Throws<ArgumentNullException>(() => map[null!]).ParamName);
        Assert.Equal("key", Assert.Throws<ArgumentNullException>(() => map[null!] = 1).ParamName);
        Assert.Equal("key", Assert.Throws<ArgumentNullException>(() => map.Add(null!, 1)).ParamName);
        Assert.Equal("key", Assert.Throws<ArgumentNullException>(() => map.ContainsKey(null!)).ParamName);
        Assert.Equal("key", Assert.Throws<ArgumentNullException>(() => map.TryGetValue(null!, out _)).ParamName);
        Assert.Equal("key", Assert.Throws<ArgumentNullException>(() => map.Remove(null!)).ParamName);
        Assert.Equal(3, map.Count);
    }

    [Fact]
    public void Indexer_SetExistingAndNew_OverwritesAndAdds()
    {
        IDictionary<string, int> map = CreateFilled(3);

        map[Key(1)] = 100;
        map["new"] = 7;

        Assert.Equal(100, map[Key(1)]);
        Assert.Equal(7, map["new"]);
        Assert.Equal(4, map.Count);
    }

    [Fact]
    public void Add_DuplicateKey_ThrowsArgumentExceptionAndChangesNothing()
    {
        IDictionary<string, int> map = CreateFilled(3);

        var ex = Assert.Throws<ArgumentException>(() => map.Add(Key(1), 99));

        Assert.Equal("key", ex.ParamName);
        Assert.Equal(1, map[Key(1)]);
        Assert.Equal(3, map.Count);
    }

    [Fact]
    public void Add_DuplicateInsideTransactionCaught_TransactionCommitsOtherWrites()
    {
        IDictionary<string, int> map = CreateFilled(3);

        Atomic.Run(() =>
        {
            map.Add("a", 1);
            Assert.Throws<ArgumentException>(() => map.Add("a", 2));
            map.Add("b", 2);
        });

        Assert.Equal(1, map["a"]);
        Assert.Equal(2, map["b"]);
        Assert.Equal(5, map.Count);
    }

    [Fact]
    public void Remove_PresentAndAbsent_ReturnsWhetherRemoved()
    {
        IDictionary<string, int> map = CreateFilled(3);

        Assert.True(map.Remove(Key(1)));
        Assert.False(map.Remove(Key(1)));
        Assert.False(map.ContainsKey(Key(1)));
        Assert.Equal(2, map.Count);
    }

    [Fact]
    public void TryRemove_Present_ReturnsValue()
    {
        IDictionary<string, int> map = CreateFilled(3);

        Assert.True(TryRemove(map, Key(2), out int value));
        Assert.Equal(2, value);
        Assert.False(TryRemove(map, Key(2), out value));
        Assert.Equal(0, value);
    }

    [Fact]
    public void TryAdd_PresentKey_ReturnsFalseAndKeepsValue()
    {
        IDictionary<string, int> map = CreateFilled(3);

        Assert.False(TryAdd(map, Key(0), 50));
        Assert.True(TryAdd(map, "x", 50));
        Assert.Equal(0, map[Key(0)]);
        Assert.Equal(50, map["x"]);
    }

    [Fact]
    public void CollectionContains_ComparesValue()
    {
        ICollection<KeyValuePair<string, int>> map = CreateFilled(3);

        Assert.Contains(new KeyValuePair<string, int>(Key(1), 1), map);
        Assert.DoesNotContain(new KeyValuePair<string, int>(Key(1), 2), map);
        Assert.DoesNotContain(new KeyValuePair<string, int>("absent", 1), map);
    }

    [Fact]
    public void CollectionRemove_WrongValue_KeepsEntry()
    {
        ICollection<KeyValuePair<string, int>> map = CreateFilled(3);

        Assert.False(map.Remove(new KeyValuePair<string, int>(Key(1), 2)));
        Assert.Equal(3, map.Count);
        Assert.True(map.Remove(new KeyValuePair<string, int>(Key(1), 1)));
        Assert.Equal(2, map.Count);
    }

    [Fact]
    public void CollectionAdd_Duplicate_ThrowsArgumentException()
    {
        ICollection<KeyValuePair<string, int>> map = CreateFilled(3);

        map.Add(new KeyValuePair<string, int>("z", 26));

        Assert.Throws<ArgumentException>(() => map.Add(new KeyValuePair<string, int>("z", 27)));
        Assert.Equal(4, map.Count);
    }

    [Fact]
    public void IsReadOnly_IsFalse()
    {
        Assert.False(CreateMap().IsReadOnly);
    }

    [Fact]
    public void CopyTo_BadArguments_ThrowAndWriteNothing()
    {
        ICollection<KeyValuePair<string, int>> map = CreateFilled(3);
        var array = new KeyValuePair<string, int>[4];

        Assert.Equal("array", Assert.Throws<ArgumentNullException>(() => map.CopyTo(null!, 0)).ParamName);
        Assert.Equal("arrayIndex", Assert.Throws<ArgumentOutOfRangeException>(() => map.CopyTo(array, -1)).ParamName);
        Assert.Equal("arrayIndex", Assert.Throws<ArgumentOutOfRangeException>(() => map.CopyTo(array, 5)).ParamName);
        Assert.Throws<ArgumentException>(() => map.CopyTo(array, 2));
        Assert.All(array, entry => Assert.Null(entry.Key));
    }

    [Fact]
    public void CopyTo_WithOffset_CopiesEveryEntry()
    {
        ICollection<KeyValuePair<string, int>> map = CreateFilled(3);
        var array = new KeyValuePair<string, int>[5];

        map.CopyTo(array, 2);

        Assert.Null(array[0].Key);
        Assert.Equal(map.OrderBy(e => e.Key), array.Skip(2).OrderBy(e => e.Key));
    }

    [Fact]
    public void Count_InsideTransaction_SeesOwnInsertsAndRemovals()
    {
        IDictionary<string, int> map = CreateFilled(3);

        int seen = Atomic.Run(() =>
        {
            map.Add("a", 1);
            map.Add("b", 2);
            map.Remove(Key(0));
            return map.Count;
        });

        Assert.Equal(4, seen);
        Assert.Equal(4, map.Count);
    }

    [Fact]
    public void Clear_RemovesEverythingAndMapIsReusable()
    {
        IDictionary<string, int> map = CreateFilled(100);

        map.Clear();

        Assert.Empty(map);
        Assert.Equal(0, Atomic.Run(() => map.Count));
        Assert.False(map.ContainsKey(Key(5)));
        map.Add(Key(5), 5);
        Assert.Equal(5, map[Key(5)]);
        Assert.Single(map);
    }

    [Fact]
    public void Clear_InsideTransactionThatThrows_RollsBack()
    {
        IDictionary<string, int> map = CreateFilled(10);

        Assert.Throws<InvalidOperationException>(() => Atomic.Run(() =>
        {
            map.Clear();
            throw new InvalidOperationException("boom");
        }));

        Assert.Equal(10, map.Count);
        Assert.Equal(9, map[Key(9)]);
    }

    [Fact]
    public void Run_MapAndTVarWritesThenException_BothRolledBack()
    {
        IDictionary<string, int> map = CreateFilled(3);
        var balance = new TVar<int>(10);
        var boom = new InvalidOperationException("boom");

        var thrown = Assert.Throws<InvalidOperationException>(() => Atomic.Run(() =>
        {
            map["new"] = 1;
            map[Key(0)] = 42;
            map.Remove(Key(1));
            balance.Write(0);
            throw boom;
        }));

        Assert.Same(boom, thrown);
        Assert.Equal(10, balance.Value);
        Assert.False(map.ContainsKey("new"));
        Assert.Equal(0, map[Key(0)]);
        Assert.Equal(1, map[Key(1)]);
        Assert.Equal(3, map.Count);
    }

    [Fact]
    public void Run_MapAndTVarWrites_CommitTogether()
    {
        IDictionary<string, int> map = CreateMap();
        var total = new TVar<int>(0);

        Atomic.Run(() =>
        {
            map["a"] = 5;
            total.Value += 5;
        });

        Assert.Equal(5, map["a"]);
        Assert.Equal(5, total.Value);
    }

    [Fact]
    public void NestedRun_InnerThrows_OnlyInnerMapWritesRolledBack()
    {
        IDictionary<string, int> map = CreateMap();

        Atomic.Run(() =>
        {
            map["outer"] = 1;
            try
            {
                Atomic.Run(() =>
                {
                    map["inner"] = 2;
                    map["outer"] = 3;
                    throw new InvalidOperationException();
                });
            }
            catch (InvalidOperationException)
            {
            }
        });

        Assert.Equal(1, map["outer"]);
        Assert.False(map.ContainsKey("inner"));
        Assert.Equal(1, Atomic.Run(() => map.Count));
    }

    [Fact]
    public void GetOrAdd_AbsentAndPresent_FactoryOnlyForAbsent()
    {
        IDictionary<string, int> map = CreateFilled(3);
        int calls = 0;

        Assert.Equal(1, GetOrAdd(map, Key(1), _ => { calls++; return 99; }));
        Assert.Equal(0, calls);
        Assert.Equal(99, GetOrAdd(map, "n", _ => { calls++; return 99; }));
        Assert.Equal(1, calls);
        Assert.Equal(99, map["n"]);
    }

    [Fact]
    public void GetOrAdd_NullFactory_ThrowsWithParameterNameAndChangesNothing()
    {
        IDictionary<string, int> map = CreateFilled(3);

        Assert.Equal("valueFactory", Assert.Throws<ArgumentNullException>(() => GetOrAdd(map, "n", null!)).ParamName);
        Assert.Equal("updateValueFactory", Assert.Throws<ArgumentNullException>(() => AddOrUpdate(map, "n", 1, null!)).ParamName);
        Assert.Equal("key", Assert.Throws<ArgumentNullException>(() => GetOrAdd(map, null!, _ => 1)).ParamName);
        Assert.Equal(3, map.Count);
    }

    [Fact]
    public void GetOrAdd_FactoryThrows_NothingAdded()
    {
        IDictionary<string, int> map = CreateFilled(3);

        Assert.Throws<FormatException>(() => GetOrAdd(map, "n", _ => throw new FormatException()));

        Assert.False(map.ContainsKey("n"));
        Assert.Equal(3, map.Count);
    }

    [Fact]
    public void GetOrAdd_FactoryReadsTVar_RunsInTheSameTransaction()
    {
        IDictionary<string, int> map = CreateMap();
        var source = new TVar<int>(5);

        int value = Atomic.Run(() =>
        {
            int v = GetOrAdd(map, "a", _ => source.Value * 2);
            source.Write(0);
            return v;
        });

        Assert.Equal(10, value);
        Assert.Equal(10, map["a"]);
        Assert.Equal(0, source.Value);
    }

    [Fact]
    public void AddOrUpdate_AbsentThenPresent_AddsThenUpdates()
    {
        IDictionary<string, int> map = CreateMap();

        Assert.Equal(1, AddOrUpdate(map, "a", 1, (_, old) => old + 10));
        Assert.Equal(11, AddOrUpdate(map, "a", 1, (_, old) => old + 10));
        Assert.Equal(11, map["a"]);
        Assert.Equal(1, Atomic.Run(() => map.Count));
    }

    [Fact]
    public void Comparer_CaseInsensitive_EquatesKeys()
    {
        IDictionary<string, int> map = CreateMap(StringComparer.OrdinalIgnoreCase);

        map["Key"] = 1;
        map["KEY"] = 2;

        Assert.Equal(1, Atomic.Run(() => map.Count));
        Assert.Equal(2, map["key"]);
        Assert.Throws<ArgumentException>(() => map.Add("kEy", 3));
        Assert.Equal("Key", Assert.Single(map.Keys));
    }

    [Fact]
    public void Keys_LiveReadOnlyView_FollowsMapAndRejectsChanges()
    {
        IDictionary<string, int> map = CreateFilled(3);
        ICollection<string> keys = map.Keys;
        ICollection<int> values = map.Values;

        map.Add("x", 10);

        Assert.Equal(4, keys.Count);
        Assert.Contains("x", keys);
        Assert.Contains(10, values);
        Assert.True(keys.IsReadOnly);
        Assert.True(values.IsReadOnly);
        Assert.Throws<NotSupportedException>(() => keys.Add("y"));
        Assert.Throws<NotSupportedException>(() => values.Clear());
        Assert.Equal(new[] { 0, 1, 2, 10 }, values.Order());
        var array = new string[4];
        keys.CopyTo(array, 0);
        Assert.Equal(keys.Order(), array.Order());
    }

    [Fact]
    public void ReadOnlyDictionary_KeysAndValues_MatchEntries()
    {
        var map = (IReadOnlyDictionary<string, int>)CreateFilled(20);

        Assert.Equal(Enumerable.Range(0, 20).Select(Key), map.Keys.Order());
        Assert.Equal(Enumerable.Range(0, 20), map.Values.Order());
        Assert.True(map.TryGetValue(Key(7), out int seven));
        Assert.Equal(7, seven);
    }

    [Fact]
    public void Enumerate_MapChangedDuringEnumeration_YieldsSnapshotWithoutThrowing()
    {
        IDictionary<string, int> map = CreateFilled(50);
        var seen = new List<string>();

        foreach (KeyValuePair<string, int> entry in map)
        {
            seen.Add(entry.Key);
            map.Remove(entry.Key);
            map["added" + entry.Key] = 1;
        }

        Assert.Equal(Enumerable.Range(0, 50).Select(Key), seen.Order());
        Assert.Equal(50, map.Count);
        Assert.All(map.Keys, k => Assert.StartsWith("added", k, StringComparison.Ordinal));
    }

    [Fact]
    public void Enumerate_InsideTransaction_SeesOwnWrites()
    {
        IDictionary<string, int> map = CreateFilled(5);

        List<string> keys = Atomic.Run(() =>
        {
            map.Remove(Key(0));
            map["z"] = 1;
            return map.Select(e => e.Key).ToList();
        });

        Assert.Equal(new[] { Key(1), Key(2), Key(3), Key(4), "z" }, keys.Order());
    }

    [Fact]
    public void ManyKeys_MatchDictionaryModel()
    {
        IDictionary<string, int> map = CreateMap();
        var model = new Dictionary<string, int>();
        var random = new Random(12345);
        for (int i = 0; i < 4000; i++)
        {
            string key = Key(random.Next(1500));
            switch (random.Next(3))
            {
                case 0:
                    map[key] = i;
                    model[key] = i;
                    break;
                case 1:
                    Assert.Equal(model.Remove(key), map.Remove(key));
                    break;
                default:
                    Assert.Equal(model.TryAdd(key, i), TryAdd(map, key, i));
                    break;
            }
        }

        Assert.Equal(model.Count, map.Count);
        Assert.Equal(model.OrderBy(e => e.Key), map.OrderBy(e => e.Key));
        foreach (KeyValuePair<string, int> entry in model)
        {
            Assert.Equal(entry.Value, map[entry.Key]);
        }
    }

    [Fact]
    public async Task Check_OnContainsKey_BlocksUntilAnotherThreadAddsTheKey()
    {
        IDictionary<string, int> map = CreateFilled(3);
        using var parked = new ManualResetEventSlim();
        int attempts = 0;

        Task<int> waiter = Task.Run(() => Atomic.Run(() =>
        {
#pragma warning disable STM0003 // numbers the attempts on purpose, to tell the first run of the body from its re-runs
            if (Interlocked.Increment(ref attempts) == 1)
#pragma warning restore STM0003
            {
                parked.Set();
            }

            Atomic.Check(map.ContainsKey("ready"));
            return map["ready"];
        }));

        Assert.True(parked.Wait(TimeSpan.FromSeconds(10)));
        Assert.False(waiter.IsCompleted);
        map.Add("ready", 5);

        Assert.Equal(5, await waiter.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void Enumerate_WhileWritersTransferBetweenKeys_EverySnapshotConservesTheTotal()
    {
        const int Keys = 64;
        const int Writers = 4;
        const int TransfersPerWriter = 300;
        IDictionary<string, int> map = CreateMap();
        for (int i = 0; i < Keys; i++)
        {
            map[Key(i)] = 100;
        }

        using var start = new Barrier(Writers + 1);
        int running = Writers;
        Thread[] writers = Enumerable.Range(0, Writers).Select(w => new Thread(() =>
        {
            var random = new Random(w);
            start.SignalAndWait();
            for (int i = 0; i < TransfersPerWriter; i++)
            {
                string from = Key(random.Next(Keys));
                string to = Key(random.Next(Keys));
                int amount = random.Next(1, 10);
                Atomic.Run(() =>
                {
                    map[from] -= amount;
                    map[to] += amount;
                });
            }

            Interlocked.Decrement(ref running);
        })).ToArray();
        foreach (Thread writer in writers)
        {
            writer.Start();
        }

        start.SignalAndWait();
        int snapshots = 0;
        do
        {
            Assert.Equal(Keys * 100, map.Sum(e => e.Value));
            Assert.Equal(Keys * 100, Atomic.Run(() => map.Values.Sum()));
            Assert.Equal(Keys, map.Count);
            snapshots++;
        }
        while (Volatile.Read(ref running) > 0);

        foreach (Thread writer in writers)
        {
            Assert.True(writer.Join(TimeSpan.FromSeconds(30)));
        }

        Assert.True(snapshots > 0);
        Assert.Equal(Keys * 100, map.Values.Sum());
    }

    [Fact]
    public void Enumerator_WriterCommitsBeforeFirstMoveNext_YieldsStateAtGetEnumerator()
    {
        IDictionary<string, int> map = CreateFilled(10);
        using var go = new ManualResetEventSlim();
        using var done = new ManualResetEventSlim();
        var writer = new Thread(() =>
        {
            go.Wait();
            Atomic.Run(() =>
            {
                map.Clear();
                map["other"] = 1;
            });
            done.Set();
        });
        writer.Start();

        using IEnumerator<KeyValuePair<string, int>> enumerator = map.GetEnumerator();
        go.Set();
        Assert.True(done.Wait(TimeSpan.FromSeconds(10)));
        var seen = new List<KeyValuePair<string, int>>();
        while (enumerator.MoveNext())
        {
            seen.Add(enumerator.Current);
        }

        Assert.True(writer.Join(TimeSpan.FromSeconds(10)));
        Assert.Equal(Enumerable.Range(0, 10).Select(i => KeyValuePair.Create(Key(i), i)), seen.OrderBy(e => e.Key));
        Assert.Equal(new[] { "other" }, map.Keys);
    }

    [Fact]
    public void ReadOnlyTransaction_WriterCommitsBetweenTwoEnumerations_BothSeeTheSameSnapshot()
    {
        IDictionary<string, int> map = CreateFilled(10);
        using var go = new ManualResetEventSlim();
        using var done = new ManualResetEventSlim();
        var writer = new Thread(() =>
        {
            go.Wait();
            map[Key(3)] = 300;
            map.Remove(Key(4));
            map["late"] = 7;
            done.Set();
        });
        writer.Start();

        (List<KeyValuePair<string, int>> First, List<KeyValuePair<string, int>> Second, int Count, bool WriterDone) seen = Atomic.Run(() =>
        {
            List<KeyValuePair<string, int>> first = [.. map.OrderBy(e => e.Key)];
            go.Set();
            bool writerDone = done.Wait(TimeSpan.FromSeconds(10));
            List<KeyValuePair<string, int>> second = [.. map.OrderBy(e => e.Key)];
            return (first, second, map.Count, writerDone);
        });

        Assert.True(writer.Join(TimeSpan.FromSeconds(10)));
        Assert.True(seen.WriterDone);
        Assert.Equal(seen.First, seen.Second);
        Assert.Equal(10, seen.Count);
        Assert.Equal(3, seen.Second.Single(e => e.Key == Key(3)).Value);
        Assert.Equal(300, map[Key(3)]);
        Assert.False(map.ContainsKey(Key(4)));
    }

    [Fact]
    public void DebuggerDisplay_ShowsCountWithoutStartingATransaction()
    {
        IDictionary<string, int> map = CreateFilled(7);
        var display = MapType.GetCustomAttribute<DebuggerDisplayAttribute>();
        PropertyInfo property = map.GetType().GetProperty("DebuggerDisplay", BindingFlags.NonPublic | BindingFlags.Instance)!;
        long attemptsBefore = TransactionStatistics.Attempts;

        object? shown = property.GetValue(map);

        Assert.Equal(attemptsBefore, TransactionStatistics.Attempts);
        Assert.Equal("{DebuggerDisplay,nq}", display!.Value);
        Assert.Equal("Count = 7", shown);
    }

    [Fact]
    public void DebuggerTypeProxy_Items_ReadsEntriesWithoutStartingATransaction()
    {
        IDictionary<string, int> map = CreateFilled(40);
        var proxyAttribute = MapType.GetCustomAttribute<DebuggerTypeProxyAttribute>();
        Assert.NotNull(proxyAttribute);
        Type proxyType = Type.GetType(proxyAttribute.ProxyTypeName)!.MakeGenericType(typeof(string), typeof(int));
        object proxy = Activator.CreateInstance(proxyType, map)!;
        PropertyInfo items = proxyType.GetProperty("Items")!;
        long attemptsBefore = TransactionStatistics.Attempts;

        var entries = (KeyValuePair<string, int>[])items.GetValue(proxy)!;

        Assert.Equal(attemptsBefore, TransactionStatistics.Attempts);
        Assert.Equal(map.OrderBy(e => e.Key), entries.OrderBy(e => e.Key));
        var browsable = items.GetCustomAttribute<DebuggerBrowsableAttribute>();
        Assert.Equal(DebuggerBrowsableState.RootHidden, browsable!.State);
    }
}
