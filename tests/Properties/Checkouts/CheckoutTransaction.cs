namespace Stm.Tests.Properties.Checkouts;

/// <summary>
/// One generated transaction: how it runs and its blocks in order (an <see cref="CheckoutStyle.AtomicRun"/>
/// transaction has exactly one). The writes of its moves happen in its last block, so a move read in an
/// earlier block spans the awaits between.
/// </summary>
public sealed record CheckoutTransaction(CheckoutStyle Style, IReadOnlyList<CheckoutBlock> Blocks)
{
    public override string ToString()
    {
        var style = Style switch
        {
            CheckoutStyle.TryCommit => "try",
            CheckoutStyle.Commit => "commit",
            CheckoutStyle.RunAsync => "async",
            _ => "atomic",
        };
        return $"{style}[{string.Join(" ", Blocks)}]";
    }
}
