using System.Collections.Immutable;
using System.Text;

namespace Stm.Testing.History;

/// <summary>
/// One run of <see cref="SerializabilityChecker.Check"/> over one history: indexes the appends and
/// reads, recovers each key's version order, builds the dependency graph and collects anomalies.
/// </summary>
/// <remarks>
/// "Participants" are the transactions whose reads are checked: the committed ones, plus the
/// aborted ones (as read-only transactions) when aborted reads are checked. Only committed
/// transactions' appends are part of the history.
/// </remarks>
internal sealed class ListAppendAnalysis
{
    /// <summary>How many read-write edges of one component are tried when looking for a G2 cycle.</summary>
    private const int MaxG2Attempts = 256;

    /// <summary>Every transaction of the history, in the order given.</summary>
    private readonly RecordedTransaction[] _transactions;

    /// <summary>Whether aborted transactions' reads are checked too.</summary>
    private readonly bool _checkAbortedReads;

    /// <summary>Whether real-time order is checked too.</summary>
    private readonly bool _checkRealTime;

    /// <summary>Transactions by id.</summary>
    private readonly Dictionary<int, RecordedTransaction> _byId = [];

    /// <summary>The anomalies found, in the order found.</summary>
    private readonly List<Anomaly> _anomalies = [];

    /// <summary>(kind, a, b, c) of anomalies already reported, so each is reported once.</summary>
    private readonly HashSet<(AnomalyKind Kind, int A, int B, int C)> _reported = [];

    /// <summary>The dependency graph between participants.</summary>
    private readonly DependencyGraph _graph = new();

    /// <summary>Element to the (first) transaction that appended it and the key it went to.</summary>
    private readonly Dictionary<int, (RecordedTransaction Writer, int Key)> _writerOf = [];

    /// <summary>(transaction, key) to the elements it appended there, in program order.</summary>
    private readonly Dictionary<(int Transaction, int Key), List<int>> _appends = [];

    /// <summary>Transaction to the keys it appended to, in program order of the first append.</summary>
    private readonly Dictionary<int, List<int>> _appendedKeys = [];

    /// <summary>Key to every (transaction, element) appended there, in history order.</summary>
    private readonly Dictionary<int, List<(int Transaction, int Element)>> _appendsByKey = [];

    /// <summary>Key to every participant's external read of it.</summary>
    private readonly Dictionary<int, List<(int Reader, ImmutableArray<int> Observed)>> _externalReadsByKey = [];

    /// <summary>Participant to its external reads (the first read of a key before its own appends there).</summary>
    private readonly Dictionary<int, Dictionary<int, ImmutableArray<int>>> _externalReads = [];

    /// <summary>Key to every list observed for it that must be a prefix of the version order.</summary>
    private readonly Dictionary<int, List<(RecordedTransaction Reader, ImmutableArray<int> Observed)>> _observations = [];

    /// <summary>Creates the analysis of one history (ids already checked unique).</summary>
    public ListAppendAnalysis(RecordedTransaction[] transactions, bool checkAbortedReads, bool checkRealTime)
    {
        _transactions = transactions;
        _checkAbortedReads = checkAbortedReads;
        _checkRealTime = checkRealTime;
        foreach (var transaction in transactions)
        {
            _byId[transaction.Id] = transaction;
        }
    }

    /// <summary>Runs every check and returns the report.</summary>
    public SerializabilityReport Run()
    {
        IndexAppends();
        IndexReads();
        CheckObservedElements();
        InferDependencies();
        FindLostUpdates();
        FindFracturedReads();
        FindCycles();
        if (_checkRealTime)
        {
            AddRealTimeOrder();
            FindRealTimeCycles();
        }

        return new SerializabilityReport(_transactions.Length, _graph.EdgeCount, _anomalies);
    }

    /// <summary>Whether the reads of <paramref name="transaction"/> are checked.</summary>
    private bool IsParticipant(RecordedTransaction transaction) =>
        transaction.Outcome == TransactionOutcome.Committed || _checkAbortedReads;

    /// <summary>Whether <paramref name="id"/> is a committed transaction.</summary>
    private bool IsCommitted(int id) =>
        _byId.TryGetValue(id, out var transaction) && transaction.Outcome == TransactionOutcome.Committed;

    /// <summary>Indexes every append: its writer, and each transaction's appends per key.</summary>
    private void IndexAppends()
    {
        foreach (var transaction in _transactions)
        {
            foreach (var operation in transaction.Operations)
            {
                if (operation.Kind != MicroOperationKind.Append)
                {
                    continue;
                }

                if (!_appends.TryGetValue((transaction.Id, operation.Key), out var elements))
                {
                    _appends[(transaction.Id, operation.Key)] = elements = [];
                    if (!_appendedKeys.TryGetValue(transaction.Id, out var keys))
                    {
                        _appendedKeys[transaction.Id] = keys = [];
                    }

                    keys.Add(operation.Key);
                }

                elements.Add(operation.Element);
                if (!_appendsByKey.TryGetValue(operation.Key, out var byKey))
                {
                    _appendsByKey[operation.Key] = byKey = [];
                }

                byKey.Add((transaction.Id, operation.Element));
                if (_writerOf.TryGetValue(operation.Element, out var first))
                {
                    Report(
                        AnomalyKind.DuplicateElement,
                        (operation.Element, first.Writer.Id, transaction.Id),
                        [first.Writer.Id, transaction.Id],
                        $"element {operation.Element} was appended twice: by {T(first.Writer.Id)} to key {first.Key} and by {T(transaction.Id)} to key {operation.Key}; elements must be unique.");
                }
                else
                {
                    _writerOf[operation.Element] = (transaction, operation.Key);
                }
            }
        }
    }

    /// <summary>Indexes the participants' reads and checks each transaction against its own appends.</summary>
    private void IndexReads()
    {
        foreach (var transaction in _transactions)
        {
            if (!IsParticipant(transaction))
            {
                continue;
            }

            var external = new Dictionary<int, ImmutableArray<int>>();
            _externalReads[transaction.Id] = external;
            var own = new Dictionary<int, List<int>>();
            foreach (var operation in transaction.Operations)
            {
                if (operation.Kind == MicroOperationKind.Append)
                {
                    if (!own.TryGetValue(operation.Key, out var mine))
                    {
                        own[operation.Key] = mine = [];
                    }

                    mine.Add(operation.Element);
                    continue;
                }

                var observed = operation.Observed;
                if (!own.TryGetValue(operation.Key, out var appendedSoFar))
                {
                    if (external.TryGetValue(operation.Key, out var earlier))
                    {
                        if (!earlier.SequenceEqual(observed))
                        {
                            ReportInternal(transaction, operation.Key, $"{T(transaction.Id)} read key {operation.Key} twice without appending to it in between and saw {L(earlier)} then {L(observed)} (non-repeatable read).");
                        }

                        continue;
                    }

                    external[operation.Key] = observed;
                    if (!_externalReadsByKey.TryGetValue(operation.Key, out var readsOfKey))
                    {
                        _externalReadsByKey[operation.Key] = readsOfKey = [];
                    }

                    readsOfKey.Add((transaction.Id, observed));
                    Observe(operation.Key, transaction, observed);
                    continue;
                }

                var suffixMatches = observed.Length >= appendedSoFar.Count
                    && observed.Skip(observed.Length - appendedSoFar.Count).SequenceEqual(appendedSoFar);
                if (!suffixMatches)
                {
                    ReportInternal(transaction, operation.Key, $"{T(transaction.Id)} appended {L(appendedSoFar)} to key {operation.Key} and then read {L(observed)}, which does not end with its own appends.");
                    continue;
                }

                if (external.TryGetValue(operation.Key, out var before) && !before.Concat(appendedSoFar).SequenceEqual(observed))
                {
                    ReportInternal(transaction, operation.Key, $"{T(transaction.Id)} read key {operation.Key} = {L(before)}, appended {L(appendedSoFar)}, then read {L(observed)} instead of {L(before.Concat(appendedSoFar))}.");
                    continue;
                }

                if (transaction.Outcome == TransactionOutcome.Committed)
                {
                    // A committed transaction's read of its own appends is a real version of the key.
                    Observe(operation.Key, transaction, observed);
                }
            }
        }
    }

    /// <summary>Adds a list that must be a prefix of the version order of <paramref name="key"/>.</summary>
    private void Observe(int key, RecordedTransaction reader, ImmutableArray<int> observed)
    {
        if (!_observations.TryGetValue(key, out var list))
        {
            _observations[key] = list = [];
        }

        list.Add((reader, observed));
    }

    /// <summary>Checks every element that participants observed: known, committed, final, unique.</summary>
    private void CheckObservedElements()
    {
        foreach (var (readerId, reads) in _externalReads)
        {
            foreach (var (key, observed) in reads)
            {
                var seen = new HashSet<int>();
                foreach (var element in observed)
                {
                    if (!seen.Add(element))
                    {
                        Report(
                            AnomalyKind.DuplicateElement,
                            (readerId, key, element),
                            [readerId],
                            $"{T(readerId)} read key {key} = {L(observed)}, which holds element {element} twice.");
                    }

                    if (!_writerOf.TryGetValue(element, out var writer) || writer.Key != key)
                    {
                        ReportDirty(AnomalyKind.G1a, readerId, 0, key, $"{T(readerId)} read key {key} = {L(observed)}, but no transaction appended {element} to key {key}.");
                    }
                    else if (writer.Writer.Outcome == TransactionOutcome.Aborted)
                    {
                        ReportDirty(AnomalyKind.G1a, readerId, writer.Writer.Id, key, $"{T(readerId)} read key {key} = {L(observed)}, but element {element} was appended by {T(writer.Writer.Id)}, which aborted.");
                    }
                }

                if (observed.Length == 0 || !_writerOf.TryGetValue(observed[^1], out var last) || last.Key != key)
                {
                    continue;
                }

                var writerId = last.Writer.Id;
                if (writerId != readerId && last.Writer.Outcome == TransactionOutcome.Committed)
                {
                    var final = _appends[(writerId, key)][^1];
                    if (final != observed[^1])
                    {
                        ReportDirty(AnomalyKind.G1b, readerId, writerId, key, $"{T(readerId)} read key {key} = {L(observed)}, whose last element {observed[^1]} {T(writerId)} appended before its final append {final} to that key: an intermediate state.");
                    }
                }
            }
        }
    }

    /// <summary>Recovers every key's version order and adds the ww, wr and rw dependencies it implies.</summary>
    private void InferDependencies()
    {
        foreach (var transaction in _transactions)
        {
            if (IsParticipant(transaction))
            {
                _graph.AddNode(transaction.Id);
            }
        }

        foreach (var (key, observations) in _observations.OrderBy(pair => pair.Key))
        {
            var longest = observations.MaxBy(o => o.Observed.Length);
            var order = longest.Observed;
            var compatible = true;
            foreach (var (reader, observed) in observations)
            {
                if (observed.Length > order.Length || !order.AsSpan(0, observed.Length).SequenceEqual(observed.AsSpan()))
                {
                    Report(
                        AnomalyKind.IncompatibleOrder,
                        (key, 0, 0),
                        [longest.Reader.Id, reader.Id],
                        $"key {key}: {T(longest.Reader.Id)} read {L(order)} but {T(reader.Id)} read {L(observed)}; neither is a prefix of the other, so no single order of appends explains both."
                        + Environment.NewLine + Describe([longest.Reader.Id, reader.Id]));
                    compatible = false;
                    break;
                }
            }

            if (!compatible || order.Distinct().Count() != order.Length)
            {
                continue; // nothing sound can be inferred from this key
            }

            AddDependencies(key, order);
        }
    }

    /// <summary>Adds the dependencies that the version order <paramref name="order"/> of <paramref name="key"/> implies.</summary>
    private void AddDependencies(int key, ImmutableArray<int> order)
    {
        // The writer of each position, or 0 when it is not a committed transaction (already reported).
        var writers = new int[order.Length];
        for (var i = 0; i < order.Length; i++)
        {
            writers[i] = _writerOf.TryGetValue(order[i], out var writer) && writer.Key == key && writer.Writer.Outcome == TransactionOutcome.Committed
                ? writer.Writer.Id
                : 0;
        }

        // Committed appends to the key that no read observed: they can only come after the whole order.
        var positions = new HashSet<int>(order);
        var unobserved = new List<(int Writer, int Element)>();
        foreach (var (writerId, element) in _appendsByKey.GetValueOrDefault(key) ?? [])
        {
            if (IsCommitted(writerId) && !positions.Contains(element))
            {
                unobserved.Add((writerId, element));
            }
        }

        unobserved.Sort();

        for (var i = 1; i < order.Length; i++)
        {
            if (writers[i - 1] != 0 && writers[i] != 0)
            {
                _graph.Add(new Dependency(writers[i - 1], writers[i], DependencyKind.WriteWrite, key, $"{T(writers[i - 1])} appended {order[i - 1]} to key {key} and {T(writers[i])} appended {order[i]} right after it."));
            }
        }

        if (order.Length > 0 && writers[^1] != 0)
        {
            foreach (var (writerId, element) in unobserved)
            {
                _graph.Add(new Dependency(writers[^1], writerId, DependencyKind.WriteWrite, key, $"{T(writers[^1])} appended {order[^1]}, the last observed element of key {key}, and {T(writerId)}'s append of {element} (never observed) can only come after it."));
            }
        }

        foreach (var (readerId, observed) in _externalReadsByKey.GetValueOrDefault(key) ?? [])
        {
            var length = observed.Length;
            if (length > 0 && writers[length - 1] != 0)
            {
                _graph.Add(new Dependency(writers[length - 1], readerId, DependencyKind.WriteRead, key, $"{T(readerId)} read key {key} = {L(observed)}, whose last element {order[length - 1]} {T(writers[length - 1])} appended."));
            }

            if (length < order.Length)
            {
                if (writers[length] != 0)
                {
                    _graph.Add(new Dependency(readerId, writers[length], DependencyKind.ReadWrite, key, $"{T(readerId)} read key {key} = {L(observed)} and {T(writers[length])} appended {order[length]}, the next element, to that version."));
                }
            }
            else
            {
                foreach (var (writerId, element) in unobserved)
                {
                    _graph.Add(new Dependency(readerId, writerId, DependencyKind.ReadWrite, key, $"{T(readerId)} read key {key} = {L(observed)}, the longest list observed, so {T(writerId)}'s append of {element} (never observed) came after that version."));
                }
            }
        }
    }

    /// <summary>Names every group of committed transactions that read the same version of a key and all appended to it.</summary>
    private void FindLostUpdates()
    {
        // Elements are unique, so a version is known by its length and last element.
        var groups = new Dictionary<(int Key, int Length, int Last), List<int>>();
        foreach (var (readerId, reads) in _externalReads)
        {
            if (!IsCommitted(readerId))
            {
                continue;
            }

            foreach (var (key, observed) in reads)
            {
                if (!_appends.ContainsKey((readerId, key)))
                {
                    continue;
                }

                var version = (key, observed.Length, observed.Length == 0 ? 0 : observed[^1]);
                if (!groups.TryGetValue(version, out var readers))
                {
                    groups[version] = readers = [];
                }

                readers.Add(readerId);
            }
        }

        foreach (var ((key, _, _), readers) in groups.OrderBy(g => g.Key.Key))
        {
            if (readers.Count < 2)
            {
                continue;
            }

            readers.Sort();
            var appended = string.Join(", ", readers.Select(id => $"{T(id)} appended {L(_appends[(id, key)])}"));
            Report(
                AnomalyKind.LostUpdate,
                (key, readers[0], readers[1]),
                readers,
                $"{string.Join(" and ", readers.Select(T))} all read key {key} = {L(_externalReads[readers[0]][key])} and then appended to it ({appended}); in a serial order the later ones would have seen the earlier one's append."
                + Environment.NewLine + Describe(readers));
        }
    }

    /// <summary>Names every participant that saw some but not all of another committed transaction's appends.</summary>
    private void FindFracturedReads()
    {
        foreach (var (readerId, reads) in _externalReads)
        {
            var contents = reads.ToDictionary(pair => pair.Key, pair => new HashSet<int>(pair.Value));
            var writers = new List<int>();
            var seenWriters = new HashSet<int>();
            foreach (var (key, observed) in reads.OrderBy(pair => pair.Key))
            {
                foreach (var element in observed)
                {
                    if (_writerOf.TryGetValue(element, out var writer) && writer.Key == key && writer.Writer.Id != readerId
                        && writer.Writer.Outcome == TransactionOutcome.Committed && seenWriters.Add(writer.Writer.Id))
                    {
                        writers.Add(writer.Writer.Id);
                    }
                }
            }

            foreach (var writerId in writers)
            {
                (int Key, int Element)? saw = null;
                (int Key, int Element)? missed = null;
                foreach (var key in _appendedKeys[writerId])
                {
                    if (!contents.TryGetValue(key, out var content))
                    {
                        continue;
                    }

                    var elements = _appends[(writerId, key)];
                    if (content.Contains(elements[^1]))
                    {
                        saw ??= (key, elements[^1]);
                    }
                    else if (!elements.Any(content.Contains))
                    {
                        missed ??= (key, elements[0]);
                    }
                }

                if (saw is { } s && missed is { } m)
                {
                    Report(
                        AnomalyKind.FracturedRead,
                        (readerId, writerId, 0),
                        [writerId, readerId],
                        $"{T(readerId)} saw {T(writerId)}'s append of {s.Element} to key {s.Key} (read {L(reads[s.Key])}) but not its append of {m.Element} to key {m.Key} (read {L(reads[m.Key])}): it saw only part of a committed transaction."
                        + Environment.NewLine + Describe([writerId, readerId]));
                }
            }
        }
    }

    /// <summary>Finds the strongly connected components of the graph and names a cycle of each class in each.</summary>
    private void FindCycles()
    {
        static bool Ww(Dependency d) => d.Kind == DependencyKind.WriteWrite;
        static bool WwWr(Dependency d) => d.Kind is DependencyKind.WriteWrite or DependencyKind.WriteRead;
        static bool Rw(Dependency d) => d.Kind == DependencyKind.ReadWrite;
        static bool Any(Dependency d) => d.Kind != DependencyKind.RealTime;

        foreach (var component in _graph.Components(Any))
        {
            var found = false;

            foreach (var writeCycle in _graph.Components(Ww, component))
            {
                var cycle = _graph.FindPath(writeCycle.Min(), writeCycle.Min(), Ww, writeCycle);
                if (cycle is not null)
                {
                    ReportCycle(AnomalyKind.G0, cycle, "a cycle of write-write dependencies: each transaction's append was overwritten (extended) by the next one's, around a loop.");
                    found = true;
                    break;
                }
            }

            var informationComponents = _graph.Components(WwWr, component);
            foreach (var edge in _graph.EdgesWithin(component, d => d.Kind == DependencyKind.WriteRead))
            {
                var inner = informationComponents.Find(c => c.Contains(edge.From) && c.Contains(edge.To));
                var path = inner is null ? null : _graph.FindPath(edge.To, edge.From, WwWr, inner);
                if (path is not null)
                {
                    ReportCycle(AnomalyKind.G1c, [edge, .. path], "a cycle of write-write and write-read dependencies: information flowed from each transaction to the next around a loop.");
                    found = true;
                    break;
                }
            }

            foreach (var edge in _graph.EdgesWithin(component, Rw))
            {
                var path = _graph.FindPath(edge.To, edge.From, WwWr, component);
                if (path is not null)
                {
                    ReportCycle(AnomalyKind.GSingle, [edge, .. path], "a cycle with exactly one read-write (anti-)dependency: a transaction read a state that misses a write it also (transitively) depends on.");
                    found = true;
                    break;
                }
            }

            var g2 = false;
            var attempts = 0;
            foreach (var edge in _graph.EdgesWithin(component, Rw))
            {
                if (++attempts > MaxG2Attempts)
                {
                    break;
                }

                var path = _graph.FindPathWithReadWrite(edge.To, edge.From, component);
                if (path is not null && IsSimple([edge, .. path]))
                {
                    ReportCycle(AnomalyKind.G2, [edge, .. path], "a cycle with two or more read-write (anti-)dependencies: each transaction read a state that the next one's append changed.");
                    g2 = true;
                    break;
                }
            }

            if (!found && !g2)
            {
                // G0, G1c and G-single searches are exhaustive, so every cycle here has two or more rw edges.
                var start = component.Min();
                var cycle = _graph.FindPath(start, start, Any, component);
                if (cycle is not null)
                {
                    ReportCycle(AnomalyKind.G2, cycle, "a cycle with two or more read-write (anti-)dependencies: each transaction read a state that the next one's append changed.");
                }
            }
        }
    }

    /// <summary>
    /// Adds a real-time edge T1 -> T2 for each committed T1 that completed before T2 was invoked,
    /// keeping only the frontier (those not already before another such T1 in real time).
    /// </summary>
    private void AddRealTimeOrder()
    {
        var timed = _transactions
            .Where(t => t.Outcome == TransactionOutcome.Committed && t.Invoked > 0 && t.Completed > 0)
            .OrderBy(t => t.Completed)
            .ToArray();
        var maxInvoked = new long[timed.Length];
        for (var i = 0; i < timed.Length; i++)
        {
            maxInvoked[i] = Math.Max(i == 0 ? long.MinValue : maxInvoked[i - 1], timed[i].Invoked);
        }

        foreach (var later in timed)
        {
            // The prefix of transactions completed before `later` was invoked ...
            var count = 0;
            while (count < timed.Length && timed[count].Completed < later.Invoked)
            {
                count++;
            }

            // ... of which the frontier: those that completed after every one of them was invoked.
            for (var i = count - 1; i >= 0 && timed[i].Completed >= maxInvoked[count - 1]; i--)
            {
                _graph.Add(new Dependency(timed[i].Id, later.Id, DependencyKind.RealTime, 0, $"{T(timed[i].Id)} completed (at {timed[i].Completed}) before {T(later.Id)} was invoked (at {later.Invoked})."));
            }
        }
    }

    /// <summary>Reports a cycle through a real-time edge in each component of the whole graph.</summary>
    private void FindRealTimeCycles()
    {
        static bool All(Dependency d) => true;
        foreach (var component in _graph.Components(All))
        {
            foreach (var edge in _graph.EdgesWithin(component, d => d.Kind == DependencyKind.RealTime))
            {
                var path = _graph.FindPath(edge.To, edge.From, All, component);
                if (path is not null)
                {
                    ReportCycle(AnomalyKind.RealTime, [edge, .. path], "a cycle through real-time order: a transaction that completed before another began is ordered after it by what they read and wrote, so no serial order consistent with real time exists.");
                    break;
                }
            }
        }
    }

    /// <summary>Whether a cycle visits each transaction once.</summary>
    private static bool IsSimple(List<Dependency> cycle)
    {
        var nodes = new HashSet<int>();
        return cycle.All(edge => nodes.Add(edge.From));
    }

    /// <summary>Reports a cycle with its edges and transactions.</summary>
    private void ReportCycle(AnomalyKind kind, List<Dependency> cycle, string meaning)
    {
        var ids = cycle.Select(edge => edge.From).ToList();
        var text = new StringBuilder();
        text.Append(string.Join(" ", cycle.Select(edge => $"{T(edge.From)} -{edge.Label}->"))).Append(' ').Append(T(cycle[0].From));
        text.Append(": ").Append(meaning);
        foreach (var edge in cycle)
        {
            text.AppendLine().Append("    ").Append(edge.ToString());
        }

        text.AppendLine().Append(Describe(ids));
        _anomalies.Add(new Anomaly(kind, ids, cycle, text.ToString()));
    }

    /// <summary>Reports an anomaly once per <paramref name="identity"/>.</summary>
    private void Report(AnomalyKind kind, (int A, int B, int C) identity, IEnumerable<int> transactions, string explanation)
    {
        if (_reported.Add((kind, identity.A, identity.B, identity.C)))
        {
            _anomalies.Add(new Anomaly(kind, transactions, [], explanation));
        }
    }

    /// <summary>Reports an internal inconsistency of one transaction, once per key.</summary>
    private void ReportInternal(RecordedTransaction transaction, int key, string explanation) =>
        Report(AnomalyKind.Internal, (transaction.Id, key, 0), [transaction.Id], explanation + Environment.NewLine + Describe([transaction.Id]));

    /// <summary>Reports a G1a or G1b, and the dirty read it is, once per reader, writer and key.</summary>
    private void ReportDirty(AnomalyKind kind, int readerId, int writerId, int key, string explanation)
    {
        int[] involved = writerId == 0 ? [readerId] : [writerId, readerId];
        var text = explanation + Environment.NewLine + Describe(involved);
        Report(kind, (readerId, writerId, key), involved, text);
        Report(AnomalyKind.DirtyRead, (readerId, writerId, key), involved, $"(as {Anomaly.NameOf(kind)}) {text}");
    }

    /// <summary>Lists the transactions, one per line: <c>    where T1 = committed [...]</c>.</summary>
    private string Describe(IEnumerable<int> ids) =>
        string.Join(
            Environment.NewLine,
            ids.Distinct().Select((id, i) => (i == 0 ? "    where " : "          ") + (_byId.TryGetValue(id, out var t) ? t.ToString() : T(id))));

    /// <summary>Formats a transaction id.</summary>
    private static string T(int id) => HistoryFormat.Transaction(id);

    /// <summary>Formats a list.</summary>
    private static string L(IEnumerable<int> list) => HistoryFormat.List(list);
}
