namespace Stm.Benchmarks.Scaling;

/// <summary>One column of the scaling table: a workload (group) done one way (variant).</summary>
internal sealed class ScalingWorkload
{
    /// <summary>Creates a workload.</summary>
    /// <param name="group">The work, shared by the STM variant and its baselines ("transfer").</param>
    /// <param name="variant">How it is done ("stm", "global lock").</param>
    /// <param name="prepare">Creates fresh state for a run with the given number of worker threads.</param>
    public ScalingWorkload(string group, string variant, Func<int, ScalingRound> prepare)
    {
        Group = group;
        Variant = variant;
        Prepare = prepare;
    }

    /// <summary>The work, shared by the STM variant and its baselines.</summary>
    public string Group { get; }

    /// <summary>How the work is done; <see cref="ScalingWorkloads.Stm"/> for the STM variant.</summary>
    public string Variant { get; }

    /// <summary>Whether this is the STM variant of its group.</summary>
    public bool IsStm => Variant == ScalingWorkloads.Stm;

    /// <summary>The column title.</summary>
    public string Title => $"{Group} {Variant}";

    /// <summary>Creates fresh state for a run with the given number of worker threads.</summary>
    public Func<int, ScalingRound> Prepare { get; }
}
