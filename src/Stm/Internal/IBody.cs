namespace Stm.Internal;

/// <summary>
/// A transaction body. Implemented by structs, so the run loop is specialised per body kind and
/// calls the delegate directly: one loop for actions and functions, no wrapper allocation.
/// </summary>
internal interface IBody<TResult>
{
    TResult Invoke();
}
