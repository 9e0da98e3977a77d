using Xunit;

namespace Stm.Tests.Unit.Core;

/// <summary>
/// <see cref="Transactional.RequestRetry"/> (internal): <see cref="Atomic.Retry"/> without the exception,
/// which the collections' blocking members use when they run as their own transaction.
/// </summary>
public sealed class RequestRetryTests
{
    [Fact]
    public void RequestRetry_TopLevel_DiscardsTheAttemptWaitsForAReadTVarAndRunsAgain()
    {
        var gate = new TVar<int>(0, "gate");
        var output = new TVar<int>(0, "output");
        int runs = 0;
        int result = 0;

        var waiter = TestThread.Start(() => result = Atomic.Run(() =>
        {
#pragma warning disable STM0003 // counts the runs of the body on purpose: the re-runs are what the test observes
            Interlocked.Increment(ref runs);
#pragma warning restore STM0003
            int value = gate.Value;
            output.Write(-1);
            if (value == 0)
            {
                Transactional.RequestRetry();
                return 0;
            }

            output.Write(value);
            return value * 10;
        }));

        int seenWhileParked = ValueWhileParked(waiter, output, () => gate.Write(4));

        Assert.Equal(0, seenWhileParked);
        Assert.Equal(40, result);
        Assert.Equal(4, output.Value);
        Assert.Equal(2, Volatile.Read(ref runs));
    }

    [Fact]
    public void RequestRetry_ThenATVarAccess_ThrowsTheRetrySignalAndStillWaits()
    {
        var gate = new TVar<bool>(false);
        var other = new TVar<int>(0);
        int runs = 0;

        var waiter = TestThread.Start(() => Atomic.Run(() =>
        {
#pragma warning disable STM0003 // counts the runs of the body on purpose: the re-runs are what the test observes
            Interlocked.Increment(ref runs);
#pragma warning restore STM0003
            if (!gate.Value)
            {
                Transactional.RequestRetry();
            }

            other.Write(1);
        }));

        int seenWhileParked = ValueWhileParked(waiter, other, () => gate.Write(true));

        Assert.Equal(0, seenWhileParked);
        Assert.Equal(1, other.Value);
        Assert.Equal(2, Volatile.Read(ref runs));
    }

    [Fact]
    public void RequestRetry_InOrElsesFirstBranch_RunsTheSecondBranch()
    {
        var empty = new TVar<int>(0);
        var written = new TVar<int>(0);

        string taken = Atomic.Run(() => Atomic.OrElse(
            () =>
            {
                written.Write(1);
                if (empty.Value == 0)
                {
                    Transactional.RequestRetry();
                }

                return "first";
            },
            () => "second"));

        Assert.Equal("second", taken);
        Assert.Equal(0, written.Value);
    }

    [Fact]
    public void RequestRetry_InANestedRun_RetriesTheWholeTransaction()
    {
        var gate = new TVar<bool>(false);
        var outer = new TVar<int>(0);
        int runs = 0;

        var waiter = TestThread.Start(() => Atomic.Run(() =>
        {
#pragma warning disable STM0003 // counts the runs of the body on purpose: the re-runs are what the test observes
            Interlocked.Increment(ref runs);
#pragma warning restore STM0003
            outer.Value += 1;
            Atomic.Run(() =>
            {
                if (!gate.Value)
                {
                    Transactional.RequestRetry();
                }
            });
        }));

        int seenWhileParked = ValueWhileParked(waiter, outer, () => gate.Write(true));

        Assert.Equal(0, seenWhileParked);
        Assert.Equal(1, outer.Value);
        Assert.Equal(2, Volatile.Read(ref runs));
    }

    [Fact]
    public void RequestRetry_OutsideATransaction_ThrowsInvalidOperationException()
    {
        var error = Assert.Throws<InvalidOperationException>(Transactional.RequestRetry);

        Assert.Contains("Retry", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RequestRetry_WithNothingRead_ThrowsInvalidOperationExceptionAndCommitsNothing()
    {
        var written = new TVar<int>(0);

        Assert.Throws<InvalidOperationException>(() => Atomic.Run(() =>
        {
            written.Write(1);
            Transactional.RequestRetry();
        }));

        Assert.Equal(0, written.Value);
    }

    [Fact]
    public void RequestRetry_WithTimeout_GivesUpAndCommitsNothing()
    {
        var gate = new TVar<bool>(false);
        var written = new TVar<int>(0);

        bool committed = Atomic.TryRun(
            () =>
            {
                written.Write(1);
                if (!gate.Value)
                {
                    Transactional.RequestRetry();
                }
            },
            TimeSpan.FromMilliseconds(20));

        Assert.False(committed);
        Assert.Equal(0, written.Value);
    }

    /// <summary>
    /// Waits until <paramref name="waiter"/> parks, reads <paramref name="written"/> (what its
    /// discarded attempt wrote must not show), wakes it with <paramref name="open"/> and joins it.
    /// </summary>
    private static int ValueWhileParked(TestThread waiter, TVar<int> written, Action open)
    {
        Bounded.UntilParked(waiter, "the waiter");
        int seen = written.Value;
        open();
        waiter.Join();
        return seen;
    }
}
