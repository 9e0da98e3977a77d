namespace Stm.Tests.Properties.Checkouts;

/// <summary>
/// A generated await between two blocks of a checkout (or after an ordinary transaction): none,
/// <see cref="Task.Yield"/>, or <c>Task.Delay</c> of 0 or 1 ms. Between blocks the checkout is held
/// by nobody's thread, so other tasks commit in that window; every kind ends on its own.
/// </summary>
public readonly record struct AsyncPause(AsyncPauseKind Kind)
{
    public static AsyncPause None => default;

    public async ValueTask RunAsync()
    {
        switch (Kind)
        {
            case AsyncPauseKind.Yield:
                await Task.Yield();
                break;
            case AsyncPauseKind.Delay0:
                await Task.Delay(0).ConfigureAwait(false);
                break;
            case AsyncPauseKind.Delay1:
                await Task.Delay(1).ConfigureAwait(false);
                break;
            default:
                break;
        }
    }

    public override string ToString() => Kind switch
    {
        AsyncPauseKind.Yield => "~yield",
        AsyncPauseKind.Delay0 => "~delay0",
        AsyncPauseKind.Delay1 => "~delay1",
        _ => string.Empty,
    };
}
