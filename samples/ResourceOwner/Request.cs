using Stm.Collections;

namespace ResourceOwner;

/// <summary>
/// One request to the owner, carrying the box its reply goes into. The client makes a fresh
/// <see cref="TMVar{T}"/> for every request, so replies cannot get mixed up between clients or
/// requests, and the owner never needs to know who asked.
/// </summary>
/// <param name="Verb">What to do: <c>get</c>, <c>set</c>, <c>add</c>, <c>remove</c> or <c>stop</c>; anything else is a bad request.</param>
/// <param name="Key">The key the request is about.</param>
/// <param name="Amount">The value for <c>set</c>, the increment for <c>add</c>; ignored otherwise.</param>
/// <param name="ReplyTo">Where the owner puts its <see cref="Reply"/>: empty until then.</param>
internal sealed record Request(string Verb, string Key, long Amount, TMVar<Reply> ReplyTo)
{
    /// <summary>A request with a new, empty reply box.</summary>
    public static Request Create(string verb, string key, long amount = 0) => new(verb, key, amount, new TMVar<Reply>());
}
