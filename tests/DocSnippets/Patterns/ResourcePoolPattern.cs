using Stm;
using Stm.Collections;

namespace DocSnippets.Patterns;

// snippet: pool
/// <summary>Resources that any thread may use, but only one at a time, parked in a queue while idle.</summary>
public sealed class Pool<T>
{
    private readonly TQueue<T> _idle;

    public Pool(IEnumerable<T> resources) => _idle = new TQueue<T>(resources);

    public TResult Use<TResult>(Func<T, TResult> work)
    {
        T resource = _idle.Dequeue();          // waits while every resource is in use
        try
        {
            return work(resource);
        }
        finally
        {
            _idle.Enqueue(resource);           // park it again for the next user
        }
    }

    // Two resources at once, or none: two callers that each need two cannot deadlock
    // holding one each.
    public TResult UseTwo<TResult>(Func<T, T, TResult> work)
    {
        (T first, T second) = Atomic.Run(() => (_idle.Dequeue(), _idle.Dequeue()));
        try
        {
            return work(first, second);
        }
        finally
        {
            Atomic.Run(() =>
            {
                _idle.Enqueue(first);
                _idle.Enqueue(second);
            });
        }
    }
}
// end snippet: pool

/// <summary>Runs the pool of the page.</summary>
public sealed class ResourcePoolPattern
{
    [Fact]
    public async Task Pool_NeverHandsOneResourceToTwoUsersAndTakesPairsWithoutDeadlock()
    {
        var pool = new Pool<Connection>([new Connection(), new Connection(), new Connection()]);

        Task[] users = [.. Enumerable.Range(0, 8).Select(i => Task.Run(() =>
        {
            for (int n = 0; n < 200; n++)
            {
                if ((i + n) % 3 == 0)
                {
                    pool.UseTwo(static (a, b) => a.Enter() + b.Enter() + a.Leave() + b.Leave());
                }
                else
                {
                    pool.Use(static c => c.Enter() + c.Leave());
                }
            }
        }))];

        await Task.WhenAll(users).WaitAsync(TimeSpan.FromSeconds(60));
    }

    /// <summary>A stand-in for a connection that must never have two users at once.</summary>
    private sealed class Connection
    {
        private int _users;

        public int Enter() => Interlocked.Increment(ref _users) == 1 ? 0 : throw new InvalidOperationException("two users at once");

        public int Leave() => Interlocked.Decrement(ref _users);
    }
}
