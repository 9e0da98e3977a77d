using Stm;

namespace SantaClaus;

/// <summary>
/// Where helpers of one kind gather until there are enough of them (the <c>Group</c> of "Beautiful
/// Concurrency"): 9 reindeer, or 3 elves. Helpers join the batch that is forming; when it is full,
/// Santa takes it and a fresh batch starts forming.
/// </summary>
internal sealed class Group
{
    private readonly int _size;

    /// <summary>The batch that is forming. One TVar, so joining and taking are each one atomic step.</summary>
    private readonly TVar<Batch> _forming;

    /// <summary>Creates a group that gathers <paramref name="size"/> helpers of <paramref name="kind"/> at a time.</summary>
    public Group(string kind, int size)
    {
        _size = size;
        _forming = new TVar<Batch>(Batch.Start(kind, 1, size), $"{kind}-group");
    }

    /// <summary>
    /// For a helper, inside a transaction: joins the forming batch and returns it (its gates are the
    /// helper's way in). Retries while the batch is full and Santa has not taken it yet.
    /// </summary>
    public Batch Join(int helper)
    {
        Batch batch = _forming.Value;
        Atomic.Check(batch.Members.Count < _size);
        Batch joined = batch with { Members = batch.Members.Add(helper) };
        _forming.Value = joined;
        return joined;
    }

    /// <summary>
    /// For Santa, inside a transaction: takes the forming batch once it is full, and starts a new
    /// one; retries while it is not full yet.
    /// </summary>
    public Batch TakeWhenFull()
    {
        Batch batch = _forming.Value;
        Atomic.Check(batch.Members.Count == _size);
        _forming.Value = Batch.Start(batch.Kind, batch.Number + 1, _size);
        return batch;
    }

    /// <summary>Inside a transaction: whether a full batch is waiting for Santa.</summary>
    public bool IsFull() => _forming.Value.Members.Count == _size;
}
