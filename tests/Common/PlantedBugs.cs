using Stm.Collections;
using Stm.Internal;

namespace Stm.Testing;

/// <summary>
/// The bugs the engine (<see cref="TestHooks"/>) and the collections (<see cref="CollectionTestHooks"/>)
/// can be told to have, one per promise they break.
/// </summary>
internal enum PlantedBug
{
    /// <summary><see cref="TestHooks.ReadPastSnapshot"/>: opacity.</summary>
    ReadPastSnapshot,

    /// <summary><see cref="TestHooks.SkipCommitValidation"/>: serializability.</summary>
    SkipCommitValidation,

    /// <summary><see cref="TestHooks.SkipRetryRevalidation"/>: no lost wake-up.</summary>
    SkipRetryRevalidation,

    /// <summary><see cref="TestHooks.WakeNewestFirst"/>: first parked, first woken.</summary>
    WakeNewestFirst,

    /// <summary><see cref="TestHooks.NeverTakePriority"/>: long transactions commit under contention.</summary>
    NeverTakePriority,

    /// <summary><see cref="TestHooks.PriorityHoldsBackEveryone"/>: priority holds back only conflicting writers.</summary>
    PriorityHoldsBackEveryone,

    /// <summary><see cref="TestHooks.CommuteOnSnapshotValue"/>: commutes apply to the newest value.</summary>
    CommuteOnSnapshotValue,

    /// <summary><see cref="TestHooks.NestedThrowKeepsWrites"/>: a nested scope that throws rolls back.</summary>
    NestedThrowKeepsWrites,

    /// <summary><see cref="CollectionTestHooks.CompleteWakesNoWaiter"/>: completing a queue or channel wakes its waiting consumers.</summary>
    CompleteWakesNoWaiter,

    /// <summary>See <see cref="TestHooks.KeepEveryVersion"/>.</summary>
    KeepEveryVersion,

    /// <summary>See <see cref="TestHooks.TrimVersionsInUse"/>.</summary>
    TrimVersionsInUse,
}

/// <summary>
/// Plants a bug for the length of a <c>using</c> block. The switches are process-wide: only tests that
/// run alone (a sequential collection, or an assembly without parallel tests) may plant one.
/// </summary>
internal static class PlantedBugs
{
    /// <summary>Every planted bug, for tests that go through them all.</summary>
    public static IReadOnlyList<PlantedBug> All { get; } = Enum.GetValues<PlantedBug>();

    /// <summary>Turns <paramref name="bug"/> on until the returned scope is disposed (which turns every bug off).</summary>
    /// <param name="bug">The bug.</param>
    /// <returns>The scope.</returns>
    /// <exception cref="InvalidOperationException">The process was started without the switch that enables hooks.</exception>
    public static Scope Plant(PlantedBug bug)
    {
        if (!TestHooks.Enabled)
        {
            // Without the switch the hooks are dead code: a test would "plant" nothing and prove nothing.
            throw new InvalidOperationException(
                $"Planted bugs need the AppContext switch {TestHooks.SwitchName} (tests/Directory.Build.props sets it in every test project's runtimeconfig.json).");
        }

        Set(bug, on: true);
        return new Scope();
    }

    /// <summary>Turns every planted bug off.</summary>
    public static void ClearAll()
    {
        foreach (PlantedBug bug in All)
        {
            Set(bug, on: false);
        }
    }

    /// <summary>Whether <paramref name="bug"/> is on now.</summary>
    /// <param name="bug">The bug.</param>
    /// <returns>True while it is planted.</returns>
    public static bool IsOn(PlantedBug bug) => bug switch
    {
        PlantedBug.ReadPastSnapshot => TestHooks.ReadPastSnapshot,
        PlantedBug.SkipCommitValidation => TestHooks.SkipCommitValidation,
        PlantedBug.SkipRetryRevalidation => TestHooks.SkipRetryRevalidation,
        PlantedBug.WakeNewestFirst => TestHooks.WakeNewestFirst,
        PlantedBug.NeverTakePriority => TestHooks.NeverTakePriority,
        PlantedBug.PriorityHoldsBackEveryone => TestHooks.PriorityHoldsBackEveryone,
        PlantedBug.CommuteOnSnapshotValue => TestHooks.CommuteOnSnapshotValue,
        PlantedBug.NestedThrowKeepsWrites => TestHooks.NestedThrowKeepsWrites,
        PlantedBug.CompleteWakesNoWaiter => CollectionTestHooks.CompleteWakesNoWaiter,
        PlantedBug.KeepEveryVersion => TestHooks.KeepEveryVersion,
        PlantedBug.TrimVersionsInUse => TestHooks.TrimVersionsInUse,
        _ => throw new ArgumentOutOfRangeException(nameof(bug), bug, null),
    };

    private static void Set(PlantedBug bug, bool on)
    {
        switch (bug)
        {
            case PlantedBug.ReadPastSnapshot:
                TestHooks.ReadPastSnapshot = on;
                break;
            case PlantedBug.SkipCommitValidation:
                TestHooks.SkipCommitValidation = on;
                break;
            case PlantedBug.SkipRetryRevalidation:
                TestHooks.SkipRetryRevalidation = on;
                break;
            case PlantedBug.WakeNewestFirst:
                TestHooks.WakeNewestFirst = on;
                break;
            case PlantedBug.NeverTakePriority:
                TestHooks.NeverTakePriority = on;
                break;
            case PlantedBug.PriorityHoldsBackEveryone:
                TestHooks.PriorityHoldsBackEveryone = on;
                break;
            case PlantedBug.CommuteOnSnapshotValue:
                TestHooks.CommuteOnSnapshotValue = on;
                break;
            case PlantedBug.NestedThrowKeepsWrites:
                TestHooks.NestedThrowKeepsWrites = on;
                break;
            case PlantedBug.CompleteWakesNoWaiter:
                CollectionTestHooks.CompleteWakesNoWaiter = on;
                break;
            case PlantedBug.KeepEveryVersion:
                TestHooks.KeepEveryVersion = on;
                break;
            case PlantedBug.TrimVersionsInUse:
                TestHooks.TrimVersionsInUse = on;
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(bug), bug, null);
        }
    }

    /// <summary>Ends a planted bug: every switch goes off, whatever the block did.</summary>
    internal readonly struct Scope : IDisposable
    {
        /// <summary>Turns every planted bug off.</summary>
        public void Dispose() => ClearAll();
    }
}
