using System.Collections.Immutable;

namespace Stm.Tests.Properties.Core;

/// <summary>
/// Runs generated programs two ways: on the STM (TVars, Atomic.Retry/OrElse/Run) and on a
/// sequential reference model (an array, snapshots for rollback). Every program first reads all
/// variables, so a top-level Retry always has something to wait on.
/// </summary>
public static class StmtInterpreter
{
    /// <summary>How long a top-level retry may wait before it counts as "retried" (nothing else commits).</summary>
    private static TimeSpan RetryWait => TimeSpan.FromMilliseconds(15);

    public static Outcome RunOnStm(IReadOnlyList<int> initial, IReadOnlyList<Stmt> program)
    {
        var vars = initial.Select((v, i) => new TVar<int>(v, $"x{i}")).ToArray();
        var committed = Atomic.TryRun(() => Stm(WithReadAll(initial.Count, program), vars, []), RetryWait, out var trace);
        return new Outcome(!committed, committed ? trace! : [], [.. vars.Select(v => v.Value)]);
    }

    public static Outcome RunOnModel(IReadOnlyList<int> initial, IReadOnlyList<Stmt> program)
    {
        var state = initial.ToArray();
        try
        {
            var trace = Model(WithReadAll(initial.Count, program), state, []);
            return new Outcome(false, trace, state);
        }
        catch (ModelRetryException)
        {
            return new Outcome(true, [], [.. initial]);
        }
    }

    private static IReadOnlyList<Stmt> WithReadAll(int count, IReadOnlyList<Stmt> program) =>
        [.. Enumerable.Range(0, count).Select(Stmt.Read), .. program];

    private static ImmutableList<int> Stm(IReadOnlyList<Stmt> block, TVar<int>[] vars, ImmutableList<int> trace)
    {
        foreach (var stmt in block)
        {
            switch (stmt.Kind)
            {
                case StmtKind.Read:
                    trace = trace.Add(vars[stmt.Var].Value);
                    break;
                case StmtKind.Write:
                    vars[stmt.Var].Write(stmt.Value);
                    break;
                case StmtKind.Add:
                    vars[stmt.Var].Value += stmt.Value;
                    break;
                case StmtKind.Retry:
                    Atomic.Retry();
                    break;
                case StmtKind.CheckAtLeast:
                    Atomic.Check(vars[stmt.Var].Value >= stmt.Value);
                    break;
                case StmtKind.OrElse:
                    trace = trace.AddRange(Atomic.OrElse(() => Stm(stmt.First, vars, []), () => Stm(stmt.Second, vars, [])));
                    break;
                case StmtKind.Nested:
                    trace = trace.AddRange(Atomic.Run(() => Stm(stmt.First, vars, [])));
                    break;
                case StmtKind.NestedThrow:
                    try
                    {
                        Atomic.Run(() =>
                        {
                            Stm(stmt.First, vars, []);
                            throw new NestedAbortException();
                        });
                    }
                    catch (NestedAbortException)
                    {
                        // Only the nested writes are rolled back; the outer body goes on.
                    }

                    break;
                default:
                    throw new InvalidOperationException(stmt.Kind.ToString());
            }
        }

        return trace;
    }

    private static ImmutableList<int> Model(IReadOnlyList<Stmt> block, int[] state, ImmutableList<int> trace)
    {
        foreach (var stmt in block)
        {
            switch (stmt.Kind)
            {
                case StmtKind.Read:
                    trace = trace.Add(state[stmt.Var]);
                    break;
                case StmtKind.Write:
                    state[stmt.Var] = stmt.Value;
                    break;
                case StmtKind.Add:
                    state[stmt.Var] += stmt.Value;
                    break;
                case StmtKind.Retry:
                    throw new ModelRetryException();
                case StmtKind.CheckAtLeast:
                    if (state[stmt.Var] < stmt.Value)
                    {
                        throw new ModelRetryException();
                    }

                    break;
                case StmtKind.OrElse:
                {
                    var snapshot = state.ToArray();
                    ImmutableList<int> branch;
                    try
                    {
                        branch = Model(stmt.First, state, []);
                    }
                    catch (ModelRetryException)
                    {
                        snapshot.CopyTo(state, 0);
                        branch = Model(stmt.Second, state, []);
                    }

                    trace = trace.AddRange(branch);
                    break;
                }

                case StmtKind.Nested:
                    trace = trace.AddRange(Model(stmt.First, state, []));
                    break;
                case StmtKind.NestedThrow:
                {
                    var snapshot = state.ToArray();
                    Model(stmt.First, state, []);
                    snapshot.CopyTo(state, 0);
                    break;
                }

                default:
                    throw new InvalidOperationException(stmt.Kind.ToString());
            }
        }

        return trace;
    }
}
