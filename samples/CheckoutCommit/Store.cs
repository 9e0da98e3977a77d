using System.Collections.Frozen;
using Stm;

namespace CheckoutCommit;

/// <summary>
/// The shared store: a fixed set of named values, each a <see cref="TVar{T}"/> named after its key
/// (the name shows up in <see cref="ConflictException.TVarName"/> and the engine's metrics). Beside
/// it, outside the STM, a tally of the jobs that committed per name, kept by the workers after each
/// commit, for the final audit.
/// </summary>
internal sealed class Store
{
    /// <summary>The values by name; built once, so looking one up needs no transaction.</summary>
    private readonly FrozenDictionary<string, TVar<int>> _values;

    /// <summary>Committed jobs per name, in the order of <see cref="Names"/>; updated with Interlocked after each commit.</summary>
    private readonly long[] _committedJobs;

    /// <summary>Creates the store with every value at 0.</summary>
    public Store(IReadOnlyList<string> names)
    {
        Names = names;
        _values = names.ToFrozenDictionary(static name => name, static name => new TVar<int>(0, name), StringComparer.Ordinal);
        _committedJobs = new long[names.Count];
    }

    /// <summary>The names, in a fixed order.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>The TVar holding the value called <paramref name="name"/>.</summary>
    public TVar<int> this[string name] => _values[name];

    /// <summary>Picks two different names at random (outside any block: a body must not draw numbers).</summary>
    public (string First, string Second) PickTwo(Random random)
    {
        int first = random.Next(Names.Count);
        int second = random.Next(Names.Count - 1);
        return (Names[first], Names[second >= first ? second + 1 : second]);
    }

    /// <summary>Counts a committed job that added 1 to both names; call it after the commit.</summary>
    public void RecordCommitted(string first, string second)
    {
        Interlocked.Increment(ref _committedJobs[IndexOf(first)]);
        Interlocked.Increment(ref _committedJobs[IndexOf(second)]);
    }

    /// <summary>How many committed jobs added 1 to <paramref name="name"/>.</summary>
    public long CommittedJobsOf(string name) => Interlocked.Read(ref _committedJobs[IndexOf(name)]);

    private int IndexOf(string name)
    {
        for (int i = 0; i < Names.Count; i++)
        {
            if (string.Equals(Names[i], name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        throw new ArgumentException($"'{name}' is not a name in the store.", nameof(name));
    }
}
