using Xunit;

namespace Stm.Tests.Unit.Core;

/// <summary>
/// <see cref="Transactional"/>'s run forms, which pass a state to the body: the semantics of the
/// <see cref="Atomic"/> form of the same name (join a running transaction, or run as a top-level one
/// that re-runs on conflict and waits in Retry), with no closure needed. <see cref="Transactional.RequestRetry"/>
/// has tests of its own (<see cref="RequestRetryTests"/>).
/// </summary>
public sealed class TransactionalTests
{
    [Fact]
    public void Run_Action_PassesTheStateAndCommitsAllWrites()
    {
        var from = new TVar<int>(10);
        var to = new TVar<int>(0);

        Transactional.Run((From: from, To: to, Amount: 3), static args =>
        {
            args.From.Value -= args.Amount;
            args.To.Value += args.Amount;
        });

        Assert.Equal(7, from.Value);
        Assert.Equal(3, to.Value);
    }

    [Fact]
    public void Run_Func_ReturnsTheResultOfTheCommittedAttempt()
    {
        var counter = new TVar<int>(20);

        int result = Transactional.Run(counter, static c =>
        {
            c.Value += 1;
            return c.Value * 2;
        });

        Assert.Equal(42, result);
        Assert.Equal(21, counter.Value);
    }

    [Fact]
    public void Run_ReRunOnConflict_GetsTheSameStateEveryAttempt()
    {
        var target = new TVar<int>(0, "target");
        var seen = new List<string>();
        using var inBody = new Barrier(2);
        using var committed = new Barrier(2);
        int attempts = 0;

        var writer = TestThread.Start(() =>
        {
            inBody.SignalAndWait(Bounded.Limit);
            target.Write(100);
            committed.SignalAndWait(Bounded.Limit);
        });

        Transactional.Run((Target: target, Label: "state"), args =>
        {
            seen.Add(args.Label);
            int value = args.Target.Value;
#pragma warning disable STM0003 // numbers the attempts on purpose, to tell the first run of the body from its re-runs
            if (Interlocked.Increment(ref attempts) == 1)
#pragma warning restore STM0003
            {
                // First attempt: let a concurrent commit overwrite what we read, so this attempt conflicts.
                inBody.SignalAndWait(Bounded.Limit);
                committed.SignalAndWait(Bounded.Limit);
            }

            args.Target.Write(value + 1);
        });
        writer.Join();

        Assert.Equal(101, target.Value);
        Assert.Equal(2, attempts);
        Assert.Equal(["state", "state"], seen);
    }

    [Fact]
    public void Run_InsideATransaction_JoinsItAsANestedTransaction()
    {
        var a = new TVar<int>(0);
        var b = new TVar<int>(0);

        Atomic.Run(() =>
        {
            a.Write(1);
            Assert.Throws<TestException>(() => Transactional.Run(b, static inner =>
            {
                inner.Write(2);
                throw new TestException();
            }));

            // Only the nested transaction's write was rolled back.
            Assert.Equal(1, a.Value);
            Assert.Equal(0, b.Value);
        });

        Assert.Equal(1, a.Value);
        Assert.Equal(0, b.Value);
    }

    [Fact]
    public void Run_BodyThrows_RollsBackAndPropagatesTheException()
    {
        var a = new TVar<int>(1);
        var thrown = new TestException();

        var caught = Assert.Throws<TestException>(() => Transactional.Run((Var: a, Error: thrown), static args =>
        {
            args.Var.Write(2);
            throw args.Error;
        }));

        Assert.Same(thrown, caught);
        Assert.Equal(1, a.Value);
    }

    [Fact]
    public void Run_NullBody_ThrowsArgumentNullExceptionNamingBodyAndChangesNothing()
    {
        var a = new TVar<int>(1);

        var action = Assert.Throws<ArgumentNullException>(() => Transactional.Run(a, (Action<TVar<int>>)null!));
        var function = Assert.Throws<ArgumentNullException>(() => Transactional.Run(a, (Func<TVar<int>, int>)null!));

        Assert.Equal("body", action.ParamName);
        Assert.Equal("body", function.ParamName);
        Assert.Equal(1, a.Value);
        Assert.False(Atomic.InTransaction);
    }

    [Fact]
    public void Run_AsyncBody_ThrowsNotSupportedExceptionBeforeRunning()
    {
        var a = new TVar<int>(1);
        int runs = 0;

        Func<TVar<int>, Task> body = async v =>
        {
            Interlocked.Increment(ref runs);
            v.Write(2);
            await Task.Yield();
        };

#pragma warning disable STM0001 // an async body on purpose: the test checks that it is refused with NotSupportedException
        var error = Assert.Throws<NotSupportedException>(() => { _ = Transactional.Run(a, body); });
#pragma warning restore STM0001

        Assert.Contains("RunAsync", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, runs);
        Assert.Equal(1, a.Value);
    }

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

    [Fact]
    public async Task RunAsync_CommitsWithoutWaiting_CompletesSynchronously()
    {
        var a = new TVar<int>(20);

        ValueTask write = Transactional.RunAsync((Var: a, Add: 22), static args => { args.Var.Value += args.Add; });
        bool completedAtOnce = write.IsCompletedSuccessfully;
        await write;

        Assert.True(completedAtOnce);
        Assert.Equal(42, a.Value);
    }

    [Fact]
    public async Task RunAsync_BodyRetries_ReRunsWithTheSameStateWhenWoken()
    {
        var gate = new TVar<int>(0, "gate");
        var output = new TVar<int>(0, "output");

        Task pending = Transactional.RunAsync((Gate: gate, Output: output, Factor: 10), static args =>
        {
            int value = args.Gate.Value;
            Atomic.Check(value > 0);
            args.Output.Write(value * args.Factor);
        }).AsTask();

        Assert.False(pending.IsCompleted);
        gate.Write(4);
        await pending.WaitAsync(Bounded.Limit);

        Assert.Equal(40, output.Value);
    }

    [Fact]
    public async Task RunAsync_CancelledWhileWaiting_CompletesCanceledAndCommitsNothing()
    {
        var gate = new TVar<bool>(false);
        var output = new TVar<int>(0);
        using var cts = new CancellationTokenSource();

        ValueTask pending = Transactional.RunAsync((Gate: gate, Output: output), static args =>
        {
            args.Output.Write(1);
            Atomic.Check(args.Gate.Value);
        }, cts.Token);
        Assert.False(pending.IsCompleted);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await pending.AsTask().WaitAsync(Bounded.Limit));
        Assert.Equal(0, output.Value);
    }

    [Fact]
    public async Task RunAsync_NullBody_ThrowsArgumentNullExceptionNamingBody()
    {
        var a = new TVar<int>(1);

        var error = await Assert.ThrowsAsync<ArgumentNullException>(
            async () => await Transactional.RunAsync(a, (Action<TVar<int>>)null!));

        Assert.Equal("body", error.ParamName);
        Assert.Equal(1, a.Value);
    }

    [Fact]
    public void ExistingOverloads_CallsWithANullBodyAndAToken_StillBindToTheStatelessOverloads()
    {
        // The state-passing forms are Transactional's, so Atomic's overload set is unchanged: these calls
        // still bind to the body-first overloads.
        var action = Assert.Throws<ArgumentNullException>(() => Atomic.Run(null!, CancellationToken.None));
        var function = Assert.Throws<ArgumentNullException>(() => Atomic.Run<int>(null!, CancellationToken.None));

        Assert.Equal("body", action.ParamName);
        Assert.Equal("body", function.ParamName);
    }
}
