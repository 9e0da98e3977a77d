namespace Stm.Tests.Properties.Checkouts;

/// <summary>
/// One generated step of a block. <see cref="Key"/> is the register of a read or an append;
/// <see cref="From"/>, <see cref="To"/> and <see cref="Amount"/> describe a move.
/// </summary>
public sealed record CheckoutOp(CheckoutOpKind Kind, int Key, int From, int To, int Amount)
{
    public static CheckoutOp Read(int key) => new(CheckoutOpKind.Read, key, 0, 0, 0);

    public static CheckoutOp Append(int key) => new(CheckoutOpKind.Append, key, 0, 0, 0);

    public static CheckoutOp Move(int from, int to, int amount) => new(CheckoutOpKind.Move, 0, from, to, amount);

    public static CheckoutOp Audit { get; } = new(CheckoutOpKind.Audit, 0, 0, 0, 0);

    public override string ToString() => Kind switch
    {
        CheckoutOpKind.Read => $"r {Key}",
        CheckoutOpKind.Append => $"append {Key}",
        CheckoutOpKind.Move => $"move {Amount} {From}->{To}",
        _ => "audit",
    };
}
