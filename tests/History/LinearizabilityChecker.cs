using System.Globalization;
using System.Text;

namespace Stm.Testing.History;

/// <summary>
/// Checks that a concurrent history of operations is linearizable with respect to a sequential
/// model: that every operation can be given a point between its invocation and its response at
/// which it takes effect, such that running the model in that order gives every recorded result.
/// The search is Wing and Gong's with Lowe's memoisation of (linearized set, model state) pairs
/// (WGL, as in Knossos and Porcupine). Meant for small histories (tens to a few hundred operations).
/// </summary>
public static class LinearizabilityChecker
{
    /// <summary>Checks a history against a sequential model.</summary>
    /// <typeparam name="TState">The model's state; must be immutable (the search keeps old states).</typeparam>
    /// <typeparam name="TInput">The operation and its arguments.</typeparam>
    /// <typeparam name="TOutput">What operations return.</typeparam>
    /// <param name="initialState">The model's state before the first operation.</param>
    /// <param name="history">The operations, in any order.</param>
    /// <param name="model">
    /// The sequential model: from a state and an operation, the next state and the result the
    /// operation must return. Must be pure.
    /// </param>
    /// <param name="stateComparer">Compares model states (memoisation); the default comparer when null. Use <see cref="SequenceEqualityComparer{TSequence, TElement}"/> for immutable collections.</param>
    /// <param name="outputComparer">Compares results; the default comparer when null.</param>
    /// <returns>The result, with a linearization or a readable counterexample.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="history"/>, an operation of it, or <paramref name="model"/> is null.</exception>
    public static LinearizabilityResult Check<TState, TInput, TOutput>(
        TState initialState,
        IReadOnlyList<TimedOperation<TInput, TOutput>> history,
        Func<TState, TInput, (TState Next, TOutput Result)> model,
        IEqualityComparer<TState>? stateComparer = null,
        IEqualityComparer<TOutput>? outputComparer = null)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(model);
        var operations = history.ToArray();
        if (Array.IndexOf(operations, null) >= 0)
        {
            throw new ArgumentNullException(nameof(history), "The history must not contain null.");
        }

        stateComparer ??= EqualityComparer<TState>.Default;
        outputComparer ??= EqualityComparer<TOutput>.Default;

        // Entries: a call per operation and a return per completed one, sorted by time; at equal
        // times calls come first, so operations that touch at one instant count as concurrent.
        var entries = new List<(long Time, bool IsCall, int Operation)>();
        var completed = 0;
        for (var i = 0; i < operations.Length; i++)
        {
            entries.Add((operations[i].Invoked, true, i));
            if (!operations[i].IsPending)
            {
                entries.Add((operations[i].Returned, false, i));
                completed++;
            }
        }

        entries.Sort((a, b) => a.Time != b.Time ? a.Time.CompareTo(b.Time) : b.IsCall.CompareTo(a.IsCall));

        // A doubly linked list over the entries with a head sentinel (index 0), unlinked and
        // relinked in stack order ("dancing links").
        var count = entries.Count;
        var next = new int[count + 1];
        var previous = new int[count + 1];
        var isCall = new bool[count + 1];
        var operationOf = new int[count + 1];
        var match = new int[count + 1];
        var callEntry = new int[operations.Length];
        var returnEntry = new int[operations.Length];
        Array.Fill(returnEntry, -1);
        for (var i = 0; i < count; i++)
        {
            var node = i + 1;
            previous[node] = node - 1;
            next[node] = node + 1 <= count ? node + 1 : -1;
            isCall[node] = entries[i].IsCall;
            operationOf[node] = entries[i].Operation;
            if (entries[i].IsCall)
            {
                callEntry[entries[i].Operation] = node;
            }
            else
            {
                returnEntry[entries[i].Operation] = node;
            }
        }

        next[0] = count > 0 ? 1 : -1;
        for (var node = 1; node <= count; node++)
        {
            match[node] = isCall[node] ? returnEntry[operationOf[node]] : callEntry[operationOf[node]];
        }

        void Unlink(int node)
        {
            next[previous[node]] = next[node];
            if (next[node] != -1)
            {
                previous[next[node]] = previous[node];
            }
        }

        void Relink(int node)
        {
            next[previous[node]] = node;
            if (next[node] != -1)
            {
                previous[next[node]] = node;
            }
        }

        var cache = new HashSet<(LinearizationSet, TState)>(new CacheKeyComparer<TState>(stateComparer));
        var stack = new Stack<(int Entry, TState StateBefore, LinearizationSet LinearizedBefore)>();
        var linearized = new LinearizationSet(operations.Length);
        var state = initialState;
        var linearizedCompleted = 0;

        // The deepest point reached, for the counterexample.
        var bestDepth = -1;
        int[] bestPrefix = [];
        var bestState = initialState;
        var bestBlocked = -1;
        var bestCandidates = new List<int>();

        var entry = next[0];
        while (true)
        {
            if (linearizedCompleted == completed)
            {
                var order = stack.Reverse().Select(s => operationOf[s.Entry]).ToArray();
                return new LinearizabilityResult(true, order, Describe(operations, order, "Linearizable. One order in which the operations take effect:"), cache.Count);
            }

            if (entry == -1 || !isCall[entry])
            {
                // The first return in the list belongs to an operation that must already have
                // taken effect: nothing more can be linearized from here, so backtrack.
                if (stack.Count > bestDepth)
                {
                    bestDepth = stack.Count;
                    bestPrefix = [.. stack.Reverse().Select(s => operationOf[s.Entry])];
                    bestState = state;
                    bestBlocked = entry == -1 ? -1 : operationOf[entry];
                    bestCandidates.Clear();
                    for (var node = next[0]; node != -1 && node != entry; node = next[node])
                    {
                        if (isCall[node])
                        {
                            bestCandidates.Add(operationOf[node]);
                        }
                    }
                }

                if (stack.Count == 0)
                {
                    return new LinearizabilityResult(false, bestPrefix, Counterexample(operations, model, outputComparer, bestPrefix, bestState, bestBlocked, bestCandidates), cache.Count);
                }

                var (top, stateBefore, linearizedBefore) = stack.Pop();
                state = stateBefore;
                linearized = linearizedBefore;
                if (!operations[operationOf[top]].IsPending)
                {
                    linearizedCompleted--;
                }

                if (match[top] != -1)
                {
                    Relink(match[top]);
                }

                Relink(top);
                entry = next[top];
                continue;
            }

            var operation = operations[operationOf[entry]];
            var (nextState, result) = model(state, operation.Input);
            if (operation.IsPending || outputComparer.Equals(result, operation.Output!))
            {
                var nextLinearized = linearized.With(operationOf[entry]);
                if (cache.Add((nextLinearized, nextState)))
                {
                    stack.Push((entry, state, linearized));
                    state = nextState;
                    linearized = nextLinearized;
                    if (!operation.IsPending)
                    {
                        linearizedCompleted++;
                    }

                    Unlink(entry);
                    if (match[entry] != -1)
                    {
                        Unlink(match[entry]);
                    }

                    entry = next[0];
                    continue;
                }
            }

            entry = next[entry];
        }
    }

    /// <summary>Lists operations in order under a heading.</summary>
    private static string Describe<TInput, TOutput>(TimedOperation<TInput, TOutput>[] operations, int[] order, string heading)
    {
        var text = new StringBuilder(heading);
        for (var i = 0; i < order.Length; i++)
        {
            text.AppendLine().Append(CultureInfo.InvariantCulture, $"  {i + 1}. #{order[i]} {operations[order[i]]}");
        }

        return text.ToString();
    }

    /// <summary>Explains why the history cannot be linearized, from the deepest point the search reached.</summary>
    private static string Counterexample<TState, TInput, TOutput>(
        TimedOperation<TInput, TOutput>[] operations,
        Func<TState, TInput, (TState Next, TOutput Result)> model,
        IEqualityComparer<TOutput> outputComparer,
        int[] prefix,
        TState state,
        int blocked,
        List<int> candidates)
    {
        var text = new StringBuilder(Describe(
            operations,
            prefix,
            $"NOT linearizable ({operations.Length} operations). The longest linearizable prefix has {prefix.Length} operations:"));
        text.AppendLine().Append("  model state after it: ").Append(HistoryFormat.Value(state));
        if (blocked >= 0)
        {
            text.AppendLine().Append(CultureInfo.InvariantCulture, $"Operation #{blocked} {operations[blocked]} must take effect before it returns, but no operation can take effect next:");
        }
        else
        {
            text.AppendLine().Append("No remaining operation can take effect next:");
        }

        foreach (var candidate in candidates)
        {
            var operation = operations[candidate];
            var (_, result) = model(state, operation.Input);
            var verdict = operation.IsPending || outputComparer.Equals(result, operation.Output!)
                ? "the model agrees, but every continuation after it fails"
                : $"the model answers {HistoryFormat.Value(result)}, not {HistoryFormat.Value(operation.Output)}";
            text.AppendLine().Append(CultureInfo.InvariantCulture, $"  #{candidate} {operation}: {verdict}");
        }

        return text.ToString();
    }
}
