namespace Stm.Collections;

/// <summary>
/// A node of the skip list behind <see cref="TSortedMap{TKey, TValue}"/>.
/// </summary>
/// <remarks>
/// The key and the height are fixed. The value lives in its own TVar so that updating an existing
/// key touches neither the links nor any other key. <see cref="Next"/>[i] links to the next node
/// at level i; a node is linked at every level below its height or at none (unlinking happens in
/// one transaction), and no committed transaction writes a node's TVars after it is unlinked.
/// </remarks>
/// <typeparam name="TKey">The key type.</typeparam>
/// <typeparam name="TValue">The value type.</typeparam>
internal sealed class SortedMapNode<TKey, TValue>
{
    /// <summary>Creates a node whose links start at the given successors.</summary>
    public SortedMapNode(TKey key, TValue value, SortedMapNode<TKey, TValue>?[] successors)
    {
        Key = key;
        Value = new TVar<TValue>(value);
        Next = new TVar<SortedMapNode<TKey, TValue>?>[successors.Length];
        for (int i = 0; i < successors.Length; i++)
        {
            Next[i] = new TVar<SortedMapNode<TKey, TValue>?>(successors[i]);
        }
    }

    /// <summary>Creates the head sentinel, whose key is never compared.</summary>
    public SortedMapNode(int height)
    {
        Key = default!;
        Value = new TVar<TValue>(default!);
        Next = new TVar<SortedMapNode<TKey, TValue>?>[height];
        for (int i = 0; i < height; i++)
        {
            Next[i] = new TVar<SortedMapNode<TKey, TValue>?>(null);
        }
    }

    /// <summary>The key (meaningless in the head).</summary>
    public TKey Key { get; }

    /// <summary>The value.</summary>
    public TVar<TValue> Value { get; }

    /// <summary>The forward links, one per level; its length is the node's height.</summary>
    public TVar<SortedMapNode<TKey, TValue>?>[] Next { get; }
}
