namespace Stm.Tests.Properties.Checkouts;

/// <summary>What one generated step of a block does.</summary>
public enum CheckoutOpKind
{
    /// <summary>Read a register's whole list (recorded for the history checker).</summary>
    Read,

    /// <summary>Append a fresh, unique element to a register (a read-modify-write of its list).</summary>
    Append,

    /// <summary>Read two accounts now; move the amount between them in the transaction's last block.</summary>
    Move,

    /// <summary>Read every account and check that the balances add up to the bank's total.</summary>
    Audit,
}
