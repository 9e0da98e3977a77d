using System.Collections.Immutable;
using Microsoft.Coyote.Specifications;
using Stm.Internal;
using Stm.Testing.History;

namespace Stm.Tests.Coyote;

/// <summary>
/// Small concurrent programs over the engine, each ending in a check that holds under every correct
/// schedule. Coyote runs each one many times under different schedules; a schedule that breaks the
/// check (or deadlocks, or throws) is a bug. Every scenario builds its own TVars: it runs once per
/// iteration.
/// </summary>
internal static class EngineScenarios
{
    /// <summary>Three transactions increment one TVar; no increment may be lost.</summary>
    public static void ConcurrentIncrements()
    {
        var counter = new TVar<int>(0, "counter");
        Task[] workers = [.. Enumerable.Range(0, 3).Select(_ => Task.Run(() => Atomic.Run(() => counter.Value = counter.Value + 1)))];
        Task.WaitAll(workers);
        int final = counter.Value;
        Specification.Assert(final == 3, $"lost update: 3 committed increments left the counter at {final}");
    }

    /// <summary>
    /// Two transactions move money between the same two accounts in opposite directions (one with
    /// read/write pairs, one with <c>Modify</c>); both transfers land.
    /// </summary>
    public static void ConcurrentTransfers()
    {
        var a = new TVar<int>(100, "a");
        var b = new TVar<int>(100, "b");
        Task t1 = Task.Run(() => Atomic.Run(() => { a.Value -= 30; b.Value += 30; }));
        Task t2 = Task.Run(() => Atomic.Run(() => { b.Value -= 50; a.Modify(x => x + 50); }));
        Task.WaitAll(new[] { t1, t2 });
        Specification.Assert(a.Value == 120 && b.Value == 80, $"transfers lost or torn: a={a.Value}, b={b.Value}");
    }

    /// <summary>
    /// The doctors-on-call write skew: each transaction takes one doctor off call only if both are on
    /// call. Serializability keeps at least one on call.
    /// </summary>
    public static void WriteSkew()
    {
        var alice = new TVar<bool>(true, "alice");
        var bob = new TVar<bool>(true, "bob");
        Task t1 = Task.Run(() => Atomic.Run(() =>
        {
            if (alice.Value && bob.Value)
            {
                alice.Write(false);
            }
        }));
        Task t2 = Task.Run(() => Atomic.Run(() =>
        {
            if (alice.Value && bob.Value)
            {
                bob.Write(false);
            }
        }));
        Task.WaitAll(new[] { t1, t2 });
        Specification.Assert(alice.Value || bob.Value, "write skew: both doctors went off call");
    }

    /// <summary>
    /// <see cref="WriteSkew"/> with the clock on the hardware time base, on the fake counter, whose
    /// every other reading repeats the one before: schedules give both committers equal stamps, and
    /// each must still see the other's lock (the inclusive validation bound).
    /// </summary>
    public static void WriteSkewOnTheHardwareTimeBase()
    {
        HardwareClock.UseFakeForTests(equalReadings: true);
        VersionClock.UseTimeBase(TimeBaseChoice.Hardware);
        try
        {
            WriteSkew();
        }
        finally
        {
            VersionClock.UseTimeBase(TimeBaseChoice.Counter);
        }
    }

    /// <summary>
    /// A writer moves money between two TVars twice while a read-only reader and an updating reader
    /// sum them. Opacity: every attempt, even one that later aborts, sees a + b == 100.
    /// </summary>
    public static void TornSnapshot()
    {
        var a = new TVar<int>(50, "a");
        var b = new TVar<int>(50, "b");
        var audit = new TVar<int>(0, "audit");
        int torn = 0;
        Task writer = Task.Run(() =>
        {
            for (int i = 0; i < 2; i++)
            {
                Atomic.Run(() => { a.Value -= 10; b.Value += 10; });
            }
        });
        Task readOnly = Task.Run(() => Atomic.Run(() =>
        {
            int x = a.Value;
            int y = b.Value;
            if (x + y != 100)
            {
#pragma warning disable STM0003 // counts what every attempt saw, aborted ones too: that count is what the test checks
                Interlocked.Increment(ref torn);
#pragma warning restore STM0003
            }
        }));
        Task updating = Task.Run(() => Atomic.Run(() =>
        {
            int x = a.Value;
            audit.Value += 1;
            int y = b.Value;
            if (x + y != 100)
            {
#pragma warning disable STM0003 // counts what every attempt saw, aborted ones too: that count is what the test checks
                Interlocked.Increment(ref torn);
#pragma warning restore STM0003
            }
        }));
        Task.WaitAll(new[] { writer, readOnly, updating });
        Specification.Assert(Volatile.Read(ref torn) == 0, $"torn snapshot: {torn} attempt(s) saw a + b != 100");
        Specification.Assert(a.Value + b.Value == 100 && a.Value == 30, $"final state wrong: a={a.Value}, b={b.Value}");
    }

    /// <summary>
    /// <see cref="TornSnapshot"/> while a fourth task switches the version clock between its time
    /// bases (counter, hardware, counter, hardware) on the fake hardware counter, so schedules put
    /// every switch between a reader's look at the clock word and its reading, and between a
    /// committer's locks, stamp and publication. Every attempt must see a + b = 100, and reads
    /// after all tasks end must see the last commit (stamps taken after a switch are above those
    /// taken before it).
    /// </summary>
    public static void TornSnapshotAcrossTimeBaseSwitches()
    {
        HardwareClock.UseFakeForTests();
        VersionClock.UseTimeBase(TimeBaseChoice.Adaptive);
        try
        {
            Task switcher = Task.Run(static () =>
            {
                _ = VersionClock.TrySwitchToHardware();
                _ = VersionClock.TrySwitchToCounter();
                _ = VersionClock.TrySwitchToHardware();
            });
            TornSnapshot();
            switcher.Wait();
        }
        finally
        {
            VersionClock.UseTimeBase(TimeBaseChoice.Counter);
        }
    }

    /// <summary>
    /// Two committers write the same two TVars in opposite orders. Neither may block the other forever
    /// (Coyote reports a deadlock if all tasks block), and the result is one of the two serial orders.
    /// </summary>
    public static void OppositeOrderWriters()
    {
        var a = new TVar<int>(0, "a");
        var b = new TVar<int>(0, "b");
        Task t1 = Task.Run(() => Atomic.Run(() => { a.Value = 1; b.Value = 1; }));
        Task t2 = Task.Run(() => Atomic.Run(() => { b.Value = 2; a.Value = 2; }));
        Task.WaitAll(new[] { t1, t2 });
        Specification.Assert(a.Value == b.Value && a.Value != 0, $"not a serial outcome: a={a.Value}, b={b.Value}");
    }

    /// <summary>
    /// Concurrent commutes on one counter never conflict with each other and all apply; a reader of the
    /// counter sees some prefix of them.
    /// </summary>
    public static void CommutingCounters()
    {
        var counter = new TVar<long>(0, "commuted");
        int badReads = 0;
        Task[] adders = [.. Enumerable.Range(1, 3).Select(i => Task.Run(() => Atomic.Run(() => counter.Commute(x => x + i))))];
        Task reader = Task.Run(() => Atomic.Run(() =>
        {
            long seen = counter.Value;
            if (seen is not (0 or 1 or 2 or 3 or 4 or 5 or 6))
            {
#pragma warning disable STM0003 // counts what every attempt saw, aborted ones too: that count is what the test checks
                Interlocked.Increment(ref badReads);
#pragma warning restore STM0003
            }
        }));
        Task[] all = [.. adders, reader];
        Task.WaitAll(all);
        Specification.Assert(counter.Value == 6, $"commutes lost: counter={counter.Value}");
        Specification.Assert(Volatile.Read(ref badReads) == 0, "a reader saw a value no prefix of the commutes produces");
    }

    /// <summary>
    /// A read-modify-write of a counter (which commits alone, taking only the clock, when nobody
    /// committed since its snapshot) races two commutes of it (which lock it and read its newest
    /// value at commit): every update lands.
    /// </summary>
    public static void WriterAndCommutersOnOneTVar()
    {
        var counter = new TVar<int>(0, "counter");
        Task writer = Task.Run(() => Atomic.Run(() => counter.Value = counter.Value + 100));
        Task first = Task.Run(() => counter.Commute(x => x + 1));
        Task second = Task.Run(() => Atomic.Run(() => counter.Commute(x => x + 2)));

        // An array, not a collection expression: that binds to WaitAll(ReadOnlySpan), which Coyote does not control.
        Task.WaitAll(new[] { writer, first, second });
        int final = counter.Value;
        Specification.Assert(final == 103, $"an update was lost: the counter is {final}, expected 103");
    }

    /// <summary>
    /// Reads outside any transaction see a transaction whole: once one of them has seen the first
    /// TVar a commit wrote, a later one sees its second TVar too, whether the commit locked its TVars
    /// or committed alone under the clock.
    /// </summary>
    public static void OutsideReadsSeeWholeCommits()
    {
        var first = new TVar<int>(0, "first");
        var second = new TVar<int>(0, "second");
        Task writer = Task.Run(() => Atomic.Run(() =>
        {
            first.Write(1);
            second.Write(1);
        }));
        Task other = Task.Run(() => Atomic.Run(() => second.Value = second.Value + 10));
        for (int round = 0; round < 3; round++)
        {
            int seenFirst = first.Value;
            int seenSecond = second.Value;
            Specification.Assert(
                seenFirst == 0 || seenSecond is 1 or 11,
                $"a read outside a transaction saw half a commit: first={seenFirst}, then second={seenSecond}");
        }

        Task.WaitAll(new[] { writer, other });
        Specification.Assert(second.Value is 1 or 11, $"an update was lost: second={second.Value}");
    }

    /// <summary>
    /// A read-only transaction reads two TVars while a writer commits to both twice. It reads a
    /// versioned snapshot, so it must see a consistent pair and commit on its first attempt.
    /// </summary>
    public static void ReadOnlyNeverAborts()
    {
        var a = new TVar<int>(50, "a");
        var b = new TVar<int>(50, "b");
        int attempts = 0;
        int sum = 0;
        Task writer = Task.Run(() =>
        {
            Atomic.Run(() => { a.Value -= 5; b.Value += 5; });
            Atomic.Run(() => { a.Value -= 5; b.Value += 5; });
        });
        Task reader = Task.Run(() => Atomic.Run(() =>
        {
            attempts++;
            int x = a.Value;
            int y = b.Value;
            sum = x + y;
        }));
        Task.WaitAll(new[] { writer, reader });
        Specification.Assert(sum == 100, $"read-only transaction saw a + b = {sum}");
        Specification.Assert(attempts == 1, $"read-only transaction took {attempts} attempts under concurrent writers");
    }

    /// <summary>
    /// <c>OrElse</c> without waiting: the first branch takes a token from the left pool or retries, the
    /// second takes from the right pool; meanwhile another transaction moves tokens from left to right.
    /// The first branch's writes must be rolled back when it retries, and tokens are conserved.
    /// </summary>
    public static void OrElseChoiceUnderConcurrentMoves()
    {
        var left = new TVar<int>(1, "left");
        var right = new TVar<int>(1, "right");
        var taken = new TVar<int>(0, "taken");
        Task chooser = Task.Run(() => Atomic.Run(() => Atomic.OrElse(
            () =>
            {
                taken.Value += 1;
                int l = left.Value;
                Atomic.Check(l > 0);
                left.Write(l - 1);
            },
            () =>
            {
                int r = right.Value;
                Atomic.Check(r > 0);
                right.Write(r - 1);
                taken.Value += 1;
            })));
        Task mover = Task.Run(() => Atomic.Run(() =>
        {
            int l = left.Value;
            left.Write(0);
            right.Value += l;
        }));
        Task.WaitAll(new[] { chooser, mover });
        int total = left.Value + right.Value + taken.Value;
        Specification.Assert(taken.Value == 1 && total == 2, $"OrElse lost or duplicated a token: left={left.Value}, right={right.Value}, taken={taken.Value}");
    }

    /// <summary>
    /// A nested transaction writes and throws; the outer one catches and commits its own writes, while
    /// another transaction increments the same TVars. Only the nested writes roll back.
    /// </summary>
    public static void NestedRollbackUnderContention()
    {
        var a = new TVar<int>(0, "a");
        var b = new TVar<int>(0, "b");
        Task outer = Task.Run(() => Atomic.Run(() =>
        {
            a.Value += 1;
            try
            {
                Atomic.Run(() =>
                {
                    b.Value += 100;
                    throw new InvalidOperationException("nested failure");
                });
            }
            catch (InvalidOperationException)
            {
            }

            b.Value += 1;
        }));
        Task other = Task.Run(() => Atomic.Run(() => { a.Value += 10; b.Value += 10; }));
        Task.WaitAll(new[] { outer, other });
        Specification.Assert(a.Value == 11 && b.Value == 11, $"nested rollback leaked or lost writes: a={a.Value}, b={b.Value}");
    }

    /// <summary>
    /// List-append registers under every schedule: two writers each append to one key and read the
    /// other (the write-skew shape), a third transaction reads both. Every attempt is recorded, the
    /// aborted ones too (from <c>AfterRollback</c>), with the time it was invoked and the time it
    /// ended, and the history checker (tests/History) must find it strictly serializable with every
    /// aborted attempt's reads consistent (opacity): no G2, G-single, lost update, fractured or dirty
    /// read, and no real-time inversion in any schedule. Each append is of a fresh element per attempt.
    /// </summary>
    public static void ListAppendHistory()
    {
        TVar<ImmutableList<int>>[] registers = [new(ImmutableList<int>.Empty, "k0"), new(ImmutableList<int>.Empty, "k1")];
        var recorder = new HistoryRecorder();
        int nextElement = 0;

        void Record(TransactionLog log)
        {
            Atomic.AfterCommit(() => recorder.Record(log, TransactionOutcome.Committed));
            Atomic.AfterRollback(() => recorder.Record(log, TransactionOutcome.Aborted));
        }

        void AppendAndRead(int appendKey, int readKey)
        {
            long invoked = HistoryRecorder.Now();
            Atomic.Run(() =>
            {
                var log = new TransactionLog(invoked);
                Record(log);
                log.Read(readKey, registers[readKey].Value);
#pragma warning disable STM0003 // a fresh element per attempt, as the list-append history needs
                int element = Interlocked.Increment(ref nextElement);
#pragma warning restore STM0003
                registers[appendKey].Write(registers[appendKey].Value.Add(element));
                log.Append(appendKey, element);
            });
        }

        Task t1 = Task.Run(() => AppendAndRead(0, 1));
        Task t2 = Task.Run(() => AppendAndRead(1, 0));
        Task t3 = Task.Run(() =>
        {
            long invoked = HistoryRecorder.Now();
            Atomic.Run(() =>
            {
                var log = new TransactionLog(invoked);
                Record(log);
                log.Read(0, registers[0].Value);
                log.Read(1, registers[1].Value);
            });
        });
        Task.WaitAll(new[] { t1, t2, t3 });

        var final = new TransactionLog(HistoryRecorder.Now());
        final.Read(0, registers[0].Value);
        final.Read(1, registers[1].Value);
        recorder.Record(final, TransactionOutcome.Committed);
        SerializabilityReport report = SerializabilityChecker.Check(recorder.Snapshot(), checkAbortedReads: true, checkRealTime: true);
        Specification.Assert(report.IsSerializable, $"history not serializable: {report}");
    }
}
