using System.Collections.Immutable;
using Stm.Testing.History;

namespace Stm.Soak.Workloads;

/// <summary>
/// Elle-style list-append transactions over a few keys (each key a TVar holding an immutable list;
/// elements are unique), recorded with <see cref="HistoryRecorder"/> and checked at the end for strict
/// serializability: each transaction carries the time it was invoked and the time it returned, so one
/// that finished before another began must come first. Aborted attempts (conflicts, Retry, body
/// faults) are recorded too, through <c>AfterRollback</c>: no committed read may ever contain their
/// appends, and their own reads must be consistent (opacity).
/// </summary>
internal sealed class ListAppendWorkload : SoakWorkload
{
    /// <summary>Keys per generation; a transaction touches keys of one generation.</summary>
    private const int KeysPerGeneration = 6;

    /// <summary>Committed transactions per generation before workers move to fresh keys (keeps lists short).</summary>
    private const int TransactionsPerGeneration = 300;

    /// <summary>The most transactions recorded; afterwards the workload stops (the checker's cost grows with the history).</summary>
    private const int HistoryCap = 6_000;

    /// <summary>The registers, by key (generation * <see cref="KeysPerGeneration"/> + index).</summary>
    private readonly TVar<ImmutableList<int>>[] _registers;

    /// <summary>The recorded history, or <see langword="null"/> once released.</summary>
    private HistoryRecorder? _recorder = new();

    /// <summary>The last element handed out (elements are unique across the run).</summary>
    private int _nextElement;

    /// <summary>Transactions started, used to pick the generation.</summary>
    private int _started;

    /// <summary>Initializes a new instance of the <see cref="ListAppendWorkload"/> class.</summary>
    public ListAppendWorkload() =>
        _registers = [.. Enumerable.Range(0, (HistoryCap / TransactionsPerGeneration + 1) * KeysPerGeneration)
            .Select(key => new TVar<ImmutableList<int>>(ImmutableList<int>.Empty, $"list{key}"))];

    /// <inheritdoc/>
    public override string Name => "list-append";

    /// <inheritdoc/>
    public override int Weight => 15;

    /// <summary>Gets the number of transactions recorded.</summary>
    public int Recorded => _recorder?.Count ?? 0;

    /// <inheritdoc/>
    public override void Step(Worker worker)
    {
        HistoryRecorder? recorder = _recorder;
        int started = Interlocked.Increment(ref _started);
        if (recorder is null || started > HistoryCap)
        {
            return;
        }

        int generation = started / TransactionsPerGeneration;
        int operations = worker.Random.Next(1, 5);
        var plan = new (int Key, bool Append)[operations];
        for (int i = 0; i < operations; i++)
        {
            int key = (generation * KeysPerGeneration) + worker.Random.Next(KeysPerGeneration);
            plan[i] = (key, worker.Random.Next(2) == 0);
        }

        TransactionLog? committedLog = null;
        long invoked = HistoryRecorder.Now();
        TransactionOutcome outcome = worker.Execute(() =>
        {
            var log = new TransactionLog(invoked);
            committedLog = log;
            Atomic.AfterRollback(() => recorder.Record(log, Stm.Testing.History.TransactionOutcome.Aborted));
            worker.MaybeAddThrowingHandlers();
            foreach ((int key, bool append) in plan)
            {
                TVar<ImmutableList<int>> register = _registers[key];
                if (!append)
                {
                    log.Read(key, register.Value);
                }
                else
                {
                    // A fresh element in every attempt: an aborted attempt's appends must stay
                    // distinguishable from the committed retry's.
                    int element = Interlocked.Increment(ref _nextElement);
                    register.Write(register.Value.Add(element));
                    log.Append(key, element);
                }

                worker.MaybeDelay();
            }

            worker.MaybeThrowInBody();
        });
        if (outcome == TransactionOutcome.Committed && committedLog is not null)
        {
            recorder.Record(committedLog, Stm.Testing.History.TransactionOutcome.Committed);
        }
    }

    /// <inheritdoc/>
    public override void Verify(SoakContext context)
    {
        if (_recorder is null)
        {
            return;
        }

        SerializabilityReport report = _recorder.CheckSerializable(checkAbortedReads: true, checkRealTime: true);
        if (!report.IsSerializable)
        {
            context.Fail($"{Name}: history of {report.TransactionCount} transactions (aborted attempts included) is not serializable: {report}");
        }
    }

    /// <inheritdoc/>
    public override void ReleaseBookkeeping() => _recorder = null;
}
