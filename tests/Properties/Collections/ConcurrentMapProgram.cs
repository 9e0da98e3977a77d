namespace Stm.Tests.Properties.Collections;

/// <summary>The transactions each thread runs, in order.</summary>
public sealed record ConcurrentMapProgram(MapTransaction[][] Threads)
{
    public override string ToString() =>
        string.Join(Environment.NewLine, Threads.Select((t, i) => $"thread {i}: " + string.Join(", ", t.Select(x => x.ToString()))));
}
