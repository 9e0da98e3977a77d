namespace PipelineSample;

/// <summary>
/// Kamaelia's <c>Pipeline(Producer(), Consumer())</c>: wires each component's outbox and signal box
/// to the next component's inbox and control box, then runs every component on its own thread.
/// </summary>
internal sealed class Pipeline
{
    /// <summary>Links <paramref name="components"/> in order with queues of <paramref name="capacity"/> items.</summary>
    public Pipeline(int capacity, params Component[] components)
    {
        if (components.Length < 2)
        {
            throw new ArgumentException("A pipeline needs at least two components.", nameof(components));
        }

        for (int i = 0; i + 1 < components.Length; i++)
        {
            components[i].LinkTo(components[i + 1], capacity);
        }

        Components = components;
    }

    /// <summary>The components, first to last.</summary>
    public IReadOnlyList<Component> Components { get; }

    /// <summary>Starts every component's thread.</summary>
    public void Start()
    {
        foreach (Component component in Components)
        {
            component.Start();
        }
    }

    /// <summary>Waits for every component to finish; returns the ones still running after <paramref name="timeout"/>.</summary>
    public IReadOnlyList<Component> Join(TimeSpan timeout)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        var stuck = new List<Component>();
        foreach (Component component in Components)
        {
            TimeSpan left = deadline - DateTime.UtcNow;
            if (!component.Join(left > TimeSpan.Zero ? left : TimeSpan.Zero))
            {
                stuck.Add(component);
            }
        }

        return stuck;
    }
}
