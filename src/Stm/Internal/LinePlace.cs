namespace Stm.Internal;

/// <summary>
/// One woken run's place in one <see cref="TurnLine"/>. A run has a place in the line of the wait
/// list whose commit woke it, and takes more, before an update commit, in the lines of the other TVars
/// its attempt read (see <see cref="WakeTurn"/>).
/// </summary>
/// <remarks>The links and <see cref="InLine"/> are guarded by the line's lock; <see cref="IsFirst"/> is written under it and read without it.</remarks>
internal sealed class LinePlace(TurnLine line, WakeTurn owner)
{
    /// <summary>Backs <see cref="IsFirst"/>: volatile, since the run reads it without the line's lock.</summary>
    private volatile bool _first;

    /// <summary>The line.</summary>
    internal TurnLine Line { get; } = line;

    /// <summary>The run this place belongs to.</summary>
    internal WakeTurn Owner { get; } = owner;

    /// <summary>True while no older run is ahead in this line.</summary>
    internal bool IsFirst
    {
        get => _first;
        set => _first = value;
    }

    /// <summary>The place ahead in line (an older or equal ticket), or null for the first.</summary>
    internal LinePlace? Previous;

    /// <summary>The place behind in line (a younger or equal ticket), or null for the last.</summary>
    internal LinePlace? Next;

    /// <summary>True from joining the line until leaving it.</summary>
    internal bool InLine;
}
