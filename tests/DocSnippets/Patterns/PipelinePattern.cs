using PipelineSample;

namespace DocSnippets.Patterns;

/// <summary>docs/patterns.md, "A pipeline of components": the Pipeline sample's classes, run briefly.</summary>
public sealed class PipelinePattern
{
    [Fact]
    public void Pipeline_DeliversEveryItemOnceInOrderTransformed()
    {
        // snippet: pipeline-wiring
        var producer = new Producer("producer", TimeSpan.FromMilliseconds(200));
        var square = new Transformer("square", static v => v * v);
        var consumer = new Consumer("consumer", static sequence => sequence * sequence);

        // Kamaelia's Pipeline(Producer(), Consumer()), with a stage in between.
        var pipeline = new Pipeline(capacity: 64, producer, square, consumer);
        pipeline.Start();
        IReadOnlyList<Component> stillRunning = pipeline.Join(TimeSpan.FromSeconds(30));
        // end snippet: pipeline-wiring

        Assert.Empty(stillRunning);
        Assert.All(pipeline.Components, static c => Assert.Null(c.Failure));
        Assert.Null(consumer.FirstError);
        Assert.True(producer.ItemsSent > 0);
        Assert.Equal(producer.ItemsSent, consumer.ItemsReceived);
        Assert.Equal(producer.ItemsSent, consumer.ItemsSent);
    }
}
