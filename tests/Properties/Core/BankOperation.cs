namespace Stm.Tests.Properties.Core;

/// <summary>
/// One generated transaction of the bank program: move <see cref="Amount"/> from one account to
/// another. When <see cref="Audit"/> is set, the body first reads every account (pausing between
/// reads) and checks the total, so update transactions check the invariant too. When
/// <see cref="ReadOnly"/> is set, it only audits. <see cref="Pause"/> runs between the steps.
/// </summary>
public sealed record BankOperation(int From, int To, int Amount, bool Audit, bool ReadOnly, Pause Pause)
{
    public override string ToString() =>
        ReadOnly ? $"audit({Pause})" : $"{(Audit ? "audited " : string.Empty)}move {Amount} {From}->{To} ({Pause})";
}
