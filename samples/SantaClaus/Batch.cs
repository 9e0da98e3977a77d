using System.Collections.Immutable;
using Stm;

namespace SantaClaus;

/// <summary>
/// One group of helpers on its way to Santa: who joined it, the two gates its members go through,
/// and the log of who actually came in (for the self-check). Immutable except for the log, a TVar.
/// </summary>
/// <param name="Kind">"reindeer" or "elves".</param>
/// <param name="Number">1 for the first group of its kind, 2 for the next, and so on.</param>
/// <param name="Members">The helpers who joined, in joining order.</param>
/// <param name="In">The gate Santa opens to let the group in.</param>
/// <param name="Out">The gate Santa opens to let the group out.</param>
/// <param name="Attended">Helpers who passed the in-gate and did their part with Santa.</param>
internal sealed record Batch(string Kind, int Number, ImmutableList<int> Members, Gate In, Gate Out, TVar<ImmutableList<int>> Attended)
{
    /// <summary>A new, empty group with fresh (closed) gates.</summary>
    public static Batch Start(string kind, int number, int size) => new(
        kind,
        number,
        [],
        new Gate(size, $"{kind}-{number}-in"),
        new Gate(size, $"{kind}-{number}-out"),
        new TVar<ImmutableList<int>>([], $"{kind}-{number}-attended"));
}
