using System.Collections;
using System.Diagnostics;

namespace Stm.Collections;

/// <summary>
/// A fixed-length array whose elements are transactional: each element is its own TVar, so
/// transactions that touch different elements never conflict. Each member works inside a
/// transaction, where it composes with everything else the transaction does, and outside one, where
/// it is its own atomic transaction. No member blocks.
/// </summary>
/// <typeparam name="T">The type of the elements. Elements should be immutable: the array copies references.</typeparam>
[DebuggerDisplay("Length = {Length}")]
[DebuggerTypeProxy(typeof(CollectionDebugView<>))]
public sealed class TArray<T> : IReadOnlyList<T>
{
    // Representation invariant: _elements.Length never changes and _elements[i] is the TVar of
    // element i for the array's whole life (the .NET array itself is never written after
    // construction, so it needs no synchronisation).

    /// <summary>The name given to every element TVar (it appears in conflict reports).</summary>
    private const string ElementName = "TArray.Element";

    /// <summary>One TVar per element.</summary>
    private readonly TVar<T>[] _elements;

    /// <summary>
    /// Creates an array of <paramref name="length"/> elements, each <c>default(T)</c>. Callable inside
    /// or outside a transaction.
    /// </summary>
    /// <param name="length">The number of elements, 0 or more.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is negative.</exception>
    public TArray(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        _elements = new TVar<T>[length];
        for (int i = 0; i < _elements.Length; i++)
        {
            _elements[i] = new TVar<T>(default!, ElementName);
        }
    }

    /// <summary>
    /// Creates an array that holds <paramref name="items"/> in enumeration order. Callable inside or
    /// outside a transaction.
    /// </summary>
    /// <param name="items">The initial elements.</param>
    /// <exception cref="ArgumentNullException"><paramref name="items"/> is <see langword="null"/>.</exception>
    public TArray(IEnumerable<T> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        T[] initial = [.. items];
        _elements = new TVar<T>[initial.Length];
        for (int i = 0; i < _elements.Length; i++)
        {
            _elements[i] = new TVar<T>(initial[i], ElementName);
        }
    }

    /// <summary>Gets the number of elements. Callable anywhere; never blocks; fixed at construction.</summary>
    public int Length => _elements.Length;

    /// <summary>Gets the number of elements (the same as <see cref="Length"/>).</summary>
    int IReadOnlyCollection<T>.Count => _elements.Length;

    /// <summary>
    /// Gets or sets the element at <paramref name="index"/>. Inside a transaction a transactional read
    /// or write of that element only; outside one, one atomic read or one atomic committed write.
    /// Never blocks.
    /// </summary>
    /// <param name="index">The index, from 0 to <see cref="Length"/> - 1.</param>
    /// <returns>The element.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is outside 0..Length-1 (nothing is read or written).</exception>
    public T this[int index]
    {
        get => ElementAt(index).Value;
        set => ElementAt(index).Write(value);
    }

    /// <summary>
    /// Copies the elements into a new array: a consistent snapshot (inside a transaction, of the
    /// transaction's view; outside one, of one committed state, even while writers run). Callable
    /// inside or outside a transaction; never blocks.
    /// </summary>
    /// <returns>The elements.</returns>
    public T[] ToArray() => Transactional.Run(this, static array => array.ReadFirst(array._elements.Length));

    /// <summary>
    /// Returns an enumerator over a consistent snapshot of the elements (see <see cref="ToArray"/>).
    /// Callable inside or outside a transaction; never blocks.
    /// </summary>
    /// <returns>An enumerator over the snapshot.</returns>
    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)ToArray()).GetEnumerator();

    /// <inheritdoc cref="GetEnumerator"/>
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>For the debugger: the elements, each read alone, without starting a transaction.</summary>
    /// <returns>At most a thousand elements.</returns>
    internal T[] DebuggerItems() => ReadFirst(Math.Min(_elements.Length, CollectionDebugView<T>.MaxItems));

    private TVar<T> ElementAt(int index)
    {
        if ((uint)index >= (uint)_elements.Length)
        {
            ThrowHelper.ThrowIndexOutOfRange(index, _elements.Length);
        }

        return _elements[index];
    }

    /// <summary>
    /// Reads the first <paramref name="count"/> elements: inside a transaction, from its snapshot;
    /// outside one (the debugger view), each with a single read of its own.
    /// </summary>
    private T[] ReadFirst(int count)
    {
        var items = new T[count];
        for (int i = 0; i < items.Length; i++)
        {
            items[i] = _elements[i].Value;
        }

        return items;
    }
}
