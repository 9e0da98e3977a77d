using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace Stm.Analyzers;

/// <summary>
/// The types the rules look for, resolved once per compilation by metadata name. Stm's own types are
/// found by name rather than by assembly, so the rules work against any build of Stm (and against
/// small stand-ins in tests), and a member that a given build lacks (Checkout, say) is simply absent.
/// </summary>
internal sealed class StmSymbols
{
    private StmSymbols(Compilation compilation, INamedTypeSymbol? atomic, INamedTypeSymbol? tvar)
    {
        Atomic = atomic;
        TVar = tvar;
        Transactional = compilation.GetTypeByMetadataName("Stm.Transactional");
        Checkout = compilation.GetTypeByMetadataName("Stm.Checkout");
        TArray = compilation.GetTypeByMetadataName("Stm.Collections.TArray`1");
        TMap = compilation.GetTypeByMetadataName("Stm.Collections.TMap`2");
        TSortedMap = compilation.GetTypeByMetadataName("Stm.Collections.TSortedMap`2");

        Task = compilation.GetTypeByMetadataName("System.Threading.Tasks.Task");
        TaskLikeTypes = Resolve(
            compilation,
            "System.Threading.Tasks.Task",
            "System.Threading.Tasks.Task`1",
            "System.Threading.Tasks.ValueTask",
            "System.Threading.Tasks.ValueTask`1");
        TaskFactories = Resolve(
            compilation,
            "System.Threading.Tasks.TaskFactory",
            "System.Threading.Tasks.TaskFactory`1");
        Parallel = compilation.GetTypeByMetadataName("System.Threading.Tasks.Parallel");
        ThreadPool = compilation.GetTypeByMetadataName("System.Threading.ThreadPool");
        Thread = compilation.GetTypeByMetadataName("System.Threading.Thread");
        Console = compilation.GetTypeByMetadataName("System.Console");

        // Every member of these types is I/O or synchronisation with effects outside the transaction.
        SideEffectTypes = Resolve(
            compilation,
            "System.Console",
            "System.IO.File",
            "System.IO.Directory",
            "System.IO.FileSystemInfo",
            "System.IO.FileStream",
            "System.IO.StreamWriter",
            "System.IO.FileSystemWatcher",
            "System.Net.Http.HttpMessageInvoker",
            "System.Net.Sockets.Socket",
            "System.Net.Sockets.TcpClient",
            "System.Net.Sockets.TcpListener",
            "System.Net.Sockets.UdpClient",
            "System.Net.Sockets.NetworkStream",
            "System.Net.WebClient",
            "System.Net.WebRequest",
            "System.Net.Dns",
            "System.Threading.Monitor",
            "System.Threading.Interlocked");

        MutableCollections = ResolveMap(
            compilation,
            ("System.Collections.Generic.List`1", "ImmutableList<T>"),
            ("System.Collections.Generic.LinkedList`1", "ImmutableList<T>"),
            ("System.Collections.ObjectModel.Collection`1", "ImmutableList<T>"),
            ("System.Collections.ArrayList", "ImmutableList<T>"),
            ("System.Collections.Generic.Dictionary`2", "ImmutableDictionary<TKey, TValue>, or a TMap<TKey, TValue>"),
            ("System.Collections.Concurrent.ConcurrentDictionary`2", "ImmutableDictionary<TKey, TValue>, or a TMap<TKey, TValue>"),
            ("System.Collections.Hashtable", "ImmutableDictionary<TKey, TValue>, or a TMap<TKey, TValue>"),
            ("System.Collections.Generic.SortedDictionary`2", "ImmutableSortedDictionary<TKey, TValue>, or a TSortedMap<TKey, TValue>"),
            ("System.Collections.Generic.SortedList`2", "ImmutableSortedDictionary<TKey, TValue>, or a TSortedMap<TKey, TValue>"),
            ("System.Collections.SortedList", "ImmutableSortedDictionary<TKey, TValue>, or a TSortedMap<TKey, TValue>"),
            ("System.Collections.Generic.HashSet`1", "ImmutableHashSet<T>, or a TSet<T>"),
            ("System.Collections.Generic.SortedSet`1", "ImmutableSortedSet<T>"),
            ("System.Collections.Generic.Queue`1", "ImmutableQueue<T>, or a TQueue<T>"),
            ("System.Collections.Concurrent.ConcurrentQueue`1", "ImmutableQueue<T>, or a TQueue<T>"),
            ("System.Collections.Queue", "ImmutableQueue<T>, or a TQueue<T>"),
            ("System.Collections.Generic.Stack`1", "ImmutableStack<T>"),
            ("System.Collections.Concurrent.ConcurrentStack`1", "ImmutableStack<T>"),
            ("System.Collections.Stack", "ImmutableStack<T>"),
            ("System.Collections.Generic.PriorityQueue`2", "an immutable collection from System.Collections.Immutable"),
            ("System.Collections.Concurrent.ConcurrentBag`1", "ImmutableList<T>"),
            ("System.Collections.Concurrent.BlockingCollection`1", "ImmutableQueue<T>, or a TQueue<T>"),
            ("System.Collections.BitArray", "ImmutableArray<bool>"));
    }

    /// <summary><c>Stm.Atomic</c>, or null when the compilation does not see it.</summary>
    public INamedTypeSymbol? Atomic { get; }

    /// <summary><c>Stm.TVar&lt;T&gt;</c>.</summary>
    public INamedTypeSymbol? TVar { get; }

    /// <summary>
    /// <c>Stm.Transactional</c>: the run forms of <c>Stm.Atomic</c> with a state passed to the
    /// body, and <c>RequestRetry</c>.
    /// </summary>
    public INamedTypeSymbol? Transactional { get; }

    /// <summary><c>Stm.Checkout</c>.</summary>
    public INamedTypeSymbol? Checkout { get; }

    /// <summary><c>Stm.Collections.TArray&lt;T&gt;</c>.</summary>
    public INamedTypeSymbol? TArray { get; }

    /// <summary><c>Stm.Collections.TMap&lt;TKey, TValue&gt;</c>.</summary>
    public INamedTypeSymbol? TMap { get; }

    /// <summary><c>Stm.Collections.TSortedMap&lt;TKey, TValue&gt;</c>.</summary>
    public INamedTypeSymbol? TSortedMap { get; }

    /// <summary><c>System.Threading.Tasks.Task</c>.</summary>
    public INamedTypeSymbol? Task { get; }

    /// <summary>Task, Task&lt;T&gt;, ValueTask and ValueTask&lt;T&gt; (original definitions).</summary>
    public ImmutableHashSet<INamedTypeSymbol> TaskLikeTypes { get; }

    /// <summary>TaskFactory and TaskFactory&lt;T&gt; (original definitions).</summary>
    public ImmutableHashSet<INamedTypeSymbol> TaskFactories { get; }

    /// <summary><c>System.Threading.Tasks.Parallel</c>.</summary>
    public INamedTypeSymbol? Parallel { get; }

    /// <summary><c>System.Threading.ThreadPool</c>.</summary>
    public INamedTypeSymbol? ThreadPool { get; }

    /// <summary><c>System.Threading.Thread</c>.</summary>
    public INamedTypeSymbol? Thread { get; }

    /// <summary><c>System.Console</c>.</summary>
    public INamedTypeSymbol? Console { get; }

    /// <summary>Types whose every member, and every instance, is a side effect inside a transaction.</summary>
    public ImmutableHashSet<INamedTypeSymbol> SideEffectTypes { get; }

    /// <summary>Mutable BCL collections (original definitions), each with what to store instead.</summary>
    public ImmutableDictionary<INamedTypeSymbol, string> MutableCollections { get; }

    /// <summary>
    /// Resolves the symbols of <paramref name="compilation"/>, or returns null when it sees neither
    /// <c>Stm.Atomic</c> nor <c>Stm.TVar&lt;T&gt;</c>: then no rule has anything to look at.
    /// </summary>
    public static StmSymbols? TryCreate(Compilation compilation)
    {
        INamedTypeSymbol? atomic = compilation.GetTypeByMetadataName("Stm.Atomic");
        INamedTypeSymbol? tvar = compilation.GetTypeByMetadataName("Stm.TVar`1");
        return atomic is null && tvar is null ? null : new StmSymbols(compilation, atomic, tvar);
    }

    /// <summary>Whether <paramref name="type"/> is <paramref name="definition"/> or a construction of it.</summary>
    public static bool IsConstructedFrom(ITypeSymbol? type, INamedTypeSymbol? definition) =>
        definition is not null && type is not null && SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, definition);

    /// <summary>Whether <paramref name="type"/> is, or derives from, one of <paramref name="definitions"/>.</summary>
    public static bool IsOrDerivesFromAny(ITypeSymbol? type, ImmutableHashSet<INamedTypeSymbol> definitions)
    {
        for (ITypeSymbol? current = type; current is not null; current = current.BaseType)
        {
            if (current.OriginalDefinition is INamedTypeSymbol named && definitions.Contains(named))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether <paramref name="type"/> is Task, Task&lt;T&gt;, ValueTask or ValueTask&lt;T&gt;.</summary>
    public bool IsTaskLike(ITypeSymbol? type) =>
        type?.OriginalDefinition is INamedTypeSymbol named && TaskLikeTypes.Contains(named);

    private static ImmutableHashSet<INamedTypeSymbol> Resolve(Compilation compilation, params string[] metadataNames)
    {
        ImmutableHashSet<INamedTypeSymbol>.Builder builder = ImmutableHashSet.CreateBuilder<INamedTypeSymbol>(SymbolEqualityComparer.Default);
        foreach (string name in metadataNames)
        {
            if (compilation.GetTypeByMetadataName(name) is { } type)
            {
                builder.Add(type);
            }
        }

        return builder.ToImmutable();
    }

    private static ImmutableDictionary<INamedTypeSymbol, string> ResolveMap(Compilation compilation, params (string MetadataName, string Instead)[] entries)
    {
        ImmutableDictionary<INamedTypeSymbol, string>.Builder builder = ImmutableDictionary.CreateBuilder<INamedTypeSymbol, string>(SymbolEqualityComparer.Default);
        foreach ((string name, string instead) in entries)
        {
            if (compilation.GetTypeByMetadataName(name) is { } type)
            {
                builder[type] = instead;
            }
        }

        return builder.ToImmutable();
    }
}
