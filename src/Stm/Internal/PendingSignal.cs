namespace Stm.Internal;

/// <summary>
/// The control-flow signal thrown in the current attempt, remembered so that a user <c>catch</c>
/// that swallows it changes nothing: the attempt still ends as the signal says.
/// </summary>
internal enum PendingSignal
{
    None,
    Retry,
    Conflict,
}
