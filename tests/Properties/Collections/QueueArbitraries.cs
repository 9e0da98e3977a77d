using FsCheck;
using FsCheck.Fluent;

namespace Stm.Tests.Properties.Collections;

/// <summary>
/// Registers the generators of the queue properties for <c>[Property]</c>; each comes with a
/// shrinker, and each generated type prints readably, so a failing case shows a small program.
/// </summary>
public static class QueueArbitraries
{
    /// <summary>
    /// Transactions of operations. Shrinks by dropping transactions and operations (FsCheck's array
    /// shrinker) and by shrinking enqueued items towards 0.
    /// </summary>
    private static readonly Arbitrary<QueueOperation[][]> s_transactions =
        Arb.Array(Arb.Array(Arb.From(QueueOperation.Generator(), QueueOperation.Shrink)));

    /// <summary>The bounded capacities a shape shrinks to, smallest first (an unbounded queue, 0, does not shrink).</summary>
    private static readonly int[] s_smallerCapacities = [1, 2, 7];

    /// <summary>Programs for an unbounded queue.</summary>
    public static Arbitrary<QueueProgram> Programs() =>
        Arb.From(
            s_transactions.Generator.Select(static t => new QueueProgram(t)),
            static program => s_transactions.Shrinker(program.Transactions).Select(static t => new QueueProgram(t)));

    /// <summary>Programs for a bounded queue of capacity 1 to 4; the capacity shrinks towards 1.</summary>
    public static Arbitrary<BoundedQueueProgram> BoundedPrograms() =>
        Arb.From(
            from capacity in Gen.Choose(1, 4)
            from transactions in s_transactions.Generator
            select new BoundedQueueProgram(capacity, transactions),
            static program =>
                s_transactions.Shrinker(program.Transactions).Select(t => program with { Transactions = t })
                    .Concat(Shrinking.Toward(program.Capacity, 1).Select(c => program with { Capacity = c })));

    /// <summary>
    /// Producer/consumer shapes: 2 to 4 producers and consumers (more threads than cores, which
    /// the shrinker keeps), 1 to 150 items each, an unbounded queue or capacity 1, 2, 7 or 64.
    /// Shrinks the items first, then the thread counts, then the capacity.
    /// </summary>
    public static Arbitrary<QueueShape> Shapes() =>
        Arb.From(
            from producers in Gen.Choose(2, 4)
            from consumers in Gen.Choose(2, 4)
            from items in Gen.Choose(1, 150)
            from capacity in Gen.Elements(0, 1, 2, 7, 64)
            select new QueueShape(producers, consumers, items, capacity),
            static shape =>
                Shrinking.Toward(shape.Items, 1).Select(i => shape with { Items = i })
                    .Concat(Shrinking.Toward(shape.Producers, 2).Select(p => shape with { Producers = p }))
                    .Concat(Shrinking.Toward(shape.Consumers, 2).Select(c => shape with { Consumers = c }))
                    .Concat(s_smallerCapacities.Where(c => c > 0 && c < shape.Capacity).Select(c => shape with { Capacity = c })));

    /// <summary>Move scenarios: 1 to 40 items, 4 to 6 movers; shrinks towards 1 item and 4 movers.</summary>
    public static Arbitrary<MoveScenario> MoveScenarios() =>
        Arb.From(
            from items in Gen.Choose(1, 40)
            from threads in Gen.Choose(4, 6)
            select new MoveScenario(items, threads),
            static scenario =>
                Shrinking.Toward(scenario.Items, 1).Select(i => scenario with { Items = i })
                    .Concat(Shrinking.Toward(scenario.Threads, 4).Select(t => scenario with { Threads = t })));
}
