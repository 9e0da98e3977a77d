namespace Stm.Testing.History;

/// <summary>What <see cref="LinearizabilityChecker"/> found. Immutable.</summary>
public sealed class LinearizabilityResult
{
    /// <summary>Creates a result.</summary>
    /// <param name="isLinearizable">Whether a linearization was found.</param>
    /// <param name="linearization">The linearization found, or the longest linearizable prefix of a failing history (indices into the history).</param>
    /// <param name="explanation">The readable explanation (the counterexample when not linearizable).</param>
    /// <param name="exploredStates">How many (linearized set, model state) pairs were explored.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public LinearizabilityResult(bool isLinearizable, IEnumerable<int> linearization, string explanation, int exploredStates)
    {
        ArgumentNullException.ThrowIfNull(linearization);
        ArgumentNullException.ThrowIfNull(explanation);
        IsLinearizable = isLinearizable;
        Linearization = linearization.ToArray();
        Explanation = explanation;
        ExploredStates = exploredStates;
    }

    /// <summary>Whether the history is linearizable.</summary>
    public bool IsLinearizable { get; }

    /// <summary>
    /// Indices into the history: the order in which the operations took effect when linearizable;
    /// otherwise the longest prefix that could be linearized.
    /// </summary>
    public IReadOnlyList<int> Linearization { get; }

    /// <summary>The readable explanation; for a failing history, the counterexample.</summary>
    public string Explanation { get; }

    /// <summary>How many (linearized set, model state) pairs the search explored.</summary>
    public int ExploredStates { get; }

    /// <summary>The explanation.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => Explanation;
}
