namespace Stm.Internal;

/// <summary>Where a nested scope (nested Run, an OrElse branch) began in each log of the transaction.</summary>
internal struct ScopeMark
{
    internal int WriteCount;
    internal int UndoCount;
    internal int HandlerCount;
}
