namespace Stm.Tests.Properties.Core;

/// <summary>Runs one body per worker thread, all released together by a barrier, bounded by a timeout.</summary>
public static class Workers
{
    /// <summary>The bound of a property run, unless a planted-bug test has shortened it.</summary>
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(20);

    /// <summary>A shorter bound set by <see cref="Shorten"/>, in ticks (0 when none).</summary>
    private static long s_shortenedTicks;

    /// <summary>The longest any property run may take before it counts as hung.</summary>
    public static TimeSpan Timeout
    {
        get
        {
            long ticks = Interlocked.Read(ref s_shortenedTicks);
            return ticks == 0 ? DefaultTimeout : TimeSpan.FromTicks(ticks);
        }
    }

    /// <summary>
    /// Shortens <see cref="Timeout"/> until the returned scope is disposed, for a test that runs a
    /// property with a bug planted that loses wake-ups: what is lost never comes, so any bound shows
    /// it, and a short one keeps the proof quick. Only for tests that run alone (it is process-wide).
    /// </summary>
    public static IDisposable Shorten(TimeSpan timeout)
    {
        Interlocked.Exchange(ref s_shortenedTicks, timeout.Ticks);
        return new Restore();
    }

    /// <summary>
    /// Starts <paramref name="count"/> background threads running <paramref name="body"/>(index)
    /// behind a barrier and waits for them. Returns null when all finished, else a description of
    /// what went wrong (a thread that hung or threw).
    /// </summary>
    public static string? Run(int count, Action<int> body)
    {
        var errors = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var start = new Barrier(count);
        var threads = new Thread[count];
        for (var i = 0; i < count; i++)
        {
            var index = i;
            threads[i] = new Thread(() =>
            {
                try
                {
                    start.SignalAndWait();
                    body(index);
                }
                catch (Exception exception)
                {
                    errors.Enqueue($"worker {index} threw {exception}");
                }
            })
            {
                IsBackground = true,
                Name = $"property worker {index}",
            };
        }

        foreach (var thread in threads)
        {
            thread.Start();
        }

        var deadline = DateTime.UtcNow + Timeout;
        for (var i = 0; i < count; i++)
        {
            var left = deadline - DateTime.UtcNow;
            if (!threads[i].Join(left > TimeSpan.Zero ? left : TimeSpan.Zero))
            {
                return $"worker {i} still running after {Timeout.TotalSeconds} s (hung: lost wake-up, deadlock or livelock)";
            }
        }

        return errors.IsEmpty ? null : string.Join(Environment.NewLine, errors);
    }

    private sealed class Restore : IDisposable
    {
        public void Dispose() => Interlocked.Exchange(ref s_shortenedTicks, 0);
    }
}
