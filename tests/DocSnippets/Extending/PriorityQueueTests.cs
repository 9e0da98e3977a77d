using System.Diagnostics;
using Stm;

namespace DocSnippets.Extending;

/// <summary>
/// docs/extending.md: the <see cref="TPriorityQueue{T}"/> it builds, used inside and outside
/// transactions, blocking and woken, composed with other TVars and with OrElse.
/// </summary>
public sealed class PriorityQueueTests
{
    /// <summary>The longest any wait of these tests may take before it counts as hung.</summary>
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    [Fact]
    public void OutsideTransactions_EachMemberIsItsOwnTransaction_LowestPriorityFirstThenInOrder()
    {
        var queue = new TPriorityQueue<string>();
        queue.Enqueue("write report", 2);
        queue.Enqueue("fix outage", 0);
        queue.Enqueue("answer mail", 2);
        queue.Enqueue("review", 1);

        string[] taken = [queue.Dequeue(), queue.Dequeue(), queue.Dequeue()];
        bool tookLast = queue.TryDequeue(out string? last);
        bool tookFromEmpty = queue.TryDequeue(out string? none);

        Assert.Equal(["fix outage", "review", "write report"], taken);
        Assert.True(tookLast);
        Assert.Equal("answer mail", last);
        Assert.False(tookFromEmpty);
        Assert.Null(none);
        Assert.True(queue.IsEmpty);
    }

    [Fact]
    public void InsideATransaction_MembersJoinIt_AndRollBackWithIt()
    {
        var queue = new TPriorityQueue<string>();
        queue.Enqueue("kept", 5);

        Assert.Throws<InvalidOperationException>(() => Atomic.Run(() =>
        {
            queue.Enqueue("added then rolled back", 0);
            Assert.Equal("added then rolled back", queue.Dequeue());
            Assert.Equal("kept", queue.Dequeue());
            Assert.True(queue.IsEmpty);
            throw new InvalidOperationException("abandon the transaction");
        }));
        string moved = Atomic.Run(() =>
        {
            queue.Enqueue("first", 1);
            return queue.Dequeue();
        });

        Assert.Equal("first", moved);
        Assert.True(queue.TryDequeue(out string? remaining));
        Assert.Equal("kept", remaining);
        Assert.True(queue.IsEmpty);
    }

    [Fact]
    public void Dequeue_OnAnEmptyQueue_BlocksUntilAProducerEnqueues()
    {
        var queue = new TPriorityQueue<string>();
        string? taken = null;
        var consumer = new Thread(() => taken = queue.Dequeue()) { IsBackground = true };
        consumer.Start();

        WaitUntil(() => IsWaitingOn("TPriorityQueue") || !consumer.IsAlive, "the consumer to wait");
        bool waitedForTheProducer = consumer.IsAlive;
        queue.Enqueue("work", 3);

        Assert.True(consumer.Join(Limit), "the consumer was not woken by the enqueue");
        Assert.True(waitedForTheProducer);
        Assert.Equal("work", taken);
        Assert.True(queue.IsEmpty);
    }

    [Fact]
    public async Task DequeueAsync_OnAnEmptyQueue_CompletesWhenAProducerEnqueues()
    {
        var queue = new TPriorityQueue<int>();

        Task<int> pending = queue.DequeueAsync().AsTask();
        bool completedBeforeTheEnqueue = pending.IsCompleted;
        queue.Enqueue(42, 0);

        Assert.False(completedBeforeTheEnqueue);
        Assert.Equal(42, await pending.WaitAsync(Limit));
    }

    [Fact]
    public void Dequeue_ComposedWithOtherTVars_CommitsTogetherOrRollsBackTogether()
    {
        var jobs = new TPriorityQueue<(string Name, decimal Cost)>();
        var budget = new TVar<decimal>(10m, "budget");
        jobs.Enqueue(("expensive", 25m), 0);
        jobs.Enqueue(("cheap", 4m), 1);

        Assert.Throws<InvalidOperationException>(() => TakeWithinBudget(jobs, budget));
        decimal budgetAfterRefusal = budget.Value;
        bool refusedJobStillQueued = jobs.TryDequeue(out var refused);
        (string name, decimal cost) = TakeWithinBudget(jobs, budget);

        Assert.Equal(10m, budgetAfterRefusal);
        Assert.True(refusedJobStillQueued);
        Assert.Equal("expensive", refused.Name);
        Assert.Equal(("cheap", 4m), (name, cost));
        Assert.Equal(6m, budget.Value);
        Assert.True(jobs.IsEmpty);
    }

    [Fact]
    public void Dequeue_InOrElse_TakesFromTheFirstQueueThatHasAnItem()
    {
        var urgent = new TPriorityQueue<string>();
        var normal = new TPriorityQueue<string>();
        normal.Enqueue("routine", 0);

        // snippet: or-else
        // The first queue that has an item; if neither has one, wait for either.
        string next = Atomic.Run(() => Atomic.OrElse(() => urgent.Dequeue(), () => normal.Dequeue()));
        // end snippet: or-else

        urgent.Enqueue("now", 0);
        string afterUrgent = Atomic.Run(() => Atomic.OrElse(() => urgent.Dequeue(), () => normal.Dequeue()));

        Assert.Equal("routine", next);
        Assert.Equal("now", afterUrgent);
        Assert.True(urgent.IsEmpty && normal.IsEmpty);
    }

    [Fact]
    public void Dequeue_InsideTryRun_GivesUpAtTheTimeoutAndChangesNothing()
    {
        var queue = new TPriorityQueue<string>();
        var taken = new TVar<int>(0, "taken");

        bool committed = Atomic.TryRun(
            () =>
            {
                taken.Value += 1;
                queue.Dequeue();
            },
            TimeSpan.FromMilliseconds(20));

        Assert.False(committed);
        Assert.Equal(0, taken.Value);
        Assert.True(queue.IsEmpty);
    }

    private static (string Name, decimal Cost) TakeWithinBudget(TPriorityQueue<(string Name, decimal Cost)> jobs, TVar<decimal> budget)
    {
        // snippet: compose
        // Take the most urgent job and pay for it, in one transaction: if the budget cannot pay,
        // the exception rolls the Dequeue back too, and the job stays queued.
        var job = Atomic.Run(() =>
        {
            var next = jobs.Dequeue();        // waits while there is no job
            if (budget.Value < next.Cost)
            {
                throw new InvalidOperationException($"{next.Name} costs more than the budget left");
            }

            budget.Value -= next.Cost;
            return next;
        });
        // end snippet: compose
        return job;
    }

    /// <summary>True if a transaction is waiting on the TVar named <paramref name="name"/>.</summary>
    private static bool IsWaitingOn(string name) =>
        StmDiagnostics.GetSnapshot().WaitingTransactions.Any(w => w.WaitsOn.Any(t => t.Name == name));

    /// <summary>Spins until <paramref name="condition"/> holds; fails the test after <see cref="Limit"/>.</summary>
    private static void WaitUntil(Func<bool> condition, string what)
    {
        var stopwatch = Stopwatch.StartNew();
        var spinner = default(SpinWait);
        while (!condition())
        {
            Assert.True(stopwatch.Elapsed < Limit, $"Timed out after {Limit} waiting for {what}.");
            spinner.SpinOnce();
        }
    }
}
