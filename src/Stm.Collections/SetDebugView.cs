using System.Diagnostics;

namespace Stm.Collections;

/// <summary>
/// The debugger view of <see cref="TSet{T}"/>. It never starts a transaction: it reads the
/// committed state slot by slot with single atomic reads (so while writers run it is not
/// necessarily one snapshot).
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
internal sealed class SetDebugView<T>
{
    private readonly TSet<T> _set;

    public SetDebugView(TSet<T> set)
    {
        ArgumentNullException.ThrowIfNull(set);
        _set = set;
    }

    [DebuggerBrowsable(DebuggerBrowsableState.RootHidden)]
    public T[] Items => DebuggerRead.Items(_set, static set => set.ReadForDebugger());
}
