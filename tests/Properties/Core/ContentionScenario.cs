namespace Stm.Tests.Properties.Core;

/// <summary>
/// A long transaction that reads <see cref="Reads"/> TVars while a writer commits to read TVar
/// <see cref="Interfered"/> during each of its attempts; in each attempt with priority,
/// <see cref="UnrelatedWriters"/> threads commit to TVars it never touched.
/// </summary>
public sealed record ContentionScenario(int Reads, int Interfered, int UnrelatedWriters, Pause BodyPause)
{
    public override string ToString() =>
        $"reads {Reads}, writer hits read {Interfered}, {UnrelatedWriters} unrelated writer(s), pause {BodyPause}";
}
