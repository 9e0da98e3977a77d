using Xunit;

namespace Stm.Tests.Unit.Core;

/// <summary>
/// Tests that measure process-wide state (GC heap size, test hooks of the engine) and so must not
/// run alongside any other test: xunit runs this collection on its own after the parallel ones.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SequentialCoreCollection
{
    /// <summary>The collection name used by <c>[Collection]</c>.</summary>
    public const string Name = "Core (sequential)";
}
