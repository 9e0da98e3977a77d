using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Text;
using Stm.Testing.History;

namespace Stm.Tests.Properties.Checkouts;

/// <summary>
/// Runs a <see cref="CheckoutProgram"/>: one thread-pool task per program task, all released
/// together, each running its transactions in order (checkouts with awaits between their blocks,
/// and ordinary transactions). Every attempt is recorded for the list-append history checker:
/// committed ones with real-time bounds, aborted ones (a failed commit, a conflicting block, a body
/// that RunAsync re-runs) as aborted. Then checks: the history is strictly serializable with aborted
/// reads included, every audit in every attempt saw the bank's total, the final balances are
/// exactly the starting ones with every move applied, and every transaction committed exactly once.
/// </summary>
public sealed class CheckoutProgramRunner
{
    /// <summary>The longest a program may run; past it the run is cancelled and reported as hung.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly CheckoutProgram _program;
    private readonly TVar<ImmutableList<int>>[] _registers;
    private readonly TVar<int>[] _accounts;
    private readonly int _total;
    private readonly HistoryRecorder _recorder = new();

    /// <summary>Audits that saw a total other than <see cref="_total"/>; recorded, not thrown, so later attempts still run.</summary>
    private readonly ConcurrentQueue<string> _violations = new();

    /// <summary>The last element handed to an append; every attempt's appends get fresh ones.</summary>
    private int _nextElement;

    private CheckoutProgramRunner(CheckoutProgram program)
    {
        _program = program;
        _registers = [.. Enumerable.Range(0, program.Keys).Select(k => new TVar<ImmutableList<int>>([], $"register{k}"))];
        _accounts = [.. program.Balances.Select((b, i) => new TVar<int>(b, $"account{i}"))];
        _total = program.Balances.Sum();
    }

    /// <summary>Runs <paramref name="program"/> on fresh TVars and checks everything it recorded.</summary>
    public static CheckoutRunResult Run(CheckoutProgram program) => new CheckoutProgramRunner(program).Run();

    private CheckoutRunResult Run()
    {
        var failure = RunTasks();

        // A last transaction reads every register, so the checker knows each key's whole version
        // order; with real-time order it must see every committed append.
        var finalInvoked = HistoryRecorder.Now();
        Atomic.Run(() =>
        {
            var log = new TransactionLog(finalInvoked);
            for (var k = 0; k < _registers.Length; k++)
            {
                log.Read(k, _registers[k].Value);
            }

            Atomic.AfterCommit(() => _recorder.Record(log, TransactionOutcome.Committed));
        });
        var final = Atomic.Run(() => _accounts.Select(a => a.Value).ToArray());

        // Moves commute, so the final balances do not depend on the order they committed in.
        var expected = _program.Balances.ToArray();
        foreach (var move in _program.Tasks.SelectMany(t => t).SelectMany(t => t.Blocks).SelectMany(b => b.Ops).Where(o => o.Kind == CheckoutOpKind.Move))
        {
            expected[move.From] -= move.Amount;
            expected[move.To] += move.Amount;
        }

        var history = _recorder.Snapshot();
        var report = SerializabilityChecker.Check(history, checkAbortedReads: true, checkRealTime: true);
        var committed = history.Count(t => t.Outcome == TransactionOutcome.Committed);
        var expectedCommitted = _program.TransactionCount + 1;

        var problems = new List<string>();
        if (failure is not null)
        {
            problems.Add(failure);
        }

        if (!report.IsSerializable)
        {
            problems.Add("the history is not strictly serializable");
        }

        if (!_violations.IsEmpty)
        {
            problems.Add($"{_violations.Count} audit(s) saw a wrong total, the first: {_violations.First()}");
        }

        if (!final.SequenceEqual(expected))
        {
            problems.Add($"final balances [{string.Join(", ", final)}] (total {final.Sum()}), expected [{string.Join(", ", expected)}] (total {_total})");
        }

        if (committed != expectedCommitted)
        {
            problems.Add($"{committed} committed attempts recorded, expected {expectedCommitted} (each transaction once, plus the final read)");
        }

        var text = new StringBuilder();
        text.AppendLine(problems.Count == 0 ? "no problem" : string.Join(Environment.NewLine, problems));
        text.AppendLine(FormattableString.Invariant($"committed {committed}, aborted attempts {history.Count - committed}"));
        text.Append(report.ToString());
        return new CheckoutRunResult(problems.Count == 0, text.ToString());
    }

    /// <summary>Runs every task to its end; returns null, or what went wrong (a hang, an unexpected exception).</summary>
    private string? RunTasks()
    {
        using var cancel = new CancellationTokenSource(Timeout);
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tasks = new Task[_program.Tasks.Count];
        for (var i = 0; i < tasks.Length; i++)
        {
            var transactions = _program.Tasks[i];
            tasks[i] = Task.Run(async () =>
            {
                await start.Task.ConfigureAwait(false);
                foreach (var transaction in transactions)
                {
                    await RunTransactionAsync(transaction, cancel.Token).ConfigureAwait(false);
                }
            });
        }

        start.SetResult();
        try
        {
            // The token stops the tasks at the timeout; the margin lets them notice it.
            return Task.WhenAll(tasks).Wait(Timeout + TimeSpan.FromSeconds(10))
                ? null
                : $"tasks still running {Timeout.TotalSeconds + 10} s after the start (hung)";
        }
        catch (AggregateException error) when (cancel.IsCancellationRequested)
        {
            return $"tasks cancelled after {Timeout.TotalSeconds} s (hung or livelocked): {error.InnerExceptions[0].GetType().Name}";
        }
        catch (AggregateException error)
        {
            return $"a task threw {error.InnerExceptions[0]}";
        }
    }

    private async Task RunTransactionAsync(CheckoutTransaction transaction, CancellationToken cancellationToken)
    {
        // Stamped before the snapshot can be taken (Atomic.Checkout, RunAsync or Run takes it).
        var invoked = HistoryRecorder.Now();
        switch (transaction.Style)
        {
            case CheckoutStyle.TryCommit:
            case CheckoutStyle.Commit:
                await RunManualAsync(transaction, cancellationToken).ConfigureAwait(false);
                break;
            case CheckoutStyle.RunAsync:
                await Atomic.RunAsync(
                    async (checkout, ct) =>
                    {
                        // A fresh log for every run of the body; the handlers record it when this run's checkout ends.
                        var log = new TransactionLog(invoked);
                        checkout.Run(() =>
                        {
                            Atomic.AfterCommit(() => _recorder.Record(log, TransactionOutcome.Committed));
                            Atomic.AfterRollback(() => _recorder.Record(log, TransactionOutcome.Aborted));
                        });
                        await RunBlocksAsync(checkout, transaction, log).ConfigureAwait(false);
                    },
                    cancellationToken).ConfigureAwait(false);
                break;
            default:
                Atomic.Run(() =>
                {
                    var log = new TransactionLog(invoked);
                    Atomic.AfterCommit(() => _recorder.Record(log, TransactionOutcome.Committed));
                    Atomic.AfterRollback(() => _recorder.Record(log, TransactionOutcome.Aborted));
                    RunOps(transaction.Blocks[0], log, [], isLast: true);
                }, cancellationToken);
                await transaction.Blocks[0].PauseAfter.RunAsync().ConfigureAwait(false);
                break;
        }
    }

    /// <summary>Check out, run the blocks, commit; on a clash, rinse and repeat on a fresh checkout.</summary>
    private async Task RunManualAsync(CheckoutTransaction transaction, CancellationToken cancellationToken)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var log = new TransactionLog(HistoryRecorder.Now());
            var committed = false;
            using (var checkout = Atomic.Checkout())
            {
                try
                {
                    await RunBlocksAsync(checkout, transaction, log).ConfigureAwait(false);
                    if (transaction.Style == CheckoutStyle.TryCommit)
                    {
                        committed = checkout.TryCommit();
                    }
                    else
                    {
                        checkout.Commit();
                        committed = true;
                    }
                }
                catch (ConflictException)
                {
                    // A block needed a state the snapshot cannot show, or Commit found a changed read.
                }
            }

            // After the commit: the recorder stamps the completion time now.
            _recorder.Record(log, committed ? TransactionOutcome.Committed : TransactionOutcome.Aborted);
            if (committed)
            {
                return;
            }
        }
    }

    /// <summary>Runs the blocks of one attempt in order, each followed by its await (the last one before the commit).</summary>
    private async Task RunBlocksAsync(Checkout checkout, CheckoutTransaction transaction, TransactionLog log)
    {
        var moves = new List<CheckoutOp>();
        for (var b = 0; b < transaction.Blocks.Count; b++)
        {
            var block = transaction.Blocks[b];
            var isLast = b == transaction.Blocks.Count - 1;
            checkout.Run(() => RunOps(block, log, moves, isLast));
            await block.PauseAfter.RunAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The steps of one block, inside a checkout block or a transaction body. Moves read their accounts
    /// here and are applied at the end of the last block, relative to what the attempt sees then, so
    /// two moves of one transaction over the same account both count.
    /// </summary>
    private void RunOps(CheckoutBlock block, TransactionLog log, List<CheckoutOp> moves, bool isLast)
    {
        foreach (var op in block.Ops)
        {
            switch (op.Kind)
            {
                case CheckoutOpKind.Read:
                    log.Read(op.Key, _registers[op.Key].Value);
                    break;
                case CheckoutOpKind.Append:
                    var register = _registers[op.Key];
                    var list = register.Value;
                    var element = Interlocked.Increment(ref _nextElement);
                    register.Value = list.Add(element);
                    log.Append(op.Key, element);
                    break;
                case CheckoutOpKind.Move:
                    _ = _accounts[op.From].Value;
                    _ = _accounts[op.To].Value;
                    moves.Add(op);
                    break;
                default:
                    var seen = _accounts.Select(a => a.Value).ToArray();
                    if (seen.Sum() != _total)
                    {
                        _violations.Enqueue($"an audit saw [{string.Join(", ", seen)}], total {seen.Sum()} != {_total}");
                    }

                    break;
            }
        }

        if (isLast)
        {
            foreach (var move in moves)
            {
                _accounts[move.From].Value -= move.Amount;
                _accounts[move.To].Value += move.Amount;
            }
        }
    }
}
