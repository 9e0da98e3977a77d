namespace PipelineSample;

/// <summary>
/// Anything that travels between components: an <see cref="Item"/> on the data boxes, or a
/// <see cref="Finished"/> on the control boxes. A component waiting on both receives either.
/// </summary>
/// <remarks>Messages are immutable records: a queue copies references, so nothing may change them after sending.</remarks>
internal abstract record Message;
