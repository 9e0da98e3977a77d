using Stm;

namespace SantaClaus;

/// <summary>
/// Santa sleeps until a group is ready: all 9 reindeer back from holiday (then they deliver toys)
/// or 3 elves who need help (then they meet in his study). If both are ready, the reindeer go first.
/// He lets the group in through one gate, and out through another once they are done.
/// </summary>
internal sealed class Santa
{
    private const int SessionsToPrint = 3;

    private readonly Group _reindeer;
    private readonly Group _elves;
    private readonly TVar<bool> _closed;
    private readonly Func<(Batch Batch, bool ElvesAlsoReady, bool ReindeerWereReady)> _choose;
    private long _deliveries;
    private long _elfMeetings;

    /// <summary>Creates Santa, who serves <paramref name="reindeer"/> and <paramref name="elves"/> and closes the workshop with <paramref name="closed"/>.</summary>
    public Santa(Group reindeer, Group elves, TVar<bool> closed)
    {
        _reindeer = reindeer;
        _elves = elves;
        _closed = closed;
        _choose = ChooseGroup;
    }

    /// <summary>Times the reindeer delivered toys.</summary>
    public long Deliveries => Interlocked.Read(ref _deliveries);

    /// <summary>Times a group of elves met Santa.</summary>
    public long ElfMeetings => Interlocked.Read(ref _elfMeetings);

    /// <summary>Times both groups were ready at once (the reindeer went first each time, unless <see cref="PriorityViolations"/> says otherwise).</summary>
    public long BothReady { get; private set; }

    /// <summary>Times Santa saw the elves while the reindeer were ready too: must stay 0.</summary>
    public long PriorityViolations { get; private set; }

    /// <summary>The first thing wrong with a group (size, members, attendance), or null.</summary>
    public string? FirstError { get; private set; }

    /// <summary>Santa's working day: serves groups until <paramref name="duration"/> has passed, then closes the workshop.</summary>
    public void Work(TimeSpan duration)
    {
        DateTime closingTime = DateTime.UtcNow + duration;
        while (DateTime.UtcNow < closingTime)
        {
            (Batch batch, bool elvesAlsoReady, bool reindeerWereReady) = Atomic.Run(_choose);
            BothReady += elvesAlsoReady ? 1 : 0;
            PriorityViolations += reindeerWereReady ? 1 : 0;

            if (batch.Number <= SessionsToPrint)
            {
                string task = batch.Kind == "reindeer" ? "deliver toys" : "meet in my study";
                Console.WriteLine($"  Ho! Ho! Ho! Let's {task}! ({batch.Kind} {string.Join(", ", batch.Members)})");
            }

            // Let them in, then out. Operate returns once every member has passed, so when the out
            // gate has closed behind the last of them, every member has signed the log.
            batch.In.Operate();
            batch.Out.Operate();
            CheckBatch(batch);
            if (batch.Kind == "reindeer")
            {
                Interlocked.Increment(ref _deliveries);
            }
            else
            {
                Interlocked.Increment(ref _elfMeetings);
            }
        }

        // Between groups, so no group is half served. Helpers waiting to join, or at a gate of a
        // group Santa never took, see the flag and go home.
        _closed.Write(true);
    }

    /// <summary>
    /// Santa's choice, one transaction: the reindeer if all 9 are back, otherwise 3 elves, otherwise
    /// sleep until one of the groups changes. OrElse gives the reindeer their priority: the elves'
    /// branch runs only if the reindeer branch retried. Both branches also look at the other group,
    /// in the same consistent snapshot, for the self-check.
    /// </summary>
    private (Batch Batch, bool ElvesAlsoReady, bool ReindeerWereReady) ChooseGroup() => Atomic.OrElse(
        () => (_reindeer.TakeWhenFull(), _elves.IsFull(), false),
        () => (_elves.TakeWhenFull(), false, _reindeer.IsFull()));

    /// <summary>Checks a group Santa has finished with: the right size, no one twice, and everyone who joined came in.</summary>
    private void CheckBatch(Batch batch)
    {
        int size = batch.Kind == "reindeer" ? Program.ReindeerGroupSize : Program.ElfGroupSize;
        long expectedNumber = (batch.Kind == "reindeer" ? Deliveries : ElfMeetings) + 1;
        int[] members = [.. batch.Members.Order()];
        int[] attended = [.. batch.Attended.Read().Order()];
        string? problem =
            batch.Number != expectedNumber ? $"expected group {expectedNumber}"
            : members.Length != size ? $"{members.Length} members, not {size}"
            : members.Distinct().Count() != size ? $"someone joined twice ({string.Join(", ", members)})"
            : !members.SequenceEqual(attended) ? $"members {string.Join(", ", members)} but attended {string.Join(", ", attended)}"
            : null;
        FirstError ??= problem is null ? null : $"{batch.Kind} group {batch.Number}: {problem}";
    }
}
