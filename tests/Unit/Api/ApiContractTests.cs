using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using Xunit;

namespace Stm.Tests.Unit.Api;

/// <summary>
/// Guards the core section of docs/reference.md (<see cref="TVar{T}"/> and <see cref="Atomic"/>): every member is
/// bound through a method-group conversion to a delegate of the exact signature written in docs/reference.md, so a
/// rename, removal or signature change breaks the build; each test also calls the member once and
/// checks what it did. Properties and constructors, which cannot be method groups, are checked by
/// reflection (type, accessors, optional parameters, nullability).
/// </summary>
public sealed class ApiContractTests
{
    private delegate bool TryRunFunc<T>(Func<T> body, TimeSpan timeout, [MaybeNullWhen(false)] out T result);

    [Fact]
    public void TVarConstructor_ValueAndOptionalNullableName_MatchesContract()
    {
        ConstructorInfo? constructor = typeof(TVar<int>).GetConstructor([typeof(int), typeof(string)]);

        Assert.NotNull(constructor);
        ParameterInfo name = constructor.GetParameters()[1];
        Assert.Equal("initialValue", constructor.GetParameters()[0].Name);
        Assert.Equal("name", name.Name);
        Assert.True(name.IsOptional);
        Assert.Null(name.DefaultValue);
        Assert.Equal(NullabilityState.Nullable, new NullabilityInfoContext().Create(name).WriteState);
        Assert.Equal(7, new TVar<int>(7).Value);
        Assert.Equal("seven", new TVar<int>(7, "seven").Name);
    }

    [Fact]
    public void TVarName_NullableGetOnly_ReturnsConstructorName()
    {
        PropertyInfo property = typeof(TVar<int>).GetProperty(nameof(TVar<int>.Name))!;
        string? name = new TVar<int>(0, "n").Name;

        Assert.Equal(typeof(string), property.PropertyType);
        Assert.Null(property.SetMethod);
        Assert.Equal(NullabilityState.Nullable, new NullabilityInfoContext().Create(property).ReadState);
        Assert.Equal("n", name);
        Assert.Null(new TVar<int>(0).Name);
    }

    [Fact]
    public void TVarValue_GetAndSetOfT_ReadsInsideAndOutsideWritesOnlyInside()
    {
        var tvar = new TVar<int>(1);
        PropertyInfo property = typeof(TVar<int>).GetProperty(nameof(TVar<int>.Value))!;

        tvar.Write(2);
        int outside = tvar.Value;
        int inside = Atomic.Run(() =>
        {
            tvar.Value = 3;
            return tvar.Value;
        });
        Assert.Throws<InvalidOperationException>(() => tvar.Value = 4);

        Assert.Equal(typeof(int), property.PropertyType);
        Assert.True(property.GetMethod!.IsPublic);
        Assert.True(property.SetMethod!.IsPublic);
        Assert.Equal(2, outside);
        Assert.Equal(3, inside);
        Assert.Equal(3, tvar.Value);
    }

    [Fact]
    public void TVarRead_FuncOfT_ReturnsValue()
    {
        var tvar = new TVar<string>("a");
        Func<string> read = tvar.Read;

        Assert.Equal("a", read());
        Assert.Equal("a", Atomic.Run(read));
    }

    [Fact]
    public void TVarWrite_ActionOfT_WritesValue()
    {
        var tvar = new TVar<string>("a");
        Action<string> write = tvar.Write;

        write("b");

        Assert.Equal("b", tvar.Value);
    }

    [Fact]
    public void TVarModify_FuncOfUpdate_ReturnsNewValue()
    {
        var tvar = new TVar<int>(5);
        Func<Func<int, int>, int> modify = tvar.Modify;

        int result = modify(static v => v * 2);

        Assert.Equal(10, result);
        Assert.Equal(10, tvar.Value);
    }

    [Fact]
    public void TVarSwap_FuncOfT_ReturnsOldValue()
    {
        var tvar = new TVar<int>(5);
        Func<int, int> swap = tvar.Swap;

        Assert.Equal(5, swap(6));
        Assert.Equal(6, tvar.Value);
    }

    [Fact]
    public void TVarCompareAndSwap_ExpectedAndValue_UsesDefaultEquality()
    {
        var tvar = new TVar<string>("x");
        Func<string, string, bool> compareAndSwap = tvar.CompareAndSwap;

        // A different string instance with equal contents: EqualityComparer<string>.Default, not reference equality.
        Assert.True(compareAndSwap(new string(['x']), "y"));
        Assert.False(compareAndSwap("x", "z"));
        Assert.Equal("y", tvar.Value);
    }

    [Fact]
    public void TVarCommute_ActionOfUpdate_AppliesUpdate()
    {
        var tvar = new TVar<int>(1);
        Action<Func<int, int>> commute = tvar.Commute;

        commute(static v => v + 1);
        Atomic.Run(() => commute(static v => v + 10));

        Assert.Equal(12, tvar.Value);
    }

    [Fact]
    public void AtomicRun_Action_CommitsBody()
    {
        var tvar = new TVar<int>(0);
        Action<Action> run = Atomic.Run;

        run(() => tvar.Value = 1);

        Assert.Equal(1, tvar.Value);
    }

    [Fact]
    public void AtomicRun_FuncOfT_ReturnsResult()
    {
        var tvar = new TVar<int>(4);
        Func<Func<int>, int> run = Atomic.Run;

        Assert.Equal(5, run(() => tvar.Value + 1));
    }

    [Fact]
    public void AtomicRun_ActionWithToken_CommitsBody()
    {
        var tvar = new TVar<int>(0);
        Action<Action, CancellationToken> run = Atomic.Run;

        run(() => tvar.Value = 2, CancellationToken.None);

        Assert.Equal(2, tvar.Value);
    }

    [Fact]
    public void AtomicRun_FuncOfTWithToken_ReturnsResult()
    {
        var tvar = new TVar<int>(4);
        Func<Func<int>, CancellationToken, int> run = Atomic.Run;

        Assert.Equal(8, run(() => tvar.Value * 2, CancellationToken.None));
    }

    [Fact]
    public void AtomicTryRun_ActionAndTimeout_ReturnsTrueWhenCommitted()
    {
        var tvar = new TVar<int>(0);
        Func<Action, TimeSpan, bool> tryRun = Atomic.TryRun;

        Assert.True(tryRun(() => tvar.Value = 3, TimeSpan.FromSeconds(10)));
        Assert.Equal(3, tvar.Value);
    }

    [Fact]
    public void AtomicTryRun_FuncWithOutResult_ReturnsResultAndFalseOnTimeout()
    {
        var ready = new TVar<bool>(false);
        TryRunFunc<int> tryRun = Atomic.TryRun;

        bool committed = tryRun(() => 9, TimeSpan.FromSeconds(10), out int result);
        bool timedOut = !tryRun(
            () =>
            {
                Atomic.Check(ready.Value);
                return 1;
            },
            TimeSpan.FromMilliseconds(20),
            out int missing);

        Assert.True(committed);
        Assert.Equal(9, result);
        Assert.True(timedOut);
        Assert.Equal(0, missing);
        MethodInfo method = typeof(Atomic).GetMethods()
            .Single(static m => m.Name == nameof(Atomic.TryRun) && m.IsGenericMethodDefinition);
        ContractAssert.MaybeNullWhenFalse(method, "result");
    }

    [Fact]
    public async Task AtomicRunAsync_ActionWithDefaultToken_CommitsSynchronously()
    {
        var tvar = new TVar<int>(0);
        Func<Action, CancellationToken, ValueTask> runAsync = Atomic.RunAsync;

        ValueTask task = runAsync(() => tvar.Value = 4, default);

        Assert.True(task.IsCompletedSuccessfully);
        await task;
        Assert.Equal(4, tvar.Value);
        ContractAssert.OptionalDefault(typeof(Atomic).GetMethod(nameof(Atomic.RunAsync), [typeof(Action), typeof(CancellationToken)])!, "cancellationToken");
    }

    [Fact]
    public async Task AtomicRunAsync_FuncOfT_ReturnsResultAfterWaiting()
    {
        var ready = new TVar<bool>(false);
        Func<Func<int>, CancellationToken, ValueTask<int>> runAsync = Atomic.RunAsync;

        ValueTask<int> task = runAsync(
            () =>
            {
                Atomic.Check(ready.Value);
                return 11;
            },
            CancellationToken.None);
        ready.Write(true);

        Assert.Equal(11, await task.AsTask().WaitAsync(TimeSpan.FromSeconds(30)));
        MethodInfo method = typeof(Atomic).GetMethods()
            .Single(static m => m.Name == nameof(Atomic.RunAsync) && m.IsGenericMethodDefinition
                && m.GetParameters()[0].ParameterType.GetGenericTypeDefinition() == typeof(Func<>));
        ContractAssert.OptionalDefault(method, "cancellationToken");
    }

    [Fact]
    public void AtomicRetry_Action_MakesOrElseRunSecond()
    {
        var tvar = new TVar<int>(0);
        Action retry = Atomic.Retry;

        int result = Atomic.Run(() => Atomic.OrElse(
            () =>
            {
                _ = tvar.Value;
                retry();
                return 1;
            },
            () => 2));

        Assert.Equal(2, result);
    }

    [Fact]
    public void AtomicCheck_ActionOfBool_PassesWhenTrueAndRetriesWhenFalse()
    {
        var tvar = new TVar<bool>(true);
        Action<bool> check = Atomic.Check;

        int passed = Atomic.Run(() =>
        {
            check(tvar.Value);
            return 1;
        });
        int fellBack = Atomic.Run(() => Atomic.OrElse(
            () =>
            {
                check(!tvar.Value);
                return 1;
            },
            () => 2));

        Assert.Equal(1, passed);
        Assert.Equal(2, fellBack);
    }

    [Fact]
    public void AtomicOrElse_Actions_RollsBackFirstAndRunsSecond()
    {
        var tvar = new TVar<int>(0);
        Action<Action, Action> orElse = Atomic.OrElse;

        Atomic.Run(() => orElse(
            () =>
            {
                tvar.Write(1);
                Atomic.Retry();
            },
            () => tvar.Value += 10));

        Assert.Equal(10, tvar.Value);
    }

    [Fact]
    public void AtomicOrElse_Funcs_ReturnsFirstWhenItDoesNotRetry()
    {
        Func<Func<int>, Func<int>, int> orElse = Atomic.OrElse;

        Assert.Equal(1, Atomic.Run(() => orElse(static () => 1, static () => 2)));
    }

    [Fact]
    public void AtomicInTransaction_StaticBoolGetOnly_TrueOnlyInsideBody()
    {
        PropertyInfo property = typeof(Atomic).GetProperty(nameof(Atomic.InTransaction), BindingFlags.Public | BindingFlags.Static)!;

        Assert.Equal(typeof(bool), property.PropertyType);
        Assert.Null(property.SetMethod);
        Assert.False(Atomic.InTransaction);
        Assert.True(Atomic.Run(static () => Atomic.InTransaction));
    }

    [Fact]
    public void AtomicAfterCommit_ActionOfAction_RunsAfterCommitOutsideTransaction()
    {
        var tvar = new TVar<int>(0);
        Action<Action> afterCommit = Atomic.AfterCommit;
        int seen = -1;
        bool insideHandler = true;

        Atomic.Run(() =>
        {
            tvar.Write(5);
            afterCommit(() =>
            {
                seen = tvar.Value;
                insideHandler = Atomic.InTransaction;
            });
        });

        Assert.Equal(5, seen);
        Assert.False(insideHandler);
    }

    [Fact]
    public void AtomicAfterRollback_ActionOfAction_RunsWhenBodyThrows()
    {
        Action<Action> afterRollback = Atomic.AfterRollback;
        int rolledBack = 0;

        Assert.Throws<InvalidCastException>(() => Atomic.Run(() =>
        {
            afterRollback(() => rolledBack++);
            throw new InvalidCastException();
        }));

        Assert.Equal(1, rolledBack);
    }
}
