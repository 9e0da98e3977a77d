using Xunit;

namespace Stm.Tests.Coyote;

/// <summary>
/// The collection of tests that plant bugs in the engine (<c>Stm.Internal.TestHooks</c>): they change
/// the engine process-wide, so nothing may run beside them.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class PlantedBugCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Planted engine bugs";
}
