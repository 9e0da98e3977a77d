using System.Runtime.ExceptionServices;
using Xunit;

namespace Stm.Tests.Unit.Core;

/// <summary>
/// A dedicated background thread that records the exception its work throws, so the test can join
/// it with a time bound and rethrow that exception on the test thread.
/// </summary>
internal sealed class TestThread
{
    /// <summary>The underlying thread; background, so a hung worker never keeps the test host alive.</summary>
    private readonly Thread _thread;

    /// <summary>The exception the work threw, if any; published to the joiner by <see cref="Thread.Join()"/>.</summary>
    private Exception? _error;

    private TestThread(Action work, string name)
    {
        _thread = new Thread(() =>
        {
            try
            {
                work();
            }
            catch (Exception e)
            {
                _error = e;
            }
        })
        {
            IsBackground = true,
            Name = name,
        };
    }

    /// <summary>True while the thread is blocked (waiting, sleeping or joining).</summary>
    public bool IsBlocked => (_thread.ThreadState & ThreadState.WaitSleepJoin) != 0;

    /// <summary>True once the work has returned or thrown.</summary>
    public bool IsFinished => !_thread.IsAlive && (_thread.ThreadState & ThreadState.Unstarted) == 0;

    /// <summary>Starts <paramref name="work"/> on a new thread.</summary>
    public static TestThread Start(Action work, string name = "test worker")
    {
        var thread = new TestThread(work, name);
        thread._thread.Start();
        return thread;
    }

    /// <summary>Runs <paramref name="work"/>(index) on <paramref name="count"/> threads and joins them all.</summary>
    public static void RunAll(int count, Action<int> work, TimeSpan? limit = null)
    {
        var threads = new TestThread[count];
        for (int i = 0; i < count; i++)
        {
            int index = i;
            threads[i] = Start(() => work(index), $"test worker {index}");
        }

        foreach (var thread in threads)
        {
            thread.Join(limit ?? Bounded.Limit);
        }
    }

    /// <summary>Joins within <see cref="Bounded.Limit"/> and rethrows what the work threw.</summary>
    public void Join() => Join(Bounded.Limit);

    /// <summary>Joins within <paramref name="limit"/> and rethrows what the work threw.</summary>
    public void Join(TimeSpan limit)
    {
        Assert.True(_thread.Join(limit), $"Thread '{_thread.Name}' did not finish within {limit}.");
        if (_error is not null)
        {
            ExceptionDispatchInfo.Capture(_error).Throw();
        }
    }

    /// <summary>Joins within <paramref name="limit"/>; false if the thread is still running, else what the work threw.</summary>
    public bool TryJoin(TimeSpan limit, out Exception? error)
    {
        bool finished = _thread.Join(limit);
        error = finished ? _error : null;
        return finished;
    }

    /// <summary>Joins within <see cref="Bounded.Limit"/> and returns what the work threw (null if it returned).</summary>
    public Exception? JoinCapturing()
    {
        Assert.True(_thread.Join(Bounded.Limit), $"Thread '{_thread.Name}' did not finish within {Bounded.Limit}.");
        return _error;
    }
}
