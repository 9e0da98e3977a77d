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
        RollBack(from, ref failures);
        if (!swallowFailures)
        {
            ThrowIfAny(failures, committed: false);
        }
    }

    /// <summary>Drops the handlers from <paramref name="from"/> on, running the AfterRollback ones among them; adds their failures to <paramref name="failures"/>.</summary>
    internal void RollBack(int from, ref List<Exception>? failures)
    {
        for (int i = from; i < _count; i++)
        {
            (Action action, bool afterCommit) = _entries[i];
            if (!afterCommit)
            {
                Invoke(action, ref failures);
            }
        }

        Truncate(from);
    }

    /// <summary>Runs the AfterCommit handlers in order, then forgets all handlers; adds their failures to <paramref name="failures"/>.</summary>
    internal void Commit(ref List<Exception>? failures)
    {
        for (int i = 0; i < _count; i++)
        {
            (Action action, bool afterCommit) = _entries[i];
            if (afterCommit)
            {
                Invoke(action, ref failures);
            }
        }

        Truncate(0);
    }

    /// <summary>
    /// Rethrows handler failures once every handler has run: one failure as it is, several as an
    /// <see cref="AggregateException"/>. Either way the exception's <see cref="Exception.Data"/>
    /// says whether the transaction committed (<see cref="CommittedKey"/>), since a handler's
    /// failure never undoes a commit.
    /// </summary>
    internal static void ThrowIfAny(List<Exception>? failures, bool committed)
    {
        if (failures is null)
        {
            return;
        }

        Exception thrown = failures.Count == 1
            ? failures[0]
            : new AggregateException(
                committed
                    ? $"The transaction committed, but {failures.Count} of its handlers threw; see the inner exceptions."
                    : $"{failures.Count} AfterRollback handlers threw; see the inner exceptions.",
                failures);
        thrown.Data[CommittedKey] = committed;
        ExceptionDispatchInfo.Capture(thrown).Throw();
    }

    /// <summary>The <see cref="Exception.Data"/> key under which a handler's failure says whether its transaction committed.</summary>
    internal const string CommittedKey = "Stm.TransactionCommitted";

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
}
