namespace Stm.Internal;

/// <summary>
/// Where an open nested scope (a nested Run, an OrElse branch) began in each log of the transaction:
/// the write log's entries and undo records, and the handler list. Kept by the <see cref="WriteSet"/>,
/// which owns the nesting depth.
/// </summary>
internal struct ScopeMark
{
    internal int WriteCount;
    internal int UndoCount;
    internal int HandlerCount;
}
