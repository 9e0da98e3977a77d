using System.Diagnostics;
using System.Globalization;

namespace PipelineSample;

/// <summary>
/// Kamaelia's <c>Pipeline(Producer(), Consumer())</c> from the seed discussion, with a transformer
/// stage or two in between: components that only talk through their boxes, each on its own thread.
/// Here the boxes are Stm queues, which lets a component wait on its data and control boxes at once,
/// and lets a transformer move an item from inbox to outbox in one transaction.
/// </summary>
internal static class Program
{
    /// <summary>Runs the pipeline and checks what arrived; 0 when the self-check passes, 1 when it fails, 2 on bad options.</summary>
    public static int Main(string[] args)
    {
        if (args.Contains("--help") || args.Contains("-h"))
        {
            Console.WriteLine(Options.Usage);
            return 0;
        }

        if (!Options.TryParse(args, out Options options, out string? error))
        {
            Console.Error.WriteLine($"error: {error}");
            Console.Error.WriteLine("Run with --help for the options.");
            return 2;
        }

        // The consumer is told what each item should look like after both transformers.
        var producer = new Producer("producer", TimeSpan.FromSeconds(options.Seconds));
        var square = new Transformer("square", static v => v * v);
        var plusOne = new Transformer("plus-one", static v => v + 1);
        var consumer = new Consumer("consumer", static sequence => (sequence * sequence) + 1);
        var pipeline = new Pipeline(options.Capacity, producer, square, plusOne, consumer);

        Console.WriteLine(Invariant($"Pipeline: producer -> square -> plus-one -> consumer, inboxes of {options.Capacity} items, producing for {options.Seconds:0.##} s"));
        Stopwatch stopwatch = Stopwatch.StartNew();
        pipeline.Start();

        // Progress twice a second until every component has finished, or the run is clearly stuck.
        TimeSpan limit = TimeSpan.FromSeconds(options.Seconds + 30);
        IReadOnlyList<Component> running;
        do
        {
            running = pipeline.Join(TimeSpan.FromMilliseconds(500));
            string counts = string.Join("  ", pipeline.Components.Select(static c => Invariant($"{c.Name} {c.Processed,10:N0}")));
            Console.WriteLine(Invariant($"  {stopwatch.Elapsed.TotalSeconds,5:0.0} s  {counts}"));
        }
        while (running.Count > 0 && stopwatch.Elapsed < limit);

        Console.WriteLine(Invariant($"Sent {producer.ItemsSent:N0} items, received {consumer.ItemsReceived:N0}, in {stopwatch.Elapsed.TotalSeconds:0.00} s ({consumer.ItemsReceived / stopwatch.Elapsed.TotalSeconds:N0} items/s through 4 threads)."));

        string? failure = SelfCheck(pipeline, producer, consumer, running);
        Console.WriteLine(failure is null ? "Self-check: OK" : $"Self-check: FAILED: {failure}");
        return failure is null ? 0 : 1;
    }

    /// <summary>Returns why the run failed, or null when every item arrived once, in order and transformed.</summary>
    private static string? SelfCheck(Pipeline pipeline, Producer producer, Consumer consumer, IReadOnlyList<Component> running)
    {
        if (running.Count > 0)
        {
            return $"still running 30 s after the producer stopped: {string.Join(", ", running.Select(static c => c.Name))}";
        }

        if (pipeline.Components.FirstOrDefault(static c => c.Failure is not null) is { } failed)
        {
            return $"{failed.Name} threw {failed.Failure!.GetType().Name}: {failed.Failure.Message}";
        }

        if (consumer.FirstError is { } error)
        {
            return error;
        }

        if (consumer.ItemsSent != producer.ItemsSent)
        {
            return Invariant($"the Finished message reported {consumer.ItemsSent} items, the producer sent {producer.ItemsSent}");
        }

        if (consumer.ItemsReceived != producer.ItemsSent)
        {
            return Invariant($"{producer.ItemsSent} items sent but {consumer.ItemsReceived} received");
        }

        // Every stage handled every item exactly once.
        if (pipeline.Components.FirstOrDefault(c => c.Processed != producer.ItemsSent) is { } miscounted)
        {
            return Invariant($"{miscounted.Name} handled {miscounted.Processed} items, the producer sent {producer.ItemsSent}");
        }

        return producer.ItemsSent == 0 ? "the producer sent nothing" : null;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
