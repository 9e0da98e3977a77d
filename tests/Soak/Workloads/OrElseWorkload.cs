namespace Stm.Soak.Workloads;

/// <summary>
/// Tokens move between two pools and the workers' hands: a worker takes one from the left pool
/// <c>OrElse</c> the right one (waiting on both when both are empty) and later puts it back on a
/// random side. Pools plus hands always hold every token.
/// </summary>
internal sealed class OrElseWorkload : SoakWorkload
{
    /// <summary>The number of tokens in circulation.</summary>
    private const int TokenCount = 24;

    /// <summary>The left pool.</summary>
    private readonly TVar<int> _left = new(TokenCount / 2, "orelse.left");

    /// <summary>The right pool.</summary>
    private readonly TVar<int> _right = new(TokenCount - (TokenCount / 2), "orelse.right");

    /// <summary>Tokens in each worker's hand, indexed by worker; only the owning worker writes its slot.</summary>
    private readonly int[] _held;

    /// <summary>Initializes a new instance of the <see cref="OrElseWorkload"/> class.</summary>
    /// <param name="workers">The number of workers.</param>
    public OrElseWorkload(int workers) => _held = new int[workers];

    /// <inheritdoc/>
    public override string Name => "orelse";

    /// <inheritdoc/>
    public override int Weight => 10;

    /// <inheritdoc/>
    public override void Step(Worker worker)
    {
        SoakContext context = worker.Context;
        if (_held[worker.Index] > 0 && worker.Random.Next(2) == 0)
        {
            bool left = worker.Random.Next(2) == 0;
            if (worker.Execute(() =>
                {
                    worker.MaybeAddThrowingHandlers();
                    TVar<int> pool = left ? _left : _right;
                    pool.Value += 1;
                    worker.MaybeThrowInBody();
                }) == TransactionOutcome.Committed)
            {
                _held[worker.Index]--;
            }

            return;
        }

        TransactionOutcome outcome = worker.Execute(
            () =>
            {
                worker.MaybeAddThrowingHandlers();
                string side = Atomic.OrElse(
                    () =>
                    {
                        worker.Check(_left.Value > 0);
                        _left.Value -= 1;
                        return "left";
                    },
                    () =>
                    {
                        int right = _right.Value;
                        worker.Check(right > 0);
                        _right.Write(right - 1);
                        worker.MaybeDelay();
                        return "right";
                    });
                int pools = _left.Value + _right.Value;
                if (pools is < 0 or >= TokenCount)
                {
                    context.Fail($"{Name}: an attempt saw {pools} token(s) in the pools after taking one from the {side}");
                }

                worker.MaybeThrowInBody();
            },
            worker.PickWaitMode());
        if (outcome == TransactionOutcome.Committed)
        {
            _held[worker.Index]++;
        }
    }

    /// <inheritdoc/>
    public override void Drain(SoakContext context)
    {
        int held = _held.Sum();
        Atomic.Run(() => _left.Value += held);
        Array.Clear(_held);
    }

    /// <inheritdoc/>
    public override void Verify(SoakContext context)
    {
        int total = Atomic.Run(() => _left.Value + _right.Value);
        if (total != TokenCount)
        {
            context.Fail($"{Name}: {total} token(s) in the pools at the end instead of {TokenCount}");
        }
    }
}
