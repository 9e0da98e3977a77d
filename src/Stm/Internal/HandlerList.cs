using System.Runtime.ExceptionServices;

namespace Stm.Internal;

/// <summary>
/// The <see cref="Atomic.AfterCommit"/> and <see cref="Atomic.AfterRollback"/> handlers of the current
/// attempt, in registration order. A nested scope owns the handlers registered since it began.
/// </summary>
internal sealed class HandlerList
{
    private (Action Action, bool AfterCommit)[] _entries = new (Action, bool)[4];
    private int _count;

    internal int Count => _count;

    internal void Add(Action action, bool afterCommit)
    {
        if (_count == _entries.Length)
        {
            Array.Resize(ref _entries, _entries.Length * 2);
        }

        _entries[_count++] = (action, afterCommit);
    }

    /// <summary>
    /// Drops the handlers from <paramref name="from"/> on, first running the AfterRollback ones among
    /// them in order. Every handler runs even if one throws; the first failure is then rethrown
    /// (several become an <see cref="AggregateException"/>), unless <paramref name="swallowFailures"/>.
    /// </summary>
    internal void RollBack(int from, bool swallowFailures)
    {
        List<Exception>? failures = null;
        for (int i = from; i < _count; i++)
        {
            (Action action, bool afterCommit) = _entries[i];
            if (!afterCommit)
            {
                Invoke(action, ref failures);
            }
        }

        Truncate(from);
        if (!swallowFailures)
        {
            ThrowIfAny(failures);
        }
    }

    /// <summary>Runs the AfterCommit handlers in order, then forgets all handlers.</summary>
    internal void Commit()
    {
        List<Exception>? failures = null;
        for (int i = 0; i < _count; i++)
        {
            (Action action, bool afterCommit) = _entries[i];
            if (afterCommit)
            {
                Invoke(action, ref failures);
            }
        }

        Truncate(0);
        ThrowIfAny(failures);
    }

    internal void Truncate(int count)
    {
        Array.Clear(_entries, count, _count - count);
        _count = count;
    }

    private static void Invoke(Action action, ref List<Exception>? failures)
    {
        try
        {
            action();
        }
        catch (Exception ex)
        {
            (failures ??= []).Add(ex);
        }
    }

    private static void ThrowIfAny(List<Exception>? failures)
    {
        if (failures is null)
        {
            return;
        }

        if (failures.Count == 1)
        {
            ExceptionDispatchInfo.Capture(failures[0]).Throw();
        }

        throw new AggregateException("Several transaction handlers threw; see the inner exceptions.", failures);
    }
}
