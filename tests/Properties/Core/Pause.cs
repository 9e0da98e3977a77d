namespace Stm.Tests.Properties.Core;

/// <summary>
/// A generated scheduling perturbation run at a point inside a transaction body: nothing, a
/// <see cref="Thread.Yield"/>, a short spin, or a <c>Thread.Sleep(0)</c>. Widens the windows in
/// which other threads commit, without timed sleeps.
/// </summary>
public readonly record struct Pause(int Kind, int Spins)
{
    public static Pause None => default;

    public void Run()
    {
        switch (Kind)
        {
            case 1:
                Thread.Yield();
                break;
            case 2:
                Thread.SpinWait(Spins);
                break;
            case 3:
                Thread.Sleep(0);
                break;
            default:
                break;
        }
    }

    public override string ToString() => Kind switch
    {
        1 => "yield",
        2 => $"spin{Spins}",
        3 => "sleep0",
        _ => "-",
    };
}
