using FsCheck;
using FsCheck.Fluent;

namespace Stm.Tests.Properties.Core;

/// <summary>
/// Generators and shrinkers of the core property tests. Thread counts never shrink below
/// <see cref="MinThreads"/> (more threads than the 2 cores of CI), so a shrunk counterexample
/// still runs concurrently; operations and pauses shrink away.
/// </summary>
public static class CoreArbitraries
{
    public const int MinThreads = 4;

    public static Gen<Pause> PauseGen { get; } = Gen.Frequency(
        (4, Gen.Constant(Pause.None)),
        (2, Gen.Constant(new Pause(1, 0))),
        (2, Gen.Choose(1, 300).Select(spins => new Pause(2, spins))),
        (1, Gen.Constant(new Pause(3, 0))));

    public static Arbitrary<BankProgram> BankProgram()
    {
        var gen =
            from accountCount in Gen.Choose(2, 6)
            from balances in Gen.Choose(0, 100).ArrayOf(accountCount)
            from threadCount in Gen.Choose(MinThreads, 8)
            from threads in BankOperationGen(accountCount).ListOf().Resize(10).Select(l => (IReadOnlyList<BankOperation>)[.. l]).ArrayOf(threadCount)
            select new BankProgram(balances, threads);
        return Arb.From(gen, ShrinkBank);
    }

    public static Arbitrary<ListAppendProgram> ListAppendProgram()
    {
        var gen =
            from keys in Gen.Choose(2, 5)
            from threadCount in Gen.Choose(MinThreads, 8)
            from threads in ListAppendTransactionGen(keys).ListOf().Resize(6).Select(l => (IReadOnlyList<IReadOnlyList<ListAppendStep>>)[.. l]).ArrayOf(threadCount)
            select new ListAppendProgram(keys, threads);
        return Arb.From(gen, program => ShrinkThreads(program.Threads, ShrinkListAppendTransaction).Select(t => program with { Threads = t }));
    }

    private static Gen<IReadOnlyList<ListAppendStep>> ListAppendTransactionGen(int keys) =>
        from count in Gen.Choose(1, 5)
        from steps in (
            from isAppend in Gen.Elements(true, false)
            from key in Gen.Choose(0, keys - 1)
            from pause in PauseGen
            select new ListAppendStep(isAppend, key, pause)).ListOf(count)
        select (IReadOnlyList<ListAppendStep>)[.. steps];

    private static IReadOnlyList<ListAppendStep>? ShrinkListAppendTransaction(IReadOnlyList<ListAppendStep> steps)
    {
        // Simplify one transaction: drop its last step, or else clear its first pause.
        if (steps.Count > 1)
        {
            return [.. steps.Take(steps.Count - 1)];
        }

        return steps[0].Pause == Pause.None ? null : [steps[0] with { Pause = Pause.None }];
    }

    public static Arbitrary<ReadOnlyScenario> ReadOnlyScenario()
    {
        var gen =
            from readers in Gen.Choose(1, 2)
            from writers in Gen.Choose(MinThreads - 1, 6)
            from pausePoint in Gen.Choose(1, 99)
            from commits in Gen.Choose(1, 10)
            from pause in PauseGen
            select new ReadOnlyScenario(readers, writers, pausePoint, commits, pause);
        return Arb.From(gen, ShrinkReadOnly);
    }

    private static IEnumerable<ReadOnlyScenario> ShrinkReadOnly(ReadOnlyScenario scenario)
    {
        if (scenario.Readers > 1)
        {
            yield return scenario with { Readers = 1 };
        }

        if (scenario.CommitsToWaitFor > 1)
        {
            yield return scenario with { CommitsToWaitFor = 1 };
        }

        if (scenario.WriterPause != Pause.None)
        {
            yield return scenario with { WriterPause = Pause.None };
        }

        if (scenario.PausePoint != 50)
        {
            yield return scenario with { PausePoint = 50 };
        }
    }

    public static Arbitrary<LawCase> LawCase()
    {
        var block = BlockGen(2);
        var gen =
            from initial in Gen.Choose(0, 5).ArrayOf(Core.LawCase.Variables)
            from prefix in LeafGen.ListOf().Resize(3)
            from a in block
            from b in block
            from c in block
            select new LawCase(initial, [.. prefix], a, b, c);
        return Arb.From(gen, ShrinkLaw);
    }

    private static Gen<Stmt> LeafGen { get; } = Gen.Frequency(
        (3, Gen.Choose(0, Core.LawCase.Variables - 1).Select(Stmt.Read)),
        (3, Gen.Choose(0, Core.LawCase.Variables - 1).SelectMany(v => Gen.Choose(0, 9).Select(c => Stmt.Write(v, c)))),
        (3, Gen.Choose(0, Core.LawCase.Variables - 1).SelectMany(v => Gen.Choose(-3, 3).Select(c => Stmt.Add(v, c)))),
        (1, Gen.Constant(Stmt.Retry)),
        (2, Gen.Choose(0, Core.LawCase.Variables - 1).SelectMany(v => Gen.Choose(0, 6).Select(c => Stmt.CheckAtLeast(v, c)))));

    private static Gen<IReadOnlyList<Stmt>> BlockGen(int depth) =>
        from count in Gen.Choose(0, 3)
        from stmts in StmtGen(depth).ListOf(count)
        select (IReadOnlyList<Stmt>)[.. stmts];

    private static Gen<Stmt> StmtGen(int depth)
    {
        if (depth == 0)
        {
            return LeafGen;
        }

        var inner = BlockGen(depth - 1);
        return Gen.Frequency(
            (6, LeafGen),
            (2, inner.SelectMany(first => inner.Select(second => Stmt.OrElse(first, second)))),
            (1, inner.Select(Stmt.Nested)),
            (1, inner.Select(Stmt.NestedThrow)));
    }

    private static IEnumerable<LawCase> ShrinkLaw(LawCase law)
    {
        foreach (var a in ShrinkBlock(law.A))
        {
            yield return law with { A = a };
        }

        foreach (var b in ShrinkBlock(law.B))
        {
            yield return law with { B = b };
        }

        foreach (var c in ShrinkBlock(law.C))
        {
            yield return law with { C = c };
        }

        foreach (var prefix in ShrinkBlock(law.Prefix))
        {
            yield return law with { Prefix = prefix };
        }

        for (var i = 0; i < law.Initial.Count; i++)
        {
            if (law.Initial[i] != 0)
            {
                var initial = law.Initial.ToArray();
                initial[i] = 0;
                yield return law with { Initial = initial };
            }
        }
    }

    /// <summary>Shrinks a block: drop a statement, splice a compound statement's branch in its place, or shrink inside a branch.</summary>
    public static IEnumerable<IReadOnlyList<Stmt>> ShrinkBlock(IReadOnlyList<Stmt> block)
    {
        for (var i = 0; i < block.Count; i++)
        {
            yield return [.. block.Take(i), .. block.Skip(i + 1)];
        }

        for (var i = 0; i < block.Count; i++)
        {
            var stmt = block[i];
            if (stmt.First.Count == 0 && stmt.Second.Count == 0)
            {
                continue;
            }

            yield return [.. block.Take(i), .. stmt.First, .. block.Skip(i + 1)];
            if (stmt.Kind == StmtKind.OrElse)
            {
                yield return [.. block.Take(i), .. stmt.Second, .. block.Skip(i + 1)];
            }

            foreach (var first in ShrinkBlock(stmt.First))
            {
                yield return [.. block.Take(i), stmt with { First = first }, .. block.Skip(i + 1)];
            }

            foreach (var second in ShrinkBlock(stmt.Second))
            {
                yield return [.. block.Take(i), stmt with { Second = second }, .. block.Skip(i + 1)];
            }
        }
    }

    public static Arbitrary<PipelineScenario> PipelineScenario()
    {
        var gen =
            from producers in Gen.Choose(1, 4)
            from items in Gen.Choose(0, 30).ArrayOf(producers)
            from firstCapacity in Gen.Choose(1, 4)
            from relays in Gen.Choose(1, 3)
            from secondCapacity in Gen.Choose(1, 3)
            from consumers in Gen.Choose(Math.Max(1, MinThreads - producers - relays), 4)
            select new PipelineScenario(items, firstCapacity, relays, secondCapacity, consumers);
        return Arb.From(gen, ShrinkPipeline);
    }

    private static IEnumerable<PipelineScenario> ShrinkPipeline(PipelineScenario scenario)
    {
        // Fewer items first; thread counts only shrink while the total stays at MinThreads or more.
        for (var p = 0; p < scenario.ItemsPerProducer.Count; p++)
        {
            var count = scenario.ItemsPerProducer[p];
            foreach (var smaller in count > 1 ? [0, count / 2, count - 1] : count == 1 ? new[] { 0 } : [])
            {
                var items = scenario.ItemsPerProducer.ToArray();
                items[p] = smaller;
                yield return scenario with { ItemsPerProducer = items };
            }
        }

        var candidates = new List<PipelineScenario>();
        if (scenario.ItemsPerProducer.Count > 1)
        {
            candidates.Add(scenario with { ItemsPerProducer = [.. scenario.ItemsPerProducer.Skip(1)] });
        }

        if (scenario.Relays > 1)
        {
            candidates.Add(scenario with { Relays = scenario.Relays - 1 });
        }

        if (scenario.Consumers > 1)
        {
            candidates.Add(scenario with { Consumers = scenario.Consumers - 1 });
        }

        if (scenario.FirstCapacity > 1)
        {
            candidates.Add(scenario with { FirstCapacity = 1 });
        }

        if (scenario.SecondCapacity > 1)
        {
            candidates.Add(scenario with { SecondCapacity = 1 });
        }

        foreach (var candidate in candidates.Where(c => c.Threads >= MinThreads))
        {
            yield return candidate;
        }
    }

    private static Gen<BankOperation> BankOperationGen(int accountCount) =>
        from source in Gen.Choose(0, accountCount - 1)
        from offset in Gen.Choose(1, accountCount - 1)
        from amount in Gen.Choose(1, 50)
        from kind in Gen.Frequency((5, Gen.Constant(0)), (3, Gen.Constant(1)), (2, Gen.Constant(2)))
        from pause in PauseGen
        select new BankOperation(source, (source + offset) % accountCount, amount, kind == 1, kind == 2, pause);

    private static IEnumerable<BankProgram> ShrinkBank(BankProgram program)
    {
        foreach (var threads in ShrinkThreads(program.Threads, o => o.Pause == Pause.None ? null : o with { Pause = Pause.None }))
        {
            yield return program with { Threads = threads };
        }
    }

    /// <summary>
    /// Shrinks per-thread operation lists: empty a thread, drop one operation, simplify one
    /// operation (via <paramref name="simplify"/>, null when it is already simple). The number of
    /// threads never changes.
    /// </summary>
    public static IEnumerable<IReadOnlyList<IReadOnlyList<T>>> ShrinkThreads<T>(IReadOnlyList<IReadOnlyList<T>> threads, Func<T, T?> simplify)
        where T : class
    {
        for (var t = 0; t < threads.Count; t++)
        {
            if (threads[t].Count > 1)
            {
                yield return Replace(threads, t, []);
            }
        }

        for (var t = 0; t < threads.Count; t++)
        {
            for (var i = 0; i < threads[t].Count; i++)
            {
                var index = i;
                yield return Replace(threads, t, [.. threads[t].Where((_, j) => j != index)]);
            }
        }

        for (var t = 0; t < threads.Count; t++)
        {
            for (var i = 0; i < threads[t].Count; i++)
            {
                if (simplify(threads[t][i]) is { } simpler)
                {
                    var list = threads[t].ToArray();
                    list[i] = simpler;
                    yield return Replace(threads, t, list);
                }
            }
        }
    }

    private static IReadOnlyList<T>[] Replace<T>(IReadOnlyList<IReadOnlyList<T>> threads, int index, IReadOnlyList<T> replacement)
    {
        var copy = threads.ToArray();
        copy[index] = replacement;
        return copy;
    }

    public static Arbitrary<WakeUpScenario> WakeUpScenario()
    {
        var gen =
            from gates in Gen.Choose(1, 3)
            from count in Gen.Choose(1, MinThreads)
            from waiters in (
                from shape in Gen.Elements(Enum.GetValues<WaitShape>())
                from isAsync in Gen.Elements(false, true)
                select new WakeUpWaiter(shape, isAsync)).ArrayOf(count)
            from written in Gen.Choose(0, gates - 1)
            select new WakeUpScenario(gates, waiters, written);
        return Arb.From(gen, scenario => scenario.Waiters.Count > 1
            ? [scenario with { Waiters = [.. scenario.Waiters.Skip(1)] }]
            : []);
    }

    public static Arbitrary<WaitOrderPlan> WaitOrderPlan()
    {
        var step = Gen.Frequency(
            (4, Gen.Constant(new WaitOrderStep(WaitOrderStepKind.Park, 0))),
            (2, Gen.Constant(new WaitOrderStep(WaitOrderStepKind.WakeAll, 0))),
            (2, Gen.Choose(0, 4).Select(w => new WaitOrderStep(WaitOrderStepKind.Release, w))));
        var gen =
            from count in Gen.Choose(2, 8)
            from steps in step.ListOf(count)
            select new WaitOrderPlan([.. steps]);
        return Arb.From(gen, plan => Enumerable.Range(0, plan.Steps.Count)
            .Select(i => new WaitOrderPlan([.. plan.Steps.Where((_, j) => j != i)])));
    }

    public static Arbitrary<ContentionScenario> ContentionScenario()
    {
        var gen =
            from reads in Gen.Choose(1, 6)
            from interfered in Gen.Choose(0, reads - 1)
            from unrelated in Gen.Choose(1, 3)
            from pause in PauseGen
            select new ContentionScenario(reads, interfered, unrelated, pause);
        return Arb.From(gen, scenario => scenario.BodyPause == Pause.None
            ? []
            : [scenario with { BodyPause = Pause.None }]);
    }

    public static Arbitrary<CommuteProgram> CommuteProgram()
    {
        var gen =
            from counters in Gen.Choose(1, 3)
            from threadCount in Gen.Choose(MinThreads, 8)
            from threads in (
                from kind in Gen.Frequency(
                    (4, Gen.Constant(CommuteOperationKind.Commute)),
                    (1, Gen.Constant(CommuteOperationKind.CommuteThenRead)),
                    (2, Gen.Constant(CommuteOperationKind.Add)),
                    (1, Gen.Constant(CommuteOperationKind.CommuteOutside)))
                from counter in Gen.Choose(0, counters - 1)
                from delta in Gen.Choose(1, 9)
                from pause in PauseGen
                select new CommuteOperation(kind, counter, delta, pause)).ListOf().Resize(12).Select(l => (IReadOnlyList<CommuteOperation>)[.. l]).ArrayOf(threadCount)
            select new CommuteProgram(counters, threads);
        return Arb.From(gen, program => ShrinkThreads(program.Threads, o => o.Pause == Pause.None ? null : o with { Pause = Pause.None })
            .Select(t => program with { Threads = t }));
    }
}
