namespace Stm.Collections;

internal sealed partial class HashTrie<TKey, TValue>
{
    /// <summary>One immutable entry with its mixed hash.</summary>
    internal sealed class Leaf
    {
        /// <summary>Creates an entry.</summary>
        public Leaf(int hash, TKey key, TValue value)
        {
            Hash = hash;
            Key = key;
            Value = value;
        }

        /// <summary>The mixed hash of <see cref="Key"/>.</summary>
        public int Hash { get; }

        /// <summary>The key.</summary>
        public TKey Key { get; }

        /// <summary>The value.</summary>
        public TValue Value { get; }
    }
}
