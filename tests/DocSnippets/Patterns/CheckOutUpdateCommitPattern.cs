using Stm;

namespace DocSnippets.Patterns;

/// <summary>docs/patterns.md, "Check out, update, commit".</summary>
public sealed class CheckOutUpdateCommitPattern
{
    [Fact]
    public async Task AddOneToBoth_ConcurrentJobs_AllLand()
    {
        var apples = new TVar<int>(0, "apples");
        var pears = new TVar<int>(0, "pears");

        // snippet: add-one-to-both
        // Check out two values, await a slow call, write both back, commit; on a clash, again.
        static ValueTask AddOneToBothAsync(TVar<int> a, TVar<int> b, CancellationToken cancellationToken) =>
            Atomic.RunAsync(async (checkout, ct) =>
            {
                (int x, int y) = checkout.Run(() => (a.Value, b.Value));   // check out
                await Task.Delay(2, ct);                                   // the slow call
                checkout.Run(() =>                                         // update
                {
                    a.Value = x + 1;
                    b.Value = y + 1;
                });
            }, cancellationToken);                                         // commit, or rinse and repeat
        // end snippet: add-one-to-both

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => AddOneToBothAsync(apples, pears, CancellationToken.None).AsTask()));

        Assert.Equal(8, apples.Value);
        Assert.Equal(8, pears.Value);
    }

    [Fact]
    public async Task Sample_CheckersRunnersAndAuditor_AddUp()
    {
        var store = new CheckoutCommit.Store(["apples", "pears", "plums"]);
        var clashes = new CheckoutCommit.ClashLog(limit: 0);
        var clock = new CheckoutCommit.RunClock(TimeSpan.FromMilliseconds(300));

        Task<CheckoutCommit.WorkerTally>[] workers =
        [
            Task.Run(() => CheckoutCommit.Workers.CheckerAsync(store, 0, clashes, clock)),
            Task.Run(() => CheckoutCommit.Workers.CheckerAsync(store, 1, clashes, clock)),
            Task.Run(() => CheckoutCommit.Workers.RunnerAsync(store, 0, clashes, clock)),
            Task.Run(() => CheckoutCommit.Workers.RunnerAsync(store, 1, clashes, clock)),
        ];
        (long audits, long oddSums) = await CheckoutCommit.Workers.AuditorAsync(store, clock);
        CheckoutCommit.WorkerTally[] tallies = await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(60));

        long committed = tallies.Sum(static t => t.Commits);
        int sum = store.Names.Sum(name => store[name].Value);
        Assert.Equal(2 * committed, sum);
        Assert.All(store.Names, name => Assert.Equal(store.CommittedJobsOf(name), store[name].Value));
        Assert.True(audits > 0);
        Assert.Equal(0, oddSums);
    }
}
