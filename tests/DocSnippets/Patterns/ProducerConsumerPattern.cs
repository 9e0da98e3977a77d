using System.Globalization;
using Stm;
using Stm.Collections;

namespace DocSnippets.Patterns;

/// <summary>docs/patterns.md, "One producer, ten consumers".</summary>
public sealed class ProducerConsumerPattern
{
    [Fact]
    public void TenConsumers_SumEveryLineExactlyOnce()
    {
        string[] input = [.. Enumerable.Range(1, 2_000).Select(static i => $"{i} {i} {-i}")];

        // snippet: producer-consumer
        var lines = new TQueue<string>();
        var total = new TCounter();

        Thread[] consumers = [.. Enumerable.Range(0, 10).Select(_ => new Thread(() =>
        {
            // One line per transaction; the loop ends when the queue is completed and drained.
            foreach (string line in lines.GetConsumingEnumerable())
            {
                total.Add(line.Split(' ').Sum(word => long.Parse(word, CultureInfo.InvariantCulture)));
            }
        }))];

        foreach (Thread consumer in consumers)
        {
            consumer.Start();
        }

        foreach (string line in input)
        {
            lines.Enqueue(line);
        }

        lines.Complete();   // instead of a sentinel per consumer
        foreach (Thread consumer in consumers)
        {
            consumer.Join();
        }
        // end snippet: producer-consumer

        Assert.Equal(Enumerable.Range(1, 2_000).Sum(static i => (long)i), total.Value);
    }

    [Fact]
    public void ConsumeAndRecord_TakesALineAndRecordsItInOneTransaction()
    {
        var lines = new TQueue<string>(["a", "b", "c"]);
        lines.Complete();
        var done = new TMap<string, int>();

        // snippet: consume-and-record
        // Take a line and record it as handled in one transaction: a consumer that crashes
        // between the two cannot lose the line or count it twice.
        while (Atomic.Run(() =>
        {
            if (!lines.TryDequeue(out string? line))
            {
                return false;   // empty: completed and drained, or simply empty for now
            }

            done[line] = line.Length;
            return true;
        }))
        {
        }
        // end snippet: consume-and-record

        Assert.Equal(3, done.Count);
        Assert.True(lines.IsEmpty);
    }
}
