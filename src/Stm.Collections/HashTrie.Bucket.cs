namespace Stm.Collections;

internal sealed partial class HashTrie<TKey, TValue>
{
    /// <summary>
    /// An immutable group of two or more entries in one terminal slot (see the representation
    /// invariant on <see cref="HashTrie{TKey, TValue}"/>).
    /// </summary>
    internal sealed class Bucket
    {
        /// <summary>Creates a bucket; the array is owned by the bucket from now on.</summary>
        public Bucket(Leaf[] items) => Items = items;

        /// <summary>The entries; never modified after construction.</summary>
        public Leaf[] Items { get; }

        /// <summary>The index of the entry with this key, or -1.</summary>
        public int IndexOf(HashTrie<TKey, TValue> trie, int hash, TKey key)
        {
            Leaf[] items = Items;
            for (int i = 0; i < items.Length; i++)
            {
                Leaf leaf = items[i];
                if (leaf.Hash == hash && trie.KeyEquals(leaf.Key, key))
                {
                    return i;
                }
            }

            return -1;
        }
    }
}
