namespace Stm.Tests.Properties.Core;

/// <summary>
/// A generated read-only scenario: readers read all 100 TVars; at <see cref="PausePoint"/> each
/// waits (first attempt only) until writers have committed <see cref="CommitsToWaitFor"/> more
/// transfers, each between a TVar already read and one not read yet.
/// </summary>
public sealed record ReadOnlyScenario(int Readers, int Writers, int PausePoint, int CommitsToWaitFor, Pause WriterPause)
{
    public override string ToString() =>
        $"{Readers} readers, {Writers} writers, readers pause after {PausePoint} reads until {CommitsToWaitFor} commits, writer pause {WriterPause}";
}
