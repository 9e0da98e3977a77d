namespace Stm.Tests.Properties.Checkouts;

/// <summary>How a generated transaction is run.</summary>
public enum CheckoutStyle
{
    /// <summary><c>Atomic.Checkout()</c>, its blocks with awaits between, <c>TryCommit()</c>; redone on false or on a ConflictException from a block.</summary>
    TryCommit,

    /// <summary>As <see cref="TryCommit"/>, but committed with <c>Commit()</c>, whose ConflictException starts the redo.</summary>
    Commit,

    /// <summary><c>Atomic.RunAsync(async (checkout, ct) =&gt; ...)</c>: the engine rinses and repeats.</summary>
    RunAsync,

    /// <summary>An ordinary <c>Atomic.Run</c> with one block, awaiting its pause after the commit.</summary>
    AtomicRun,
}
