namespace Stm.Soak.Workloads;

/// <summary>
/// One kind of traffic in the soak mix. Workers call <see cref="Step"/> concurrently; once they have
/// all stopped, the runner calls <see cref="Drain"/>, then <see cref="Verify"/>, then
/// <see cref="ReleaseBookkeeping"/> before it measures the heap.
/// </summary>
internal abstract class SoakWorkload
{
    /// <summary>Gets the workload's name, used in failure messages.</summary>
    public abstract string Name { get; }

    /// <summary>Gets how often workers pick this workload, relative to the others.</summary>
    public abstract int Weight { get; }

    /// <summary>Runs one step (one or a few transactions) on the calling worker's thread.</summary>
    /// <param name="worker">The worker.</param>
    public abstract void Step(Worker worker);

    /// <summary>Finishes what the workers left half-done (for example items still queued). Runs on one thread.</summary>
    /// <param name="context">The run.</param>
    public virtual void Drain(SoakContext context)
    {
    }

    /// <summary>Checks the workload's end-of-run invariants and reports each violation with <see cref="SoakContext.Fail"/>.</summary>
    /// <param name="context">The run.</param>
    public abstract void Verify(SoakContext context);

    /// <summary>Drops test-side bookkeeping (histories, delivery sets) so that the heap check sees only the engine's state.</summary>
    public virtual void ReleaseBookkeeping()
    {
    }
}
