using System.Diagnostics;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using Stm.Collections;
using Stm.Internal;
using Xunit;

namespace Stm.Tests.Unit.Api;

/// <summary>
/// <see cref="DebuggerDisplayAttribute"/> on TVar and every collection, evaluated the way a debugger does
/// (by reflection on the members the attribute names, and by reading every property of the
/// <see cref="DebuggerTypeProxyAttribute"/> view). The evaluation must show the state, must never start
/// a transaction (the thread's attempt counter does not move), and must not join the transaction the
/// debugger stopped in (a concurrent commit to what it showed must not make that transaction re-run).
/// </summary>
public sealed class DebuggerViewTests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(30);

    public static TheoryData<string> Cases => new(CaseNames);

    private static string[] CaseNames =>
    [
        "TVar", "TMap", "TSet", "TSortedMap", "TQueue", "TBoundedQueue", "TChannel", "TChannelReader",
        "TArray", "TCounter", "TMVar", "TSemaphore",
    ];

    [Fact]
    public void DebuggerDisplay_TVarAndEveryCollectionType_IsPresent()
    {
        Type[] types =
        [
            typeof(TVar<>), typeof(TMap<,>), typeof(TSet<>), typeof(TSortedMap<,>), typeof(TQueue<>), typeof(TBoundedQueue<>),
            typeof(TChannel<>), typeof(TChannelReader<>), typeof(TArray<>), typeof(TCounter), typeof(TMVar<>), typeof(TSemaphore),
        ];

        Assert.All(types, static type => Assert.NotNull(type.GetCustomAttribute<DebuggerDisplayAttribute>()));
        Assert.Equal(CaseNames.Length, types.Length);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void DebuggerView_OutsideTransaction_ShowsStateWithoutStartingTransaction(string name)
    {
        Case subject = Create(name);
        long attempts = TransactionStatistics.Attempts;
        long commits = TransactionStatistics.Commits;

        string display = Display(subject.Target);
        int? items = ProxyItemCount(subject.Target);

        Assert.Equal(attempts, TransactionStatistics.Attempts);
        Assert.Equal(commits, TransactionStatistics.Commits);
        Assert.Contains(subject.ExpectedDisplay, display, StringComparison.Ordinal);
        Assert.Equal(subject.ExpectedItems, items);
        AssertAttemptCounterMoves();
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void DebuggerView_InAfterCommitHandler_ShowsCommittedStateWithoutStartingTransaction(string name)
    {
        Case subject = Create(name);
        var marker = new TVar<int>(0);
        string? display = null;
        int? items = null;
        long attemptsDuringHandler = -1;

        Atomic.Run(() =>
        {
            marker.Value++;
            Atomic.AfterCommit(() =>
            {
                long before = TransactionStatistics.Attempts;
                display = Display(subject.Target);
                items = ProxyItemCount(subject.Target);
                attemptsDuringHandler = TransactionStatistics.Attempts - before;
            });
        });

        Assert.Equal(0, attemptsDuringHandler);
        AssertAttemptCounterMoves();
        Assert.NotNull(display);
        Assert.Contains(subject.ExpectedDisplay, display, StringComparison.Ordinal);
        Assert.Equal(subject.ExpectedItems, items);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void DebuggerView_InsideTransaction_DoesNotJoinIt(string name)
    {
        Case subject = Create(name);
        var marker = new TVar<int>(0);
        int runs = 0;
        long attemptsDuringEvaluation = -1;

        Atomic.Run(() =>
        {
            runs++;
            long before = TransactionStatistics.Attempts;
            _ = Display(subject.Target);
            _ = ProxyItemCount(subject.Target);
            attemptsDuringEvaluation = TransactionStatistics.Attempts - before;
            if (runs == 1)
            {
                // A commit on another thread changes exactly what the view showed. Had the evaluation
                // read it transactionally, this transaction would fail validation and run again.
#pragma warning disable STM0004 // a commit from another thread while this body runs is the point of the test
                Assert.True(Task.Run(subject.Mutate).Wait(s_wait), $"{name}: the concurrent change did not finish.");
#pragma warning restore STM0004
            }

            marker.Value++;
        });

        Assert.Equal(0, attemptsDuringEvaluation);
        Assert.True(runs == 1, $"{name}: evaluating the debugger view inside a transaction joined it (the body ran {runs} times).");
    }

    /// <summary>Positive control: one transaction on this thread moves the attempt counter, so "did not move" means something.</summary>
    private static void AssertAttemptCounterMoves()
    {
        var probe = new TVar<int>(0);
        long before = TransactionStatistics.Attempts;
        Atomic.Run(() => probe.Value++);
        Assert.Equal(before + 1, TransactionStatistics.Attempts);
    }

    private static Case Create(string name)
    {
        switch (name)
        {
            case "TVar":
                var tvar = new TVar<int>(3, "t");
                return new Case(tvar, "TVar t = 3", null, () => tvar.Write(4));
            case "TMap":
                var map = new TMap<string, int> { ["a"] = 1, ["b"] = 2 };
                return new Case(map, "Count = 2", 2, () => map.Remove("a"));
            case "TSet":
                var set = new TSet<int> { 1, 2 };
                return new Case(set, "Count = 2", 2, () => set.Remove(1));
            case "TSortedMap":
                var sorted = new TSortedMap<int, int> { [1] = 1, [2] = 2 };
                return new Case(sorted, "Count = 2", 2, () => sorted.Remove(1));
            case "TQueue":
                var queue = new TQueue<int>([1, 2]);
                return new Case(queue, "Count = 2", 2, () => queue.Dequeue());
            case "TBoundedQueue":
                var bounded = new TBoundedQueue<int>(4);
                bounded.Enqueue(1);
                bounded.Enqueue(2);
                return new Case(bounded, "Count = 2, Capacity = 4", 2, () => bounded.Dequeue());
            case "TChannel":
                var channel = new TChannel<int>();
                _ = channel.Subscribe();
                channel.Write(1);
                channel.Write(2);
                return new Case(channel, "Written = 2", null, () => channel.Write(3));
            case "TChannelReader":
                var source = new TChannel<int>();
                TChannelReader<int> reader = source.Subscribe();
                source.Write(1);
                source.Write(2);
                return new Case(reader, "Unread = 2", 2, () => reader.Read());
            case "TArray":
                var array = new TArray<int>([1, 2, 3]);
                return new Case(array, "Length = 3", 3, () => array[0] = 9);
            case "TCounter":
                var counter = new TCounter(5);
                return new Case(counter, "Value = 5", null, counter.Increment);
            case "TMVar":
                var box = new TMVar<string>("x");
                return new Case(box, "Full: x", null, () => box.Take());
            case "TSemaphore":
                var semaphore = new TSemaphore(2);
                return new Case(semaphore, "CurrentCount = 2", null, semaphore.Wait);
            default:
                throw new ArgumentOutOfRangeException(nameof(name), name, "Unknown case.");
        }
    }

    /// <summary>Formats the <see cref="DebuggerDisplayAttribute"/> of <paramref name="target"/> as a debugger would.</summary>
    private static string Display(object target)
    {
        DebuggerDisplayAttribute attribute = target.GetType().GetCustomAttribute<DebuggerDisplayAttribute>()!;
        var text = new StringBuilder();
        int last = 0;
        foreach (Match match in Regex.Matches(attribute.Value, @"\{([^}]+)\}"))
        {
            text.Append(attribute.Value, last, match.Index - last);
            string member = match.Groups[1].Value.Split(',')[0].Trim();
            text.Append(Evaluate(target, member));
            last = match.Index + match.Length;
        }

        text.Append(attribute.Value, last, attribute.Value.Length - last);
        return text.ToString();
    }

    private static object? Evaluate(object target, string member)
    {
        const BindingFlags flags = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;
        Type type = target.GetType();
        if (type.GetProperty(member, flags) is { } property)
        {
            return property.GetValue(target);
        }

        FieldInfo? field = type.GetField(member, flags);
        Assert.True(field is not null, $"{type.Name}'s DebuggerDisplay names '{member}', which is not a property or field.");
        return field.GetValue(target);
    }

    /// <summary>
    /// Builds the <see cref="DebuggerTypeProxyAttribute"/> view, reads every public property, and returns
    /// the length of its items array; null when the type has no proxy.
    /// </summary>
    private static int? ProxyItemCount(object target)
    {
        Type type = target.GetType();
        DebuggerTypeProxyAttribute? attribute = type.GetCustomAttribute<DebuggerTypeProxyAttribute>();
        if (attribute is null)
        {
            return null;
        }

        Type proxy = Type.GetType(attribute.ProxyTypeName, throwOnError: true)!;
        if (proxy.IsGenericTypeDefinition)
        {
            proxy = proxy.MakeGenericType(type.GetGenericArguments());
        }

        object view = Activator.CreateInstance(proxy, target)!;
        int? count = null;
        foreach (PropertyInfo property in proxy.GetProperties(BindingFlags.Instance | BindingFlags.Public))
        {
            if (property.GetValue(view) is Array items)
            {
                count = items.Length;
            }
        }

        Assert.True(count is not null, $"{proxy.Name} shows no items array.");
        return count;
    }

    private sealed record Case(object Target, string ExpectedDisplay, int? ExpectedItems, Action Mutate);
}
