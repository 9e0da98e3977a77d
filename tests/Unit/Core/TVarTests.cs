using System.Diagnostics;
using System.Reflection;
using Xunit;

namespace Stm.Tests.Unit.Core;

public sealed class TVarTests
{
    [Fact]
    public void Constructor_InitialValue_IsReadBackOutsideAndInsideTransactions()
    {
        var tvar = new TVar<int>(42);

        Assert.Equal(42, tvar.Value);
        Assert.Equal(42, tvar.Read());
        Assert.Equal(42, Atomic.Run(() => tvar.Value));
        Assert.Equal(42, Atomic.Run(tvar.Read));
    }

    [Fact]
    public void Constructor_WithName_ExposesName()
    {
        Assert.Equal("balance", new TVar<int>(0, "balance").Name);
    }

    [Fact]
    public void Constructor_WithoutName_NameIsNull()
    {
        Assert.Null(new TVar<int>(0).Name);
    }

    [Fact]
    public void Constructor_NullInitialValue_IsAllowed()
    {
        var tvar = new TVar<string?>(null);

        Assert.Null(tvar.Value);
        Assert.Null(Atomic.Run(() => tvar.Value));
    }

    [Fact]
    public void ValueSetter_OutsideTransaction_ThrowsNamingTheFixesAndWritesNothing()
    {
        var tvar = new TVar<int>(1, "counter");

        var error = Assert.Throws<InvalidOperationException>(() => tvar.Value = 2);

        Assert.Equal(1, tvar.Value);
        Assert.Contains("'counter'", error.Message, StringComparison.Ordinal);
        Assert.Contains("Atomic.Run(() => x.Value++)", error.Message, StringComparison.Ordinal);
        Assert.Contains("x.Modify(", error.Message, StringComparison.Ordinal);
        Assert.Contains("x.Write(value)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ValueIncrement_OutsideTransaction_ThrowsInsteadOfLosingUpdates()
    {
        var tvar = new TVar<int>(5);

        Assert.Throws<InvalidOperationException>(() => tvar.Value++);
        Assert.Throws<InvalidOperationException>(() => tvar.Value += 3);

        Assert.Equal(5, tvar.Value);
        Atomic.Run(() => tvar.Value++);
        Assert.Equal(6, tvar.Value);
    }

    [Fact]
    public void ValueSetter_InAnAfterCommitHandler_ThrowsBecauseTheHandlerRunsOutsideTheTransaction()
    {
        var tvar = new TVar<int>(0);
        Exception? error = null;

        Atomic.Run(() =>
        {
            tvar.Value = 1;
            Atomic.AfterCommit(() => error = Record.Exception(() => tvar.Value = 2));
        });

        Assert.IsType<InvalidOperationException>(error);
        Assert.Equal(1, tvar.Value);
    }

    [Fact]
    public void Write_OutsideTransaction_CommitsAtOnceAndIsVisibleToOtherThreads()
    {
        var tvar = new TVar<string>("a");

        tvar.Write("b");

        Assert.Equal("b", tvar.Read());
        string? seen = null;
        TestThread.Start(() => seen = tvar.Read()).Join();
        Assert.Equal("b", seen);
    }

    [Fact]
    public void ValueAndRead_InsideTransaction_SeeOwnWrites()
    {
        var tvar = new TVar<int>(1);
        int afterSetter = 0;
        int afterWrite = 0;

        Atomic.Run(() =>
        {
            tvar.Write(5);
            afterSetter = tvar.Read();
            tvar.Write(6);
            afterWrite = tvar.Value;
        });

        Assert.Equal(5, afterSetter);
        Assert.Equal(6, afterWrite);
        Assert.Equal(6, tvar.Value);
    }

    [Fact]
    public void ValueSetter_InsideTransaction_IsInvisibleToOtherThreadsUntilCommit()
    {
        var tvar = new TVar<int>(0);
        using var written = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        int attempts = 0;

        var writer = TestThread.Start(() => Atomic.Run(() =>
        {
            tvar.Write(1);
#pragma warning disable STM0003 // numbers the attempts on purpose, to tell the first run of the body from its re-runs
            if (Interlocked.Increment(ref attempts) == 1)
#pragma warning restore STM0003
            {
                written.Set();
                Bounded.Wait(release, "the test to release the writer");
            }
        }));

        Bounded.Wait(written, "the writer to write inside its transaction");
        Assert.Equal(0, tvar.Value);
        Assert.Equal(0, Atomic.Run(() => tvar.Value));
        release.Set();
        writer.Join();

        Assert.Equal(1, tvar.Value);
    }

    [Fact]
    public void Modify_OutsideTransaction_ReturnsNewValueAndCommits()
    {
        var tvar = new TVar<int>(3);

        int result = tvar.Modify(v => v * 2);

        Assert.Equal(6, result);
        Assert.Equal(6, tvar.Value);
    }

    [Fact]
    public void Modify_InsideTransaction_ReturnsNewValueSeenByLaterReads()
    {
        var tvar = new TVar<int>(3);
        int returned = 0;
        int readBack = 0;

        Atomic.Run(() =>
        {
            returned = tvar.Modify(v => v + 1);
            readBack = tvar.Value;
        });

        Assert.Equal(4, returned);
        Assert.Equal(4, readBack);
        Assert.Equal(4, tvar.Value);
    }

    [Fact]
    public void Modify_NullUpdateOutsideTransaction_ThrowsArgumentNullExceptionAndChangesNothing()
    {
        var tvar = new TVar<int>(7);

        var error = Assert.Throws<ArgumentNullException>(() => tvar.Modify(null!));

        Assert.Equal("update", error.ParamName);
        Assert.Equal(7, tvar.Value);
    }

    [Fact]
    public void Modify_NullUpdateInsideTransaction_ThrowsArgumentNullExceptionAndRollsBack()
    {
        var tvar = new TVar<int>(7);

        var error = Assert.Throws<ArgumentNullException>(() => Atomic.Run(() =>
        {
            tvar.Write(9);
            tvar.Modify(null!);
        }));

        Assert.Equal("update", error.ParamName);
        Assert.Equal(7, tvar.Value);
    }

    [Fact]
    public void Modify_UpdateThrowsOutsideTransaction_PropagatesSameExceptionAndKeepsValue()
    {
        var tvar = new TVar<int>(7);
        var thrown = new TestException();

        var caught = Assert.Throws<TestException>(() => tvar.Modify(_ => throw thrown));

        Assert.Same(thrown, caught);
        Assert.Equal(7, tvar.Value);
    }

    [Fact]
    public void Swap_OutsideTransaction_ReturnsOldValueAndWrites()
    {
        var tvar = new TVar<string>("old");

        string previous = tvar.Swap("new");

        Assert.Equal("old", previous);
        Assert.Equal("new", tvar.Value);
    }

    [Fact]
    public void Swap_InsideTransaction_ReturnsPendingValueAndWrites()
    {
        var tvar = new TVar<int>(1);
        int first = 0;
        int second = 0;

        Atomic.Run(() =>
        {
            first = tvar.Swap(2);
            second = tvar.Swap(3);
        });

        Assert.Equal(1, first);
        Assert.Equal(2, second);
        Assert.Equal(3, tvar.Value);
    }

    [Fact]
    public void CompareAndSwap_ExpectedMatches_WritesAndReturnsTrue()
    {
        var tvar = new TVar<int>(1);

        Assert.True(tvar.CompareAndSwap(1, 2));
        Assert.Equal(2, tvar.Value);
    }

    [Fact]
    public void CompareAndSwap_ExpectedDiffers_ReturnsFalseAndKeepsValue()
    {
        var tvar = new TVar<int>(1);

        Assert.False(tvar.CompareAndSwap(5, 2));
        Assert.Equal(1, tvar.Value);
    }

    [Fact]
    public void CompareAndSwap_EqualDistinctInstances_UsesDefaultEqualityComparer()
    {
        var text = new TVar<string>(new string('a', 3));
        var point = new TVar<Point>(new Point(1, 2));

        Assert.True(text.CompareAndSwap("aaa", "bbb"));
        Assert.Equal("bbb", text.Value);
        Assert.True(point.CompareAndSwap(new Point(1, 2), new Point(3, 4)));
        Assert.Equal(new Point(3, 4), point.Value);
    }

    [Fact]
    public void CompareAndSwap_ReferenceTypeWithoutEquals_ComparesByReference()
    {
        var stored = new Box();
        var tvar = new TVar<Box>(stored);
        var replacement = new Box();

        Assert.False(tvar.CompareAndSwap(new Box(), replacement));
        Assert.Same(stored, tvar.Value);
        Assert.True(tvar.CompareAndSwap(stored, replacement));
        Assert.Same(replacement, tvar.Value);
    }

    [Fact]
    public void CompareAndSwap_NullExpectedAndNullValue_MatchNull()
    {
        var tvar = new TVar<string?>(null);

        Assert.False(tvar.CompareAndSwap("x", "y"));
        Assert.True(tvar.CompareAndSwap(null, "x"));
        Assert.Equal("x", tvar.Value);
        Assert.True(tvar.CompareAndSwap("x", null));
        Assert.Null(tvar.Value);
    }

    [Fact]
    public void CompareAndSwap_InsideTransaction_ComparesWithPendingWrite()
    {
        var tvar = new TVar<int>(1);
        bool matchedPending = false;
        bool matchedCommitted = true;

        Atomic.Run(() =>
        {
            tvar.Write(5);
            matchedCommitted = tvar.CompareAndSwap(1, 100);
            matchedPending = tvar.CompareAndSwap(5, 6);
        });

        Assert.False(matchedCommitted);
        Assert.True(matchedPending);
        Assert.Equal(6, tvar.Value);
    }

    [Fact]
    public void Members_InsideTransactionThatThrows_LeaveNoTrace()
    {
        var tvar = new TVar<int>(1);

        Assert.Throws<TestException>(() => Atomic.Run(() =>
        {
            tvar.Write(2);
            tvar.Modify(v => v + 1);
            tvar.Swap(10);
            tvar.CompareAndSwap(10, 11);
            tvar.Commute(v => v + 1);
            throw new TestException();
        }));

        Assert.Equal(1, tvar.Value);
    }

    [Fact]
    public void DebuggerDisplay_IsDeclaredOnTVar()
    {
        var attribute = typeof(TVar<int>).GetCustomAttribute<DebuggerDisplayAttribute>();

        Assert.NotNull(attribute);
        Assert.False(string.IsNullOrWhiteSpace(attribute.Value));
    }

    /// <summary>A value type with value equality (a record), for <see cref="TVar{T}.CompareAndSwap"/>.</summary>
    private sealed record Point(int X, int Y);

    /// <summary>A reference type with reference equality only.</summary>
    private sealed class Box
    {
    }
}
