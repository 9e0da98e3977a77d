using FsCheck.Xunit;
using Stm.Collections;

namespace Stm.Tests.Properties.Collections;

/// <summary>TMap against Dictionary and TSortedMap against SortedDictionary, one thread, generated programs.</summary>
public sealed class MapModelTests
{
    [Property(Arbitrary = [typeof(MapArbitraries)], MaxTest = 150)]
    public void TMap_GeneratedProgram_BehavesLikeDictionary(MapProgram program) =>
        MapModel.Check(new TMapUnderTest(new TMap<int, int>()), new Dictionary<int, int>(), program.Operations, sorted: false);

    [Property(Arbitrary = [typeof(MapArbitraries)], MaxTest = 100)]
    public void TMap_GeneratedProgramWithCollidingHashes_BehavesLikeDictionary(MapProgram program) =>
        MapModel.Check(new TMapUnderTest(new TMap<int, int>(new FewHashesComparer())), new Dictionary<int, int>(), program.Operations, sorted: false);

    [Property(Arbitrary = [typeof(SortedMapArbitraries)], MaxTest = 150)]
    public void TSortedMap_GeneratedProgram_BehavesLikeSortedDictionary(MapProgram program) =>
        MapModel.Check(new TSortedMapUnderTest(new TSortedMap<int, int>()), new SortedDictionary<int, int>(), program.Operations, sorted: true);

    /// <summary>Only three distinct hash codes: forces buckets and full-hash collisions in the trie.</summary>
    private sealed class FewHashesComparer : IEqualityComparer<int>
    {
        public bool Equals(int x, int y) => x == y;

        public int GetHashCode(int obj) => obj % 3;
    }
}
