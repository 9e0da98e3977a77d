namespace PipelineSample;

/// <summary>One piece of data flowing down the pipeline.</summary>
/// <param name="Sequence">Its position in the producer's output (0, 1, 2, ...): lets the consumer check order and completeness.</param>
/// <param name="Value">The payload; each transformer replaces it with a new value.</param>
internal sealed record Item(long Sequence, long Value) : Message;
