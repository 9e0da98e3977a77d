namespace PipelineSample;

/// <summary>
/// The shutdown message (Kamaelia calls it <c>producerFinished</c>): the sender has sent its last
/// item. It travels down the control boxes, one stage after another, behind the data.
/// </summary>
/// <param name="ItemsSent">How many items the producer sent in all, so the consumer can check it got every one.</param>
internal sealed record Finished(long ItemsSent) : Message;
