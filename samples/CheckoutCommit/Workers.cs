using Stm;

namespace CheckoutCommit;

/// <summary>
/// The three kinds of task in the sample. Every job checks out two named values, awaits a slow call
/// (no thread and no lock is held meanwhile), adds 1 to each, and commits; when another job committed
/// one of them in the meantime, the commit fails and the job is done again on a fresh checkout.
/// <list type="bullet">
/// <item>Checkers write the rinse-and-repeat loop themselves: <c>Atomic.Checkout()</c>, blocks,
/// <c>TryCommit()</c>.</item>
/// <item>Runners hand the loop to <c>Atomic.RunAsync</c> with a checkout body.</item>
/// <item>The auditor reads every value in two blocks with an await between them; a read-only
/// checkout always commits, and every job adds 2 to the sum, so any snapshot's sum is even.</item>
/// </list>
/// </summary>
internal static class Workers
{
    /// <summary>A checker: the hand-written loop, one job after another until the run is over.</summary>
    public static async Task<WorkerTally> CheckerAsync(Store store, int id, ClashLog clashes, RunClock clock)
    {
        var tally = new WorkerTally($"checker {id}");
        var random = new Random(id);
        while (!clock.IsOver)
        {
            (string first, string second) = store.PickTwo(random);
            TimeSpan slowCall = TimeSpan.FromMilliseconds(random.Next(1, 4));
            while (true)
            {
                using Checkout checkout = Atomic.Checkout();
                try
                {
                    // Check out: both values come from the checkout's snapshot.
                    (int a, int b) = checkout.Run(() => (store[first].Value, store[second].Value));

                    // The slow call: the checkout is held by no thread while it runs.
                    await Task.Delay(slowCall);

                    // Update: buffered in the checkout, invisible to everyone else until the commit.
                    checkout.Run(() =>
                    {
                        store[first].Value = a + 1;
                        store[second].Value = b + 1;
                    });

                    // Commit back: false if another job committed first or second since the check-out.
                    if (checkout.TryCommit())
                    {
                        break;
                    }
                }
                catch (ConflictException)
                {
                    // A block found the snapshot already out of date: the same clash, noticed earlier.
                }

                // Rinse and repeat.
                tally.Clashes++;
                clashes.Report(tally.Name, first, second);
            }

            tally.Commits++;
            store.RecordCommitted(first, second);
        }

        return tally;
    }

    /// <summary>A runner: the same job, with <c>Atomic.RunAsync</c> doing the rinsing and repeating.</summary>
    public static async Task<WorkerTally> RunnerAsync(Store store, int id, ClashLog clashes, RunClock clock)
    {
        var tally = new WorkerTally($"runner {id}");
        var random = new Random(1000 + id);
        while (!clock.IsOver)
        {
            (string first, string second) = store.PickTwo(random);
            TimeSpan slowCall = TimeSpan.FromMilliseconds(random.Next(1, 4));

            // The body runs again, on a fresh checkout, after every clash: it only reads and writes
            // TVars, and leaves counting and printing to handlers that run once the attempt is over.
            await Atomic.RunAsync(async (checkout, ct) =>
            {
                (int a, int b) = checkout.Run(() =>
                {
                    Atomic.AfterRollback(() =>
                    {
                        tally.Clashes++;
                        clashes.Report(tally.Name, first, second);
                    });
                    Atomic.AfterCommit(() =>
                    {
                        tally.Commits++;
                        store.RecordCommitted(first, second);
                    });
                    return (store[first].Value, store[second].Value);
                });
                await Task.Delay(slowCall, ct);
                checkout.Run(() =>
                {
                    store[first].Value = a + 1;
                    store[second].Value = b + 1;
                });
            });
        }

        return tally;
    }

    /// <summary>
    /// The auditor: read-only checkouts that read half the values, yield, and read the rest; counts
    /// the audits whose sum was odd (a torn snapshot, which must never happen).
    /// </summary>
    public static async Task<(long Audits, long OddSums)> AuditorAsync(Store store, RunClock clock)
    {
        long audits = 0;
        long oddSums = 0;
        int half = store.Names.Count / 2;
        while (!clock.IsOver)
        {
            using Checkout checkout = Atomic.Checkout();
            int sum = checkout.Run(() => store.Names.Take(half).Sum(name => store[name].Value));
            await Task.Yield();
            sum += checkout.Run(() => store.Names.Skip(half).Sum(name => store[name].Value));
            checkout.Commit();   // read-only: always commits
            audits++;
            if (sum % 2 != 0)
            {
                oddSums++;
            }

            // A breather, so the auditor does not keep a core busy on a small machine.
            await Task.Delay(1);
        }

        return (audits, oddSums);
    }
}
