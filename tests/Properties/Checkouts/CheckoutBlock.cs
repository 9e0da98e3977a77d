namespace Stm.Tests.Properties.Checkouts;

/// <summary>One block of a generated transaction: its steps, run together, then an await.</summary>
public sealed record CheckoutBlock(IReadOnlyList<CheckoutOp> Ops, AsyncPause PauseAfter)
{
    public override string ToString() =>
        "{" + string.Join(", ", Ops) + "}" + PauseAfter;
}
