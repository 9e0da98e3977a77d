using Stm.Internal;

namespace Stm.Soak.Workloads;

/// <summary>
/// Checks that the oldest waiter gets what a commit makes available, while the other workers load the
/// machine. One worker at a time starts <see cref="Consumers"/> threads that each take one item from a
/// fresh stock (<c>Check(stock &gt; 0)</c>, then take the next item number), each only after the one
/// before it has parked; then it adds the items one at a time, each once every consumer still waiting
/// has parked again and no woken consumer is still taking its turn. The k-th consumer to park must
/// receive item k. The other workers commit to TVars of their own meanwhile.
/// </summary>
internal sealed class FairnessProbeWorkload : SoakWorkload
{
    /// <summary>The workload's name in <c>--workloads</c>.</summary>
    public const string WorkloadName = "fairness";

    /// <summary>Consumers per probe: more than the cores of a small machine, so that woken consumers compete for them.</summary>
    private const int Consumers = 5;

    /// <summary>Commits a worker makes to its own TVar per step when it is not the probe.</summary>
    private const int WritesPerStep = 16;

    /// <summary>One TVar per worker, written only by it.</summary>
    private readonly TVar<long>[] _own;

    /// <summary>1 while a probe runs.</summary>
    private int _probing;

    /// <summary>Probes that fed every consumer.</summary>
    private long _probes;

    /// <summary>Probes in which some consumer received an item other than its place in the park order.</summary>
    private long _outOfOrder;

    /// <summary>What the consumers of the first out-of-order probe received, in park order.</summary>
    private string? _firstOutOfOrder;

    /// <summary>Initializes a new instance of the <see cref="FairnessProbeWorkload"/> class.</summary>
    /// <param name="threads">The soak's worker threads.</param>
    public FairnessProbeWorkload(int threads) =>
        _own = [.. Enumerable.Range(0, threads).Select(i => new TVar<long>(0, $"fair.own{i}"))];

    /// <inheritdoc/>
    public override string Name => WorkloadName;

    /// <inheritdoc/>
    public override int Weight => 2;

    /// <summary>Gets the number of probes that fed every consumer.</summary>
    public long Probes => Interlocked.Read(ref _probes);

    /// <summary>Gets the number of probes that handed some item to a consumer out of park order.</summary>
    public long OutOfOrder => Interlocked.Read(ref _outOfOrder);

    /// <inheritdoc/>
    public override void Step(Worker worker)
    {
        if (Interlocked.CompareExchange(ref _probing, 1, 0) == 0)
        {
            try
            {
                Probe(worker.Context);
            }
            finally
            {
                Volatile.Write(ref _probing, 0);
            }

            return;
        }

        TVar<long> own = _own[worker.Index];
        for (int i = 0; i < WritesPerStep && !worker.Context.Stopping; i++)
        {
            own.Modify(x => x + 1);
        }
    }

    /// <inheritdoc/>
    public override void Verify(SoakContext context)
    {
        long probes = Probes;
        long outOfOrder = OutOfOrder;
        if (probes == 0 && context.Steps > 1_000)
        {
            context.Fail($"{Name}: no fairness probe fed its consumers in {context.Steps} steps");
        }

        if (outOfOrder != 0)
        {
            context.Fail(
                $"{Name}: {outOfOrder} of {probes} probes handed items out of park order "
                + $"(the consumers, in the order they parked, received {Volatile.Read(ref _firstOutOfOrder)})");
        }
    }

    /// <summary>True when <paramref name="thread"/> is blocked (in the probe, only its Retry wait blocks it).</summary>
    private static bool IsBlocked(Thread thread) => (thread.ThreadState & ThreadState.WaitSleepJoin) != 0;

    /// <summary>Spins, then sleeps, until <paramref name="condition"/> holds or <paramref name="bound"/> passes; false on timeout.</summary>
    private static bool Until(Func<bool> condition, TimeSpan bound)
    {
        long giveUpAt = Environment.TickCount64 + (long)bound.TotalMilliseconds;
        var spin = default(SpinWait);
        while (!condition())
        {
            if (Environment.TickCount64 > giveUpAt)
            {
                return false;
            }

            spin.SpinOnce();
        }

        return true;
    }

    /// <summary>One probe: parks the consumers one after another, feeds them one item at a time, and records whether each got its place in the park order.</summary>
    private void Probe(SoakContext context)
    {
        TimeSpan bound = context.Options.WakeUpBound;
        var stock = new TVar<int>(0, "fair.stock");
        var next = new TVar<int>(0, "fair.next");
        var received = new int[Consumers];
        var threads = new Thread[Consumers];
        Array.Fill(received, -1);

        // Parked: listed as waiting (which a run is only once it has re-checked its reads after
        // registering, so a commit from now on must wake it) and blocked. A consumer that has
        // registered but not re-checked yet would, if the item came now, re-run as a newcomer.
        int Parked()
        {
            var waiting = StmDiagnostics.GetSnapshot().WaitingTransactions;
            return threads.Count(t => t is not null && IsBlocked(t) && waiting.Any(w => w.ManagedThreadId == t.ManagedThreadId));
        }

        bool NoneTakingItsTurn() => (stock.WaitList?.TurnLine?.Tickets.Length ?? 0) == 0;

        // Atomic.TryRun rather than Worker.Execute: no fault may end a consumer, and a lost item must
        // not leave one waiting for ever.
        for (int k = 0; k < Consumers; k++)
        {
            int index = k;
            threads[k] = new Thread(() =>
            {
                if (Atomic.TryRun(
                    () =>
                    {
                        Atomic.Check(stock.Value > 0);
                        stock.Value--;
                        int item = next.Value;
                        next.Value = item + 1;
                        return item;
                    },
                    bound,
                    out int item))
                {
                    received[index] = item;
                }
            })
            {
                IsBackground = true,
                Name = $"fairness consumer {k}",
            };
            threads[k].Start();
            if (!Until(() => Parked() == index + 1 && IsBlocked(threads[index]), bound))
            {
                context.Fail($"{Name}: consumer {k} did not park within {bound.TotalSeconds:F0}s");
                break;
            }
        }

        for (int item = 0; item < Consumers; item++)
        {
            int waiting = Consumers - item;
            if (!Until(() => Parked() == waiting && NoneTakingItsTurn(), bound))
            {
                context.Fail($"{Name}: the {waiting} consumers still waiting did not all park again within {bound.TotalSeconds:F0}s");
                break;
            }

            Atomic.Run(() => stock.Value++);
            if (!Until(() => threads.Count(t => !t.IsAlive) == item + 1, bound))
            {
                context.Fail($"{Name}: no consumer took item {item} within {bound.TotalSeconds:F0}s");
                break;
            }
        }

        foreach (Thread thread in threads)
        {
            if (!thread.Join(bound))
            {
                context.Fail($"{Name}: a consumer did not end within {bound.TotalSeconds:F0}s");
                return;
            }
        }

        Interlocked.Increment(ref _probes);
        if (!received.Select((item, k) => item == k).All(inOrder => inOrder))
        {
            Interlocked.Increment(ref _outOfOrder);
            Interlocked.CompareExchange(ref _firstOutOfOrder, "[" + string.Join(", ", received) + "]", null);
        }
    }
}
