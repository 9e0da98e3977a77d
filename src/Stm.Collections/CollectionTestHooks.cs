namespace Stm.Collections;

/// <summary>
/// The planted bug of the collections, for tests that prove the test harnesses catch it
/// (docs/testing.md lists which test catches which); the engine's own are in Stm's TestHooks. Never
/// set outside such a test.
/// </summary>
/// <remarks>
/// Read as <c>CollectionTestHooks.Enabled &amp;&amp; CollectionTestHooks.CompleteWakesNoWaiter</c>:
/// <see cref="Enabled"/> is <c>static readonly</c> and false in every process whose runtimeconfig
/// lacks the AppContext switch <c>Stm.Testing.PlantedBugs</c> (only the test projects set it), so
/// once a method is compiled at tier 1 the JIT removes the hook.
/// </remarks>
internal static class CollectionTestHooks
{
    /// <summary>
    /// True only in a process whose runtimeconfig turns the switch <c>Stm.Testing.PlantedBugs</c> on,
    /// the switch that enables the engine's hooks too.
    /// </summary>
    internal static readonly bool Enabled = AppContext.TryGetSwitch("Stm.Testing.PlantedBugs", out bool on) && on;

    /// <summary>
    /// Completion: a consumer of an empty queue or channel checks the completion flag without reading
    /// it into its transaction, so a consumer already waiting is not woken by <c>Complete</c>.
    /// </summary>
    internal static volatile bool CompleteWakesNoWaiter;
}
