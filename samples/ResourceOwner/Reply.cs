namespace ResourceOwner;

/// <summary>The owner's answer to one request: a value, or an error saying why the request failed.</summary>
/// <param name="Value">The result when the request succeeded (0 for an error).</param>
/// <param name="Error">Why the request failed, or null when it succeeded.</param>
internal sealed record Reply(long Value, string? Error)
{
    /// <summary>Whether this is an error reply.</summary>
    public bool IsError => Error is not null;

    /// <summary>A successful reply carrying <paramref name="value"/>.</summary>
    public static Reply Ok(long value) => new(value, null);

    /// <summary>An error reply.</summary>
    public static Reply Failed(string error) => new(0, error);

    /// <inheritdoc/>
    public override string ToString() => Error is null ? $"ok {Value}" : $"error ({Error})";
}
