using Xunit;

namespace Stm.Tests.Coyote;

/// <summary>
/// The collection of tests that flip <c>Stm.Internal.TestHooks</c> switches: they change the engine
/// process-wide, so nothing may run beside them.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SeededBugCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Seeded engine bugs";
}
