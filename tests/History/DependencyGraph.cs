namespace Stm.Testing.History;

/// <summary>
/// The dependency graph of a history: nodes are transaction ids, edges are <see cref="Dependency"/>
/// (at most one edge per pair and kind: the first explanation is kept). Finds strongly connected
/// components (Tarjan, iterative, so deep graphs do not overflow the stack) and shortest paths
/// restricted to some edge kinds.
/// </summary>
internal sealed class DependencyGraph
{
    /// <summary>Out-edges per node, in insertion order (so reports are deterministic).</summary>
    private readonly Dictionary<int, List<Dependency>> _out = [];

    /// <summary>The (from, to, kind) triples already present, to keep one edge per triple.</summary>
    private readonly HashSet<(int From, int To, DependencyKind Kind)> _present = [];

    /// <summary>The nodes in insertion order.</summary>
    private readonly List<int> _nodes = [];

    /// <summary>The number of distinct edges.</summary>
    public int EdgeCount => _present.Count;

    /// <summary>Adds a node (idempotent).</summary>
    public void AddNode(int id)
    {
        if (_out.TryAdd(id, []))
        {
            _nodes.Add(id);
        }
    }

    /// <summary>Adds an edge unless it is a self-loop or an edge of the same kind between the same pair exists.</summary>
    public void Add(Dependency dependency)
    {
        if (dependency.From == dependency.To || !_present.Add((dependency.From, dependency.To, dependency.Kind)))
        {
            return;
        }

        AddNode(dependency.From);
        AddNode(dependency.To);
        _out[dependency.From].Add(dependency);
    }

    /// <summary>The edges whose both ends lie in <paramref name="nodes"/> and that pass <paramref name="filter"/>.</summary>
    public IEnumerable<Dependency> EdgesWithin(IReadOnlySet<int> nodes, Func<Dependency, bool> filter)
    {
        foreach (var node in _nodes)
        {
            if (!nodes.Contains(node))
            {
                continue;
            }

            foreach (var edge in _out[node])
            {
                if (nodes.Contains(edge.To) && filter(edge))
                {
                    yield return edge;
                }
            }
        }
    }

    /// <summary>
    /// The strongly connected components with more than one node of the subgraph made of the nodes
    /// in <paramref name="within"/> (all when null) and the edges that pass <paramref name="filter"/>.
    /// </summary>
    public List<HashSet<int>> Components(Func<Dependency, bool> filter, IReadOnlySet<int>? within = null)
    {
        var index = new Dictionary<int, int>();
        var lowLink = new Dictionary<int, int>();
        var onStack = new HashSet<int>();
        var stack = new Stack<int>();
        var result = new List<HashSet<int>>();
        var next = 0;

        foreach (var root in _nodes)
        {
            if ((within is not null && !within.Contains(root)) || index.ContainsKey(root))
            {
                continue;
            }

            // Iterative Tarjan: each frame is a node and the position of the next out-edge to visit.
            var frames = new Stack<(int Node, int EdgePosition)>();
            frames.Push((root, 0));
            index[root] = lowLink[root] = next++;
            stack.Push(root);
            onStack.Add(root);

            while (frames.Count > 0)
            {
                var (node, position) = frames.Pop();
                var edges = _out[node];
                var descended = false;
                while (position < edges.Count)
                {
                    var edge = edges[position++];
                    if (!filter(edge) || (within is not null && !within.Contains(edge.To)))
                    {
                        continue;
                    }

                    if (!index.TryGetValue(edge.To, out var toIndex))
                    {
                        frames.Push((node, position));
                        index[edge.To] = lowLink[edge.To] = next++;
                        stack.Push(edge.To);
                        onStack.Add(edge.To);
                        frames.Push((edge.To, 0));
                        descended = true;
                        break;
                    }

                    if (onStack.Contains(edge.To))
                    {
                        lowLink[node] = Math.Min(lowLink[node], toIndex);
                    }
                }

                if (descended)
                {
                    continue;
                }

                // All out-edges of node are done.
                if (lowLink[node] == index[node])
                {
                    var component = new HashSet<int>();
                    int member;
                    do
                    {
                        member = stack.Pop();
                        onStack.Remove(member);
                        component.Add(member);
                    }
                    while (member != node);

                    if (component.Count > 1)
                    {
                        result.Add(component);
                    }
                }

                if (frames.Count > 0)
                {
                    var parent = frames.Peek().Node;
                    lowLink[parent] = Math.Min(lowLink[parent], lowLink[node]);
                }
            }
        }

        return result;
    }

    /// <summary>
    /// A shortest path (one edge at least) from <paramref name="from"/> to <paramref name="to"/> over
    /// edges that pass <paramref name="filter"/> and stay in <paramref name="within"/>; null if none.
    /// With <paramref name="from"/> equal to <paramref name="to"/> it finds a shortest cycle through it.
    /// </summary>
    public List<Dependency>? FindPath(int from, int to, Func<Dependency, bool> filter, IReadOnlySet<int> within)
    {
        var cameBy = new Dictionary<int, Dependency>();
        var visited = new HashSet<int> { from };
        var queue = new Queue<int>();
        queue.Enqueue(from);
        while (queue.Count > 0)
        {
            var node = queue.Dequeue();
            foreach (var edge in _out[node])
            {
                if (!filter(edge) || !within.Contains(edge.To))
                {
                    continue;
                }

                if (edge.To == to)
                {
                    var path = new List<Dependency> { edge };
                    var cursor = edge.From;
                    while (cursor != from)
                    {
                        var step = cameBy[cursor];
                        path.Add(step);
                        cursor = step.From;
                    }

                    path.Reverse();
                    return path;
                }

                if (visited.Add(edge.To))
                {
                    cameBy[edge.To] = edge;
                    queue.Enqueue(edge.To);
                }
            }
        }

        return null;
    }

    /// <summary>
    /// A shortest path from <paramref name="from"/> to <paramref name="to"/> inside
    /// <paramref name="within"/> that uses at least one read-write edge; null if none. The path may
    /// repeat a node (the caller checks).
    /// </summary>
    public List<Dependency>? FindPathWithReadWrite(int from, int to, IReadOnlySet<int> within)
    {
        // Breadth-first search over (node, has-used-an-rw-edge) pairs.
        var cameBy = new Dictionary<(int Node, bool UsedReadWrite), (Dependency Edge, (int Node, bool UsedReadWrite) Previous)>();
        var start = (from, false);
        var queue = new Queue<(int Node, bool UsedReadWrite)>();
        queue.Enqueue(start);
        var visited = new HashSet<(int Node, bool UsedReadWrite)> { start };
        while (queue.Count > 0)
        {
            var state = queue.Dequeue();
            foreach (var edge in _out[state.Node])
            {
                if (!within.Contains(edge.To) || edge.Kind == DependencyKind.RealTime)
                {
                    continue;
                }

                var nextState = (edge.To, state.UsedReadWrite || edge.Kind == DependencyKind.ReadWrite);
                if (!visited.Add(nextState))
                {
                    continue;
                }

                cameBy[nextState] = (edge, state);
                if (nextState == (to, true))
                {
                    var path = new List<Dependency>();
                    var cursor = nextState;
                    while (cursor != start)
                    {
                        var (step, previous) = cameBy[cursor];
                        path.Add(step);
                        cursor = previous;
                    }

                    path.Reverse();
                    return path;
                }

                queue.Enqueue(nextState);
            }
        }

        return null;
    }
}
