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

    [Fact]
    public void Run_FuncInsideATransaction_SeesItsWritesAndCommitsOrRollsBackWithIt()
    {
        var a = new TVar<int>(0);
        var b = new TVar<int>(0);

        int seen = Atomic.Run(() =>
        {
            a.Value = 5;
            return Transactional.Run((A: a, B: b), static args =>
            {
                args.B.Value = args.A.Value * 2;
                return args.A.Value;
            });
        });
        Assert.Throws<TestException>(() => Atomic.Run(() =>
        {
            Transactional.Run(b, static inner => inner.Value = 100);
            throw new TestException();
        }));

        Assert.Equal(5, seen);
        Assert.Equal(5, a.Value);
        Assert.Equal(10, b.Value);
    }

    [Fact]
    public void Run_BodyRetriesOutsideATransaction_WaitsUntilATVarItReadChangesThenCommits()
    {
        var gate = new TVar<int>(0, "gate");
        var output = new TVar<int>(0, "output");
        int result = 0;

        var waiter = TestThread.Start(() => result = Transactional.Run((Gate: gate, Output: output), static args =>
        {
            int value = args.Gate.Value;
            args.Output.Write(-1);
            Atomic.Check(value > 0);
            args.Output.Write(value);
            return value + 1;
        }));
        Bounded.UntilParked(waiter, "the waiter");
        int seenWhileParked = output.Value;
        gate.Write(6);
        waiter.Join();

        Assert.Equal(0, seenWhileParked);
        Assert.Equal(7, result);
        Assert.Equal(6, output.Value);
    }

    [Fact]
    public void Run_AsyncVoidActionBody_ThrowsNotSupportedExceptionBeforeRunning()
    {
        var a = new TVar<int>(1);
        int runs = 0;

#pragma warning disable STM0001 // an async void body on purpose: the test checks that it is refused
        Action<TVar<int>> body = async v =>
        {
            Interlocked.Increment(ref runs);
            v.Write(2);
            await Task.Yield();
        };
#pragma warning restore STM0001

        var run = Assert.Throws<NotSupportedException>(() => Transactional.Run(a, body));
        var runWithToken = Assert.Throws<NotSupportedException>(() => Transactional.Run(a, body, CancellationToken.None));
        var tryRun = Assert.Throws<NotSupportedException>(() => Transactional.TryRun(a, body, TimeSpan.Zero));
        var runAsync = Assert.Throws<NotSupportedException>(() => { _ = Transactional.RunAsync(a, body).AsTask(); });

        Assert.All([run, runWithToken, tryRun, runAsync], static error => Assert.Contains("async", error.Message, StringComparison.Ordinal));
        Assert.Equal(0, runs);
        Assert.Equal(1, a.Value);
    }

    [Fact]
    public void EveryForm_TaskResult_ThrowsNotSupportedExceptionBeforeRunning()
    {
        var a = new TVar<int>(1);
        int runs = 0;
        Func<TVar<int>, Task<int>> body = v =>
        {
            Interlocked.Increment(ref runs);
            v.Write(2);
            return Task.FromResult(3);
        };

#pragma warning disable STM0001 // a task-returning body on purpose: the test checks that it is refused
        var withToken = Assert.Throws<NotSupportedException>(() => { _ = Transactional.Run(a, body, CancellationToken.None); });
        var tryRun = Assert.Throws<NotSupportedException>(() => { _ = Transactional.TryRun(a, body, TimeSpan.Zero, out _); });
        var runAsync = Assert.Throws<NotSupportedException>(() => { _ = Transactional.RunAsync(a, body).AsTask(); });
#pragma warning restore STM0001

        Assert.All([withToken, tryRun, runAsync], static error => Assert.Contains("Task", error.Message, StringComparison.Ordinal));
        Assert.Equal(0, runs);
        Assert.Equal(1, a.Value);
    }

    [Fact]
    public async Task EveryForm_NullBody_ThrowsArgumentNullExceptionNamingBody()
    {
        var a = new TVar<int>(1);
        Action<TVar<int>> action = null!;
        Func<TVar<int>, int> function = null!;

        ArgumentNullException[] errors =
        [
            Assert.Throws<ArgumentNullException>(() => Transactional.Run(a, action, CancellationToken.None)),
            Assert.Throws<ArgumentNullException>(() => Transactional.Run(a, function, CancellationToken.None)),
            Assert.Throws<ArgumentNullException>(() => Transactional.TryRun(a, action, TimeSpan.Zero)),
            Assert.Throws<ArgumentNullException>(() => Transactional.TryRun(a, function, TimeSpan.Zero, out _)),
            await Assert.ThrowsAsync<ArgumentNullException>(async () => await Transactional.RunAsync(a, function)),
        ];

        Assert.All(errors, static error => Assert.Equal("body", error.ParamName));
        Assert.Equal(1, a.Value);
    }

    [Fact]
    public void RunWithToken_CancelledWhileWaiting_ThrowsOperationCanceledAndCommitsNothing()
    {
        var gate = new TVar<bool>(false, "gate");
        var output = new TVar<int>(0, "output");
        using var cts = new CancellationTokenSource();

        var waiter = TestThread.Start(() => Transactional.Run(
            (Gate: gate, Output: output),
            static args =>
            {
                args.Output.Write(1);
                Atomic.Check(args.Gate.Value);
            },
            cts.Token));
        Bounded.UntilParked(waiter, "the waiter");
        cts.Cancel();
        var error = waiter.JoinCapturing();

        var canceled = Assert.IsAssignableFrom<OperationCanceledException>(error);
        Assert.Equal(cts.Token, canceled.CancellationToken);
        Assert.Equal(0, output.Value);
    }

    [Fact]
    public void RunWithToken_AlreadyCancelled_ThrowsWithoutRunningTheBody()
    {
        var a = new TVar<int>(1);
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        int runs = 0;

        Assert.ThrowsAny<OperationCanceledException>(() => Transactional.Run(
            a,
            v =>
            {
                runs++;
                return v.Value;
            },
            cts.Token));

        Assert.Equal(0, runs);
    }

    [Fact]
    public void RunWithToken_WokenBeforeCancellation_ReturnsTheCommittedResult()
    {
        var gate = new TVar<int>(0, "gate");
        using var cts = new CancellationTokenSource();
        int result = 0;

        var waiter = TestThread.Start(() => result = Transactional.Run(
            gate,
            static g =>
            {
                int value = g.Value;
                Atomic.Check(value != 0);
                return value * 3;
            },
            cts.Token));
        Bounded.UntilParked(waiter, "the waiter");
        gate.Write(14);
        waiter.Join();

        Assert.Equal(42, result);
    }

    [Fact]
    public void RunWithToken_InsideATransaction_JoinsItWithoutLookingAtTheToken()
    {
        var a = new TVar<int>(1);
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        int result = Atomic.Run(() =>
        {
            Transactional.Run(a, static v => v.Value = 2, cts.Token);
            return Transactional.Run(a, static v => v.Value * 10, cts.Token);
        });

        Assert.Equal(20, result);
        Assert.Equal(2, a.Value);
    }

    [Fact]
    public void TryRun_BodyKeepsRetrying_ReturnsFalseAtTheTimeoutAndCommitsNothing()
    {
        var gate = new TVar<bool>(false);
        var output = new TVar<int>(0);

        bool committed = Transactional.TryRun(
            (Gate: gate, Output: output),
            static args =>
            {
                args.Output.Write(1);
                Atomic.Check(args.Gate.Value);
                return 7;
            },
            TimeSpan.FromMilliseconds(20),
            out int result);
        bool actionCommitted = Transactional.TryRun(
            (Gate: gate, Output: output),
            static args =>
            {
                args.Output.Write(2);
                Atomic.Check(args.Gate.Value);
            },
            TimeSpan.Zero);

        Assert.False(committed);
        Assert.False(actionCommitted);
        Assert.Equal(0, result);
        Assert.Equal(0, output.Value);
    }

    [Fact]
    public void TryRun_BodyCanProceed_CommitsAndReturnsTheResult()
    {
        var a = new TVar<int>(4);

        bool committed = Transactional.TryRun(a, static v => v.Value += 1, TimeSpan.Zero, out int result);
        bool actionCommitted = Transactional.TryRun(a, static v => v.Value += 10, Timeout.InfiniteTimeSpan);

        Assert.True(committed);
        Assert.True(actionCommitted);
        Assert.Equal(5, result);
        Assert.Equal(15, a.Value);
    }

    [Fact]
    public void TryRun_WokenBeforeTheTimeout_CommitsAndReturnsTrue()
    {
        var gate = new TVar<int>(0, "gate");
        bool committed = false;
        int result = 0;

        var waiter = TestThread.Start(() => committed = Transactional.TryRun(
            gate,
            static g =>
            {
                int value = g.Value;
                Atomic.Check(value != 0);
                return value + 1;
            },
            Bounded.Limit,
            out result));
        Bounded.UntilParked(waiter, "the waiter");
        gate.Write(41);
        waiter.Join();

        Assert.True(committed);
        Assert.Equal(42, result);
    }

    [Fact]
    public void TryRun_NegativeTimeout_ThrowsArgumentOutOfRangeWithoutRunningTheBody()
    {
        var a = new TVar<int>(1);
        int runs = 0;

        var function = Assert.Throws<ArgumentOutOfRangeException>(() => Transactional.TryRun(
            a,
            v =>
            {
                runs++;
                return v.Value;
            },
            TimeSpan.FromMilliseconds(-2),
            out _));
        var action = Assert.Throws<ArgumentOutOfRangeException>(() => Transactional.TryRun(a, v => runs++, TimeSpan.FromMilliseconds(-2)));

        Assert.Equal("timeout", function.ParamName);
        Assert.Equal("timeout", action.ParamName);
        Assert.Equal(0, runs);
    }

    [Fact]
    public void TryRun_InsideATransaction_JoinsItAndReturnsTrue()
    {
        var a = new TVar<int>(3);

        (bool committed, int result) = Atomic.Run(() =>
        {
            bool joined = Transactional.TryRun(a, static v => v.Value *= 2, TimeSpan.Zero, out int doubled);
            return (joined, doubled);
        });

        Assert.True(committed);
        Assert.Equal(6, result);
        Assert.Equal(6, a.Value);
    }

    [Fact]
    public async Task RunAsync_Func_CommitsWithoutWaitingSynchronouslyAndAfterAWaitWhenWoken()
    {
        var gate = new TVar<int>(0, "gate");

        ValueTask<int> immediate = Transactional.RunAsync(gate, static g => g.Value + 1);
        bool completedAtOnce = immediate.IsCompletedSuccessfully;
        int first = await immediate;
        Task<int> pending = Transactional.RunAsync(gate, static g =>
        {
            int value = g.Value;
            Atomic.Check(value != 0);
            return value * 2;
        }).AsTask();
        bool completedBeforeTheWrite = pending.IsCompleted;
        gate.Write(21);

        Assert.True(completedAtOnce);
        Assert.Equal(1, first);
        Assert.False(completedBeforeTheWrite);
        Assert.Equal(42, await pending.WaitAsync(Bounded.Limit));
    }

    [Fact]
    public async Task RunAsync_FuncAlreadyCancelled_CompletesCanceledWithoutRunningTheBody()
    {
        var a = new TVar<int>(1);
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        int runs = 0;

        ValueTask<int> run = Transactional.RunAsync(
            a,
            v =>
            {
                runs++;
                return v.Value;
            },
            cts.Token);

        Assert.True(run.IsCanceled);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await run);
        Assert.Equal(0, runs);
    }

    [Fact]
    public async Task RunAsync_BodyThrows_FaultsTheTaskAndCommitsNothing()
    {
        var a = new TVar<int>(1);
        var thrown = new TestException();

        ValueTask<int> run = Transactional.RunAsync((Var: a, Error: thrown), static args =>
        {
            args.Var.Write(2);
            throw args.Error;
#pragma warning disable CS0162 // the lambda needs a result type; the throw above always happens
            return 0;
#pragma warning restore CS0162
        });

        Assert.Same(thrown, await Assert.ThrowsAsync<TestException>(async () => await run));
        Assert.Equal(1, a.Value);
    }

    [Fact]
    public void RunAsync_InsideATransaction_JoinsItSynchronously()
    {
        var a = new TVar<int>(1);
        var b = new TVar<int>(0);

        (bool actionDone, bool functionDone, int result) = Atomic.Run(() =>
        {
            ValueTask write = Transactional.RunAsync(a, static v => { v.Value = 5; });
            ValueTask<int> read = Transactional.RunAsync((A: a, B: b), static args => args.B.Value = args.A.Value + 1);
            return (write.IsCompletedSuccessfully, read.IsCompletedSuccessfully, read.Result);
        });

        Assert.True(actionDone);
        Assert.True(functionDone);
        Assert.Equal(6, result);
        Assert.Equal(5, a.Value);
        Assert.Equal(6, b.Value);
    }
}
