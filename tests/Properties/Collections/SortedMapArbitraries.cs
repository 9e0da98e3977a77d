using FsCheck;

namespace Stm.Tests.Properties.Collections;

/// <summary>Registers programs of sorted-map operations (with Min, Max, Range) for <c>[Property]</c>.</summary>
public static class SortedMapArbitraries
{
    public static Arbitrary<MapProgram> Programs() => CollectionGenerators.Programs(sorted: true);
}
