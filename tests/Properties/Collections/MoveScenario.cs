using System.Globalization;

namespace Stm.Tests.Properties.Collections;

/// <summary>
/// A generated run of <paramref name="Threads"/> movers shifting <paramref name="Items"/> items
/// between a <c>TQueue</c> and a <c>TBoundedQueue</c> (capacity <paramref name="Items"/>).
/// </summary>
/// <param name="Items">Items in play, all in the first queue at the start.</param>
/// <param name="Threads">Mover threads.</param>
public sealed record MoveScenario(int Items, int Threads)
{
    /// <summary>Prints the scenario, e.g. <c>5 movers over 12 items</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Threads} movers over {Items} items");
}
