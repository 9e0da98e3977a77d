namespace Stm.Tests.Properties.Checkouts;

/// <summary>The verdict on one run of a <see cref="CheckoutProgram"/>, with what was seen.</summary>
/// <param name="Passed">Every check held.</param>
/// <param name="Description">What went wrong (first), then the counts and the checker's report.</param>
public sealed record CheckoutRunResult(bool Passed, string Description)
{
    public override string ToString() => $"{(Passed ? "passed" : "FAILED")}: {Description}";
}
