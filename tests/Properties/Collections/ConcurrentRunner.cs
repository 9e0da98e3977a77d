using Xunit;

namespace Stm.Tests.Properties.Collections;

/// <summary>Starts worker threads behind a barrier and joins them with a timeout.</summary>
public static class ConcurrentRunner
{
    /// <summary>
    /// Runs <paramref name="work"/>(i) on <paramref name="threads"/> new threads started together,
    /// plus <paramref name="auditor"/> (if any) until they finish; rethrows the first failure.
    /// </summary>
    public static void Run(int threads, Action<int> work, Action? auditor = null)
    {
        int parties = threads + (auditor is null ? 0 : 1);
        using var start = new Barrier(parties);
        int running = threads;
        Exception? failure = null;
        var workers = new List<Thread>();
        for (int i = 0; i < threads; i++)
        {
            int index = i;
            workers.Add(new Thread(() => Guard(() =>
            {
                start.SignalAndWait();
                try
                {
                    work(index);
                }
                finally
                {
                    Interlocked.Decrement(ref running);
                }
            })));
        }

        if (auditor is not null)
        {
            workers.Add(new Thread(() => Guard(() =>
            {
                start.SignalAndWait();
                do
                {
                    auditor();
                }
                while (Volatile.Read(ref running) > 0 && Volatile.Read(ref failure) is null);
            })));
        }

        foreach (Thread worker in workers)
        {
            worker.Start();
        }

        foreach (Thread worker in workers)
        {
            Assert.True(worker.Join(TimeSpan.FromSeconds(60)), "a worker did not finish within 60 s (deadlock or livelock)");
        }

        if (failure is not null)
        {
            throw new InvalidOperationException("A worker failed: " + failure.Message, failure);
        }

        void Guard(Action action)
        {
            try
            {
                action();
            }
            catch (Exception ex)
            {
                Interlocked.CompareExchange(ref failure, ex, null);
            }
        }
    }
}
