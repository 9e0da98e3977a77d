namespace Stm.Tests.Properties.Core;

/// <summary>
/// A bounded FIFO built only from TVars and Retry, for the producer/consumer property: a ring of
/// slots with a head index and a count. <see cref="Put"/> retries while full, <see cref="Take"/>
/// while empty. Call both inside a transaction.
/// </summary>
public sealed class TVarBuffer
{
    private readonly TVar<int>[] _slots;
    private readonly TVar<int> _head;
    private readonly TVar<int> _count;

    public TVarBuffer(int capacity, string name)
    {
        _slots = [.. Enumerable.Range(0, capacity).Select(i => new TVar<int>(0, $"{name}[{i}]"))];
        _head = new TVar<int>(0, $"{name}.head");
        _count = new TVar<int>(0, $"{name}.count");
    }

    public int Count => _count.Value;

    public void Put(int item)
    {
        var count = _count.Value;
        Atomic.Check(count < _slots.Length);
        _slots[(_head.Value + count) % _slots.Length].Write(item);
        _count.Write(count + 1);
    }

    public int Take()
    {
        var count = _count.Value;
        Atomic.Check(count > 0);
        var head = _head.Value;
        var item = _slots[head].Value;
        _head.Write((head + 1) % _slots.Length);
        _count.Write(count - 1);
        return item;
    }
}
