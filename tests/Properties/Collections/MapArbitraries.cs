using FsCheck;

namespace Stm.Tests.Properties.Collections;

/// <summary>Registers programs of hash-map operations for <c>[Property]</c>.</summary>
public static class MapArbitraries
{
    public static Arbitrary<MapProgram> Programs() => CollectionGenerators.Programs(sorted: false);
}
