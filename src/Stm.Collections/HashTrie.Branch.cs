namespace Stm.Collections;

internal sealed partial class HashTrie<TKey, TValue>
{
    /// <summary>
    /// An interior node: 32 slots indexed by the next 5 bits of the mixed hash. The slot array is
    /// fixed; only the contents of its TVars change.
    /// </summary>
    internal sealed class Branch
    {
        /// <summary>Creates a branch over the given slots.</summary>
        public Branch(TVar<object?>[] slots) => Slots = slots;

        /// <summary>The slots, each holding null, a leaf, a bucket or a branch.</summary>
        public TVar<object?>[] Slots { get; }
    }
}
