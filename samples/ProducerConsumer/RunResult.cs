using Stm.Collections;

namespace ProducerConsumer;

/// <summary>What a run left behind, for the report and the self-check.</summary>
/// <param name="Queue">The queue the threads shared.</param>
/// <param name="Consumed">Each consumer's tally.</param>
/// <param name="Errors">What each consumer (then the producer, last) threw, if anything.</param>
/// <param name="LargestBacklog">The most lines the producer saw waiting in the queue.</param>
/// <param name="Stuck">Which thread did not end in time, if one did not.</param>
/// <param name="Elapsed">From the start of every thread to the end of the last one.</param>
internal sealed record RunResult(
    TQueue<string> Queue, Tally[] Consumed, Exception?[] Errors, long LargestBacklog, string? Stuck, TimeSpan Elapsed);
