using System.Diagnostics;
using System.Globalization;
using Stm.Collections;

namespace ProducerConsumer;

/// <summary>
/// The classic thread pool on a queue, with a transactional queue: one producer puts lines of numbers
/// on a <see cref="TQueue{T}"/>, ten consumers take them through
/// <see cref="TQueue{T}.GetConsumingEnumerable"/> and sum the numbers, and the producer calls
/// <see cref="TQueue{T}.Complete"/> when it has no more lines, which ends every consumer's loop once
/// the queue is drained: no sentinel items, no extra flag, no thread left waiting. The run ends with
/// a self-check that every line was consumed exactly once.
/// </summary>
/// <remarks>
/// Usage: <c>dotnet run --project samples/ProducerConsumer [-- --quick | --input FILE | --help]</c>.
/// Exit code 0 when the self-check passes, 1 when it fails, 2 on bad arguments or a bad input file.
/// </remarks>
internal static class Program
{
    /// <summary>How many consumer threads share the queue.</summary>
    private const int ConsumerCount = 10;

    /// <summary>The seed of the generated numbers, so that runs are repeatable.</summary>
    private const int Seed = 2024;

    /// <summary>The backlog above which the producer lets the consumers catch up.</summary>
    private const int MaxBacklog = 100_000;

    /// <summary>How often (in lines) the producer looks at the backlog.</summary>
    private const int BacklogCheckInterval = 1_024;

    /// <summary>How long after the producer's time is up every thread must have ended.</summary>
    private static readonly TimeSpan s_shutdownLimit = TimeSpan.FromSeconds(60);

    /// <summary>Runs the demo; returns 0 when the self-check passes, 1 when it fails, 2 on bad input.</summary>
    public static int Main(string[] args)
    {
        if (!Options.TryParse(args, out Options options, out string? error))
        {
            Console.Error.WriteLine(error);
            Console.Error.WriteLine();
            Console.Error.WriteLine(Options.Usage);
            return 2;
        }

        if (options.ShowHelp)
        {
            Console.WriteLine(Options.Usage);
            return 0;
        }

        Tally expected;
        IEnumerable<string> lines;
        string source;
        if (options.InputPath is { } path)
        {
            // Checked before any thread starts, so that a bad file gets one clear message.
            if (!InputLines.TryTallyFile(path, out expected, out error))
            {
                Console.Error.WriteLine(error);
                return 2;
            }

            lines = File.ReadLines(path);
            source = $"the lines of '{path}'";
        }
        else
        {
            expected = new Tally();
            lines = InputLines.Generate(options.Duration, Seed, expected);
            source = Invariant($"random lines generated for {options.Duration.TotalSeconds:0.#} s (seed {Seed})");
        }

        Console.WriteLine("Stm producer/consumer demo");
        Console.WriteLine($"  input       {source}");
        Console.WriteLine(Invariant($"  consumers   {ConsumerCount} threads (on {Environment.ProcessorCount} cores) sharing one TQueue<string>"));
        Console.WriteLine();

        var run = Run(lines);
        return Report(run, expected);
    }

    /// <summary>Starts the producer and the consumers together and waits for all of them to end.</summary>
    private static RunResult Run(IEnumerable<string> lines)
    {
        var queue = new TQueue<string>();
        var consumed = new Tally[ConsumerCount];
        var errors = new Exception?[ConsumerCount + 1];
        long largestBacklog = 0;

        // Every thread, and this one, meets at the barrier, so that all start together.
        using var start = new Barrier(ConsumerCount + 2);
        var threads = new List<Thread>();
        for (int i = 0; i < ConsumerCount; i++)
        {
            int index = i;
            consumed[index] = new Tally();
            threads.Add(new Thread(() =>
            {
                start.SignalAndWait();
                errors[index] = Capture(() => Consume(queue, consumed[index]));
            })
            { IsBackground = true, Name = $"consumer-{index}" });
        }

        threads.Add(new Thread(() =>
        {
            start.SignalAndWait();
            errors[ConsumerCount] = Capture(() => largestBacklog = Produce(queue, lines));
        })
        { IsBackground = true, Name = "producer" });

        foreach (Thread thread in threads)
        {
            thread.Start();
        }

        start.SignalAndWait();
        var stopwatch = Stopwatch.StartNew();
        string? stuck = null;
        foreach (Thread thread in threads)
        {
            // The producer's time plus a generous margin: a thread still running then is a failure, not a hang.
            TimeSpan left = s_shutdownLimit + TimeSpan.FromSeconds(5) - stopwatch.Elapsed;
            if (!thread.Join(left > TimeSpan.Zero ? left : TimeSpan.Zero))
            {
                stuck ??= $"thread '{thread.Name}' was still running {stopwatch.Elapsed.TotalSeconds:0} s after the start";
            }
        }

        stopwatch.Stop();
        return new RunResult(queue, consumed, errors, largestBacklog, stuck, stopwatch.Elapsed);
    }

    /// <summary>
    /// The producer: enqueues every line, then completes the queue, also when something went wrong,
    /// so that the consumers always end.
    /// </summary>
    /// <returns>The largest backlog it saw.</returns>
    private static long Produce(TQueue<string> queue, IEnumerable<string> lines)
    {
        long largestBacklog = 0;
        try
        {
            long produced = 0;
            foreach (string line in lines)
            {
                queue.Enqueue(line);
                if (++produced % BacklogCheckInterval == 0)
                {
                    largestBacklog = Math.Max(largestBacklog, LetConsumersCatchUp(queue));
                }
            }
        }
        finally
        {
            queue.Complete();
        }

        return largestBacklog;
    }

    /// <summary>
    /// Keeps the queue from growing without bound when the consumers fall behind (an unbounded queue,
    /// like the one the seed program used, holds whatever the producer outruns them by). Reading
    /// <see cref="TQueue{T}.Count"/> outside a transaction is a read-only snapshot: it never makes a
    /// consumer's transaction conflict.
    /// </summary>
    /// <returns>The backlog found before waiting.</returns>
    private static int LetConsumersCatchUp(TQueue<string> queue)
    {
        int backlog = queue.Count;
        while (queue.Count > MaxBacklog / 2 && backlog > MaxBacklog)
        {
            Thread.Sleep(1);
        }

        return backlog;
    }

    /// <summary>A consumer: takes lines until the queue is completed and drained, summing their numbers.</summary>
    private static void Consume(TQueue<string> queue, Tally tally)
    {
        // Each step takes one line in a transaction of its own; the loop ends when the producer has
        // completed the queue and no line is left.
        foreach (string line in queue.GetConsumingEnumerable())
        {
            if (!LineParser.TryParse(line, out int numbers, out long sum, out string? bad))
            {
                throw new FormatException($"A consumer got a line with '{bad}', which is not an integer.");
            }

            tally.Add(numbers, sum);
        }
    }

    /// <summary>Prints the results and the self-check; returns the exit code.</summary>
    private static int Report(RunResult run, Tally expected)
    {
        var total = new Tally();
        foreach (Tally tally in run.Consumed)
        {
            total.Add(tally);
        }

        long fewest = run.Consumed.Min(static t => t.Lines);
        long most = run.Consumed.Max(static t => t.Lines);
        Console.WriteLine("Results");
        Console.WriteLine(Invariant($"  lines       {expected.Lines:N0} produced, {total.Lines:N0} consumed ({fewest:N0} to {most:N0} per consumer)"));
        Console.WriteLine(Invariant($"  numbers     {expected.Numbers:N0} produced, {total.Numbers:N0} consumed"));
        Console.WriteLine(Invariant($"  sum         {expected.Sum:N0} produced, {total.Sum:N0} consumed"));
        Console.WriteLine(Invariant($"  throughput  {total.Lines / run.Elapsed.TotalSeconds:N0} lines/s over {run.Elapsed.TotalSeconds:0.00} s"));
        Console.WriteLine(Invariant($"  backlog     at most {run.LargestBacklog:N0} lines waiting (sampled every {BacklogCheckInterval:N0} lines)"));
        Console.WriteLine($"  queue       {(run.Queue.IsCompleted ? "completed" : "NOT completed")}, {(run.Queue.IsEmpty ? "empty" : "NOT empty")}");
        Console.WriteLine();

        string? failure = run.Stuck
            ?? FirstError(run.Errors)
            ?? (!total.SameAs(expected)
                ? Invariant($"the consumers took {total.Lines:N0} lines, {total.Numbers:N0} numbers summing to {total.Sum:N0}; the input had {expected.Lines:N0}, {expected.Numbers:N0} and {expected.Sum:N0}")
                : null)
            ?? (!run.Queue.IsCompleted || !run.Queue.IsEmpty ? "the queue was not completed and empty at the end" : null);
        if (failure is null)
        {
            Console.WriteLine("Self-check: OK");
            return 0;
        }

        Console.WriteLine($"Self-check: FAILED: {failure}");
        return 1;
    }

    private static string? FirstError(Exception?[] errors)
    {
        for (int i = 0; i < errors.Length; i++)
        {
            if (errors[i] is { } error)
            {
                string who = i < ConsumerCount ? $"consumer {i}" : "the producer";
                return $"{who} failed: {error.GetType().Name}: {error.Message}";
            }
        }

        return null;
    }

    /// <summary>Runs <paramref name="work"/> and returns what it threw, if anything.</summary>
    private static Exception? Capture(Action work)
    {
        try
        {
            work();
            return null;
        }
#pragma warning disable CA1031 // A thread's failure is reported by the self-check instead of ending the process.
        catch (Exception error)
#pragma warning restore CA1031
        {
            return error;
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
