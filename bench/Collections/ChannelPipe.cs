using System.Threading.Channels;
using Stm.Benchmarks.Infrastructure;

namespace Stm.Benchmarks.Collections;

/// <summary>
/// A <see cref="Channel{T}"/> used synchronously: <c>TryWrite</c>/<c>TryRead</c>, waiting through
/// <c>WaitToWriteAsync</c>/<c>WaitToReadAsync</c> only when full or empty (an unbounded channel
/// is never full).
/// </summary>
internal readonly struct ChannelPipe(Channel<int> channel) : IItemPipe
{
    /// <inheritdoc/>
    public void Write(int item)
    {
        ChannelWriter<int> writer = channel.Writer;
        while (!writer.TryWrite(item))
        {
            writer.WaitToWriteAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    /// <inheritdoc/>
    public int Read()
    {
        ChannelReader<int> reader = channel.Reader;
        int item;
        while (!reader.TryRead(out item))
        {
            reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult();
        }

        return item;
    }
}
