namespace Stm.Testing.History;

/// <summary>Compares (linearized set, model state) pairs, the memoisation keys of <see cref="LinearizabilityChecker"/>.</summary>
/// <typeparam name="TState">The model's state.</typeparam>
internal sealed class CacheKeyComparer<TState> : IEqualityComparer<(LinearizationSet Linearized, TState State)>
{
    /// <summary>Compares model states.</summary>
    private readonly IEqualityComparer<TState> _stateComparer;

    /// <summary>Creates the comparer.</summary>
    public CacheKeyComparer(IEqualityComparer<TState> stateComparer) => _stateComparer = stateComparer;

    /// <inheritdoc/>
    public bool Equals((LinearizationSet Linearized, TState State) x, (LinearizationSet Linearized, TState State) y) =>
        x.Linearized.Equals(y.Linearized) && _stateComparer.Equals(x.State, y.State);

    /// <inheritdoc/>
    public int GetHashCode((LinearizationSet Linearized, TState State) obj) =>
        HashCode.Combine(obj.Linearized.GetHashCode(), obj.State is null ? 0 : _stateComparer.GetHashCode(obj.State));
}
