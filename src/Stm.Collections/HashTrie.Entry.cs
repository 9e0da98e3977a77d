namespace Stm.Collections;

internal sealed partial class HashTrie<TKey, TValue>
{
    /// <summary>
    /// One entry of a terminal slot's array, stored inline: a lookup compares the mixed hashes of
    /// a whole bucket in one or two cache lines and touches a key only when its hash matches,
    /// instead of following one pointer per entry.
    /// </summary>
    internal struct Entry
    {
        /// <summary>The mixed hash of <see cref="Key"/>.</summary>
        public int Hash;

        /// <summary>The key.</summary>
        public TKey Key;

        /// <summary>The value.</summary>
        public TValue Value;

        /// <summary>Creates an entry.</summary>
        public Entry(int hash, TKey key, TValue value)
        {
            Hash = hash;
            Key = key;
            Value = value;
        }
    }
}
