using System.Reflection;
using System.Runtime.ExceptionServices;
using Stm.Internal;
using Xunit;

namespace Stm.Tests.Unit.Core;

/// <summary>
/// The version clock's time bases (see <see cref="VersionClock"/>): the shared counter, the
/// hardware counter, and the adaptive setting that switches between them. Where the processor's
/// counter fails its check, the hardware time base runs on the engine's fake counter for tests
/// (<see cref="TimeBaseScope.RealCounter"/> says which). They run alone: the setting is process-wide.
/// </summary>
[Collection(SequentialCoreCollection.Name)]
public sealed class TimeBaseTests
{
    private const int Accounts = 16;
    private const int Balance = 100;

    /// <summary>Commits to <paramref name="mine"/> as many times as the adaptive policy counts, letting another thread commit <paramref name="othersPerAttempt"/> times inside each first attempt.</summary>
    private static void CommitWhileOthersCommit(TVar<int> mine, TVar<int> other, int othersPerAttempt)
    {
        for (int i = 0; i < VersionClock.MovedClocksBeforeHardware; i++)
        {
            int attempts = 0;
            Atomic.Run(() =>
            {
                mine.Value++;
#pragma warning disable STM0003 // numbers the attempts on purpose: only the first lets the other thread commit inside it
                if (++attempts == 1)
#pragma warning restore STM0003
                {
                    TestThread.Start(
                        () =>
                        {
                            for (int c = 0; c < othersPerAttempt; c++)
                            {
                                Atomic.Run(() => other.Value++);
                            }
                        },
                        "other committer").Join();
                }
            });
        }
    }

    /// <summary>The settings by name (the setting's type is internal to the engine).</summary>
    public static TheoryData<string> TimeBases => new() { nameof(TimeBaseChoice.Counter), nameof(TimeBaseChoice.Hardware), nameof(TimeBaseChoice.Adaptive) };

    [Fact]
    public void HardwareClockCheck_OnThisMachine_PassesWithOrderedReadingsOrSaysWhyNot()
    {
        if (TimeBaseScope.RealCounter)
        {
            // The check passed: readings handed between threads keep increasing, as it found.
            var handOff = new CounterHandOff();
            TestThread partner = TestThread.Start(handOff.Answer, "counter hand-off partner");
            Assert.Null(handOff.Ask(1_000));
            partner.Join();
        }
        else
        {
            Assert.False(string.IsNullOrWhiteSpace(HardwareClock.Refusal));
        }
    }

    [Fact]
    public void DiagnosticsTimeBase_OnEachTimeBase_NamesTheOneInUse()
    {
        using (TimeBaseScope.Use(TimeBaseChoice.Hardware))
        {
            Assert.Equal("hardware", StmDiagnostics.TimeBase);
        }

        using (TimeBaseScope.Use(TimeBaseChoice.Counter))
        {
            Assert.Equal("counter", StmDiagnostics.TimeBase);
        }
    }

    [Fact]
    public void Switching_EachWay_PutsEveryLaterStampAboveEveryEarlierOne()
    {
        using TimeBaseScope counter = TimeBaseScope.Use(TimeBaseChoice.Counter);
        var tvar = new TVar<int>(0);
        tvar.Write(1);
        long onCounter = tvar.Current.Stamp;

        long onHardware;
        using (TimeBaseScope.Use(TimeBaseChoice.Hardware))
        {
            Assert.True(VersionClock.UsesHardware);
            tvar.Write(2);
            onHardware = tvar.Current.Stamp;
            Assert.True(onHardware > onCounter, $"hardware stamp {onHardware} after counter stamp {onCounter}");
            Assert.Equal(2, Atomic.Run(() => tvar.Value));

            // The reclaimer's pause needs the counter: it switches there and back.
            Assert.True(VersionClock.TryPause(out long paused));
            Assert.False(VersionClock.UsesHardware);
            VersionClock.Resume(paused);
            Assert.True(VersionClock.UsesHardware);
            tvar.Write(3);
            Assert.True(tvar.Current.Stamp > onHardware);
            onHardware = tvar.Current.Stamp;
        }

        Assert.False(VersionClock.UsesHardware);
        tvar.Write(4);
        Assert.True(tvar.Current.Stamp > onHardware, $"counter stamp {tvar.Current.Stamp} after hardware stamp {onHardware}");
        Assert.Equal(4, Atomic.Run(() => tvar.Value));
    }

    [Fact]
    public void Adaptive_CommitsThatKeepMeetingTwoOtherCommits_SwitchToHardware_ThenOneThreadAloneSwitchesBack()
    {
        using TimeBaseScope adaptive = TimeBaseScope.Use(TimeBaseChoice.Adaptive);
        Assert.False(VersionClock.UsesHardware);
        var mine = new TVar<int>(0);
        var other = new TVar<int>(0);

        // Two threads committing: each commit meets one other commit. That stays on the counter.
        CommitWhileOthersCommit(mine, other, othersPerAttempt: 1);
        Assert.False(VersionClock.UsesHardware, "two committing threads stayed on the counter");

        // Three or more: each commit meets two others.
        CommitWhileOthersCommit(mine, other, othersPerAttempt: VersionClock.ForeignCommitsForHardware);
        Assert.True(VersionClock.UsesHardware, "the adaptive clock switched to the hardware counter");
        Assert.Equal(2 * VersionClock.MovedClocksBeforeHardware, mine.Value);

        // Alone, this thread's samples find only its own: it switches back.
        for (int i = 0; i < VersionClock.SampleInterval * (VersionClock.QuietSamples + 1); i++)
        {
            Atomic.Run(() => mine.Value++);
        }

        Assert.False(VersionClock.UsesHardware, "one thread committing alone switched back to the counter");
    }

    [Theory]
    [MemberData(nameof(TimeBases))]
    public void ForcedWriteSkew_OnEachTimeBase_OneWithdrawalReRunsAndTheConstraintHolds(string timeBaseName)
    {
        using TimeBaseScope scope = TimeBaseScope.Use(Enum.Parse<TimeBaseChoice>(timeBaseName));
        var x = new TVar<int>(50);
        var y = new TVar<int>(50);

        int heldRuns = ForcedWriteSkew.Run(x, y);

        Assert.Equal(2, heldRuns);
        Assert.True(x.Value + y.Value >= 0, $"x + y = {x.Value + y.Value}");
    }

    /// <summary>Every catcher of <see cref="PlantedBugTests"/> (by name), but the two that check the list itself.</summary>
    public static TheoryData<string> PlantedBugCatchers => new(
        typeof(PlantedBugTests).GetMethods(BindingFlags.Public | BindingFlags.Instance)
            .Where(static m => m.GetCustomAttribute<FactAttribute>() is not null && m.Name.Contains("_CaughtBy", StringComparison.Ordinal))
            .Select(static m => m.Name));

    [Theory]
    [MemberData(nameof(PlantedBugCatchers))]
    public void PlantedBug_OnTheHardwareTimeBase_IsCaughtByItsCatcher(string catcher)
    {
        using TimeBaseScope hardware = TimeBaseScope.Use(TimeBaseChoice.Hardware);
        MethodInfo method = typeof(PlantedBugTests).GetMethod(catcher)!;
        try
        {
            method.Invoke(new PlantedBugTests(), null);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            ExceptionDispatchInfo.Capture(e.InnerException).Throw();
        }

        Assert.True(VersionClock.UsesHardware, "the catcher ran on the hardware time base");
    }

    [Theory]
    [MemberData(nameof(TimeBases))]
    public void BankTransfers_OnEachTimeBaseWithForcedSwitches_ConserveMoneyInEverySnapshot(string timeBaseName)
    {
        TimeBaseChoice timeBase = Enum.Parse<TimeBaseChoice>(timeBaseName);
        using TimeBaseScope scope = TimeBaseScope.Use(timeBase);
        TVar<int>[] accounts = [.. Enumerable.Range(0, Accounts).Select(static _ => new TVar<int>(Balance))];
        int tornSums = 0;
        int done = 0;
        const int Writers = 3;
        const int Readers = 2;

        // Writers, readers, and (under the adaptive setting) a thread that keeps switching time bases under them.
        TestThread.RunAll(Writers + Readers + 1, worker =>
        {
            if (worker < Writers)
            {
                var random = new Random(worker);
                for (int i = 0; i < 20_000; i++)
                {
                    TVar<int> from = accounts[random.Next(Accounts)];
                    TVar<int> to = accounts[random.Next(Accounts)];
                    int amount = random.Next(1, 10);
                    Atomic.Run(() =>
                    {
                        from.Value -= amount;
                        to.Value += amount;
                    });
                }

                Interlocked.Increment(ref done);
            }
            else if (worker < Writers + Readers)
            {
                while (Volatile.Read(ref done) < Writers)
                {
                    int sum = Atomic.Run(() => accounts.Sum(static a => a.Value));
                    if (sum != Accounts * Balance)
                    {
                        Interlocked.Increment(ref tornSums);
                    }
                }
            }
            else if (timeBase == TimeBaseChoice.Adaptive)
            {
                while (Volatile.Read(ref done) < Writers)
                {
                    _ = VersionClock.UsesHardware ? VersionClock.TrySwitchToCounter() : VersionClock.TrySwitchToHardware();
                    Thread.Sleep(0);
                }
            }
        });

        Assert.Equal(0, tornSums);
        Assert.Equal(Accounts * Balance, accounts.Sum(static a => a.Value));
    }
}
