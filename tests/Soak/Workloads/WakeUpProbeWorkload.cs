using System.Diagnostics;
using System.Threading.Channels;
using Stm.Collections;

namespace Stm.Soak.Workloads;

/// <summary>
/// Probes for lost wake-ups amid the rest of the traffic: a waiter (asynchronous with
/// <c>RunAsync</c>, or blocking on a thread of its own) waits in Retry for a fresh TVar, the worker
/// commits the value it waits for, and the waiter must finish within <see cref="SoakOptions.WakeUpBound"/>.
/// Also checks that cancelling an asynchronous waiter ends it promptly, committing nothing, and that
/// completing a queue wakes the consumers waiting on it.
/// </summary>
internal sealed class WakeUpProbeWorkload : SoakWorkload
{
    /// <summary>Probes run.</summary>
    private long _probes;

    /// <summary>Set once the forced lost-wake-up window has been probed: the first probe of every run is that one.</summary>
    private int _windowProbed;

    /// <inheritdoc/>
    public override string Name => "wakeup";

    /// <inheritdoc/>
    public override int Weight => 2;

    /// <inheritdoc/>
    public override void Step(Worker worker)
    {
        Interlocked.Increment(ref _probes);

        // The forced window first, so that even a short run under load probes it at least once.
        if (Interlocked.Exchange(ref _windowProbed, 1) == 0)
        {
            CommitBetweenReadAndWait(worker);
            return;
        }

        switch (worker.Random.Next(6))
        {
            case 0:
                BlockingWaiter(worker);
                break;
            case 1:
                CancelledAsyncWaiter(worker);
                break;
            case 2:
                CommitBetweenReadAndWait(worker);
                break;
            case 3:
                CompletionWakesConsumer(worker);
                break;
            default:
                AsyncWaiter(worker);
                break;
        }
    }

    /// <inheritdoc/>
    public override void Verify(SoakContext context)
    {
        if (Interlocked.Read(ref _probes) == 0 && context.Steps > 1_000)
        {
            context.Fail($"{Name}: no wake-up probe ran in {context.Steps} steps");
        }
    }

    /// <summary>
    /// The lost wake-up window, forced: the waiter's first attempt reads the gate, then (still inside
    /// the body) lets another thread commit the value it waits for, and only then calls Retry. Retry
    /// must notice that a read changed before it parks (GHC's re-validation after registering);
    /// otherwise nothing will ever wake it.
    /// </summary>
    private void CommitBetweenReadAndWait(Worker worker)
    {
        SoakContext context = worker.Context;
        TimeSpan bound = context.Options.WakeUpBound;
        var gate = new TVar<int>(0, "probe.gate");
        bool committed = false;
        Action body = () =>
        {
            int value = gate.Value;
            if (value == 0 && !committed)
            {
                committed = true;
                if (!Task.Run(() => Atomic.Run(() => gate.Value = 1)).Wait(bound))
                {
                    context.Fail($"{Name}: a plain commit of a fresh TVar did not finish within {bound.TotalSeconds:F0}s");
                }
            }

            Atomic.Check(value != 0);
        };
        var clock = Stopwatch.StartNew();
        if (worker.Random.Next(2) == 0)
        {
            if (!Atomic.RunAsync(body).AsTask().Wait(bound))
            {
                context.Fail($"{Name}: lost wake-up: a RunAsync waiter whose read changed before it parked did not finish within {bound.TotalSeconds:F0}s");
                return;
            }
        }
        else
        {
            using var cts = new CancellationTokenSource(bound);
            try
            {
                Atomic.Run(body, cts.Token);
            }
            catch (OperationCanceledException)
            {
                context.Fail($"{Name}: lost wake-up: a blocked waiter whose read changed before it parked did not finish within {bound.TotalSeconds:F0}s");
                return;
            }
        }

        context.RecordWakeUp(clock.Elapsed);
    }

    /// <summary>
    /// A consumer waits on a fresh empty queue (a <c>DequeueAsync</c>, which is parked once it returns
    /// unfinished, sometimes with a blocking <c>Dequeue</c> beside it); the worker completes the queue,
    /// and every consumer must end with <see cref="ChannelClosedException"/> within the bound.
    /// </summary>
    private void CompletionWakesConsumer(Worker worker)
    {
        SoakContext context = worker.Context;
        TimeSpan bound = context.Options.WakeUpBound;
        bool bounded = worker.Random.Next(2) == 0;
        var queue = new TQueue<int>();
        var boundedQueue = new TBoundedQueue<int>(1);
        Func<int> dequeue = bounded ? boundedQueue.Dequeue : queue.Dequeue;
        ValueTask<int> pending = bounded ? boundedQueue.DequeueAsync() : queue.DequeueAsync();
        if (pending.IsCompleted)
        {
            context.Fail($"{Name}: DequeueAsync on an empty queue finished before anything was enqueued");
            return;
        }

        Task blocking = worker.Chance(0.5)
            ? Task.Factory.StartNew(() => dequeue(), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)
            : Task.CompletedTask;
        if (!blocking.IsCompleted)
        {
            Thread.Sleep(worker.Random.Next(0, 2));
        }

        if (bounded)
        {
            boundedQueue.Complete();
        }
        else
        {
            queue.Complete();
        }

        var clock = Stopwatch.StartNew();
        foreach ((Task consumer, string kind) in new[] { (pending.AsTask(), "DequeueAsync"), (blocking, "Dequeue") })
        {
            try
            {
                if (!consumer.Wait(bound))
                {
                    context.Fail($"{Name}: lost wake-up: a {kind} waiting on an empty queue did not end within {bound.TotalSeconds:F0}s of Complete");
                    return;
                }

                if (consumer != Task.CompletedTask)
                {
                    context.Fail($"{Name}: a {kind} on a completed, empty queue returned an item");
                }
            }
            catch (AggregateException exception) when (exception.InnerException is ChannelClosedException)
            {
                // The end a completed, empty queue gives its consumers.
            }
        }

        context.RecordWakeUp(clock.Elapsed);
    }

    private void AsyncWaiter(Worker worker)
    {
        SoakContext context = worker.Context;
        var gate = new TVar<int>(0, "probe.gate");
        var seen = new TVar<int>(0, "probe.seen");
        ValueTask waiter = Atomic.RunAsync(() =>
        {
            int value = gate.Value;
            Atomic.Check(value != 0);
            seen.Write(value);
        });
        if (waiter.IsCompleted)
        {
            context.Fail($"{Name}: RunAsync completed before the value it waits for was committed");
            return;
        }

        if (worker.Chance(0.5))
        {
            Thread.Yield();
        }

        Atomic.Run(() => gate.Value = 1);
        var clock = Stopwatch.StartNew();
        Task task = waiter.AsTask();
        if (!task.Wait(context.Options.WakeUpBound))
        {
            context.Fail($"{Name}: lost wake-up: a RunAsync waiter did not finish within {context.Options.WakeUpBound.TotalSeconds:F0}s of the commit it waited for");
            return;
        }

        context.RecordWakeUp(clock.Elapsed);
        if (seen.Value != 1)
        {
            context.Fail($"{Name}: a woken RunAsync waiter committed {seen.Value} instead of 1");
        }
    }

    private void CancelledAsyncWaiter(Worker worker)
    {
        SoakContext context = worker.Context;
        var gate = new TVar<int>(0, "probe.gate");
        var seen = new TVar<int>(0, "probe.seen");
        using var cts = new CancellationTokenSource();
        ValueTask waiter = Atomic.RunAsync(
            () =>
            {
                Atomic.Check(gate.Value != 0);
                seen.Write(1);
            },
            cts.Token);
        context.CountFault();
        cts.Cancel();
        var clock = Stopwatch.StartNew();
        Task task = waiter.AsTask();
        try
        {
            if (!task.Wait(context.Options.WakeUpBound))
            {
                context.Fail($"{Name}: a cancelled RunAsync waiter did not end within {context.Options.WakeUpBound.TotalSeconds:F0}s");
                return;
            }

            context.Fail($"{Name}: a cancelled RunAsync waiter completed successfully although its condition never held");
        }
        catch (AggregateException exception) when (exception.InnerException is OperationCanceledException)
        {
            context.RecordWakeUp(clock.Elapsed);
            if (seen.Value != 0)
            {
                context.Fail($"{Name}: a cancelled RunAsync waiter committed its write");
            }
        }
    }

    private void BlockingWaiter(Worker worker)
    {
        SoakContext context = worker.Context;
        var gate = new TVar<int>(0, "probe.gate");
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                Atomic.Run(() => Atomic.Check(gate.Value != 0));
            }
            catch (Exception exception)
            {
                failure = exception;
            }
        })
        {
            IsBackground = true,
            Name = "soak wake-up probe",
        };
        thread.Start();
        if (worker.Chance(0.5))
        {
            Thread.Sleep(worker.Random.Next(0, 2));
        }

        Atomic.Run(() => gate.Value = 1);
        var clock = Stopwatch.StartNew();
        if (!thread.Join(context.Options.WakeUpBound))
        {
            context.Fail($"{Name}: lost wake-up: a blocked waiter did not finish within {context.Options.WakeUpBound.TotalSeconds:F0}s of the commit it waited for");
            return;
        }

        context.RecordWakeUp(clock.Elapsed);
        if (failure is not null)
        {
            context.Fail($"{Name}: a blocked waiter threw {failure.GetType().Name}: {failure.Message}");
        }
    }
}
