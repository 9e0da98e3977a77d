using Xunit;

namespace Stm.Tests.Properties.Core;

/// <summary>Tests that flip <c>Stm.Internal.TestHooks</c> switches: they must not run beside any other test of this assembly.</summary>
[CollectionDefinition(nameof(SeededBugCollection), DisableParallelization = true)]
public sealed class SeededBugCollection
{
}
