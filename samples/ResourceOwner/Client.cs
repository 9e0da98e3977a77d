using Stm;

namespace ResourceOwner;

/// <summary>
/// A client of the <see cref="DictionaryOwner"/>: sends a batch of requests without waiting, then
/// collects the replies and checks each one. It works on keys only it uses (plus one shared key), so
/// it can predict every answer by keeping its own copy of its keys; some requests are bad on purpose
/// (a missing key, an unknown verb, an overflowing add) and must come back as errors.
/// </summary>
internal sealed class Client
{
    /// <summary>The key every client adds to; its final value must be the sum of all those adds.</summary>
    public const string SharedKey = "shared/total";

    private const int KeysPerClient = 4;

    /// <summary>How long to wait for one reply before calling the owner stuck.</summary>
    private static readonly TimeSpan s_replyTimeout = TimeSpan.FromSeconds(10);

    private readonly DictionaryOwner _owner;
    private readonly Random _random;
    private readonly string _prefix;

    /// <summary>What this client's own keys should hold: its prediction of the owner's state.</summary>
    private readonly Dictionary<string, long> _model = new(StringComparer.Ordinal);

    /// <summary>Creates client number <paramref name="id"/> (also its random seed, so runs repeat).</summary>
    public Client(int id, DictionaryOwner owner)
    {
        _owner = owner;
        _random = new Random(id);
        _prefix = $"client-{id}/";
    }

    /// <summary>Requests sent.</summary>
    public long Requests { get; private set; }

    /// <summary>Requests that were bad on purpose and should get an error reply.</summary>
    public long ExpectedErrors { get; private set; }

    /// <summary>Error replies received.</summary>
    public long ErrorReplies { get; private set; }

    /// <summary>The sum of this client's adds to <see cref="SharedKey"/>.</summary>
    public long AddedToShared { get; private set; }

    /// <summary>Replies that were not what this client predicted, or never came.</summary>
    public long Mismatches { get; private set; }

    /// <summary>The first such reply, described; null if none.</summary>
    public string? FirstMismatch { get; private set; }

    /// <summary>Sends batches of <paramref name="batchSize"/> requests until <paramref name="duration"/> has passed.</summary>
    public void Run(TimeSpan duration, int batchSize)
    {
        DateTime stopAt = DateTime.UtcNow + duration;
        var batch = new List<(Request Request, Reply? Expected)>(batchSize);
        while (DateTime.UtcNow < stopAt)
        {
            // Queue the whole batch without waiting for any answer...
            batch.Clear();
            for (int i = 0; i < batchSize; i++)
            {
                (Request request, Reply? expected) = NextRequest();
                _owner.Send(request);
                batch.Add((request, expected));
                Requests++;
            }

            // ... and only then wait for the replies, each in its own box. TryRun gives the wait a
            // timeout (Take retries while the box is empty), so a stuck owner cannot hang the client.
            foreach ((Request request, Reply? expected) in batch)
            {
                if (!Atomic.TryRun(request.ReplyTo.Take, s_replyTimeout, out Reply? reply) || reply is null)
                {
                    Mismatch(request, expected, "no reply within 10 s");
                    return;
                }

                if (reply.IsError)
                {
                    ErrorReplies++;
                }

                bool right = expected is null ? !reply.IsError // shared key: any success will do
                    : expected.IsError ? reply.IsError // any error will do; the message is for people
                    : reply == expected;
                if (!right)
                {
                    Mismatch(request, expected, reply.ToString());
                }
            }
        }
    }

    /// <summary>
    /// Picks the next request at random and predicts its reply: an exact <see cref="Reply.Ok"/>, an
    /// error, or null for "any success" (the shared key, whose value depends on the other clients).
    /// Updates the model as the owner will update the dictionary.
    /// </summary>
    private (Request Request, Reply? Expected) NextRequest()
    {
        string key = _prefix + "k" + _random.Next(KeysPerClient);
        long amount = _random.Next(1, 100);
        bool exists = _model.TryGetValue(key, out long current);
        int roll = _random.Next(100);
        switch (roll)
        {
            case < 30:
                return (Request.Create("add", key, amount), PredictAdd(key, current, amount));
            case < 45:
                _model[key] = amount;
                return (Request.Create("set", key, amount), Reply.Ok(amount));
            case < 65:
                return (Request.Create("get", key), exists ? Reply.Ok(current) : ExpectError());
            case < 75:
                _model.Remove(key);
                return (Request.Create("remove", key), exists ? Reply.Ok(current) : ExpectError());
            case < 85:
                AddedToShared += amount;
                return (Request.Create("add", SharedKey, amount), null);
            case < 90:
                return (Request.Create("get", _prefix + "never-set"), ExpectError());
            case < 95:
                return (Request.Create("frobnicate", key, amount), ExpectError());
            default:
                // Adding long.MaxValue to a positive value overflows: the owner must refuse it.
                return (Request.Create("add", key, long.MaxValue), PredictAdd(key, current, long.MaxValue));
        }
    }

    /// <summary>The reply an <c>add</c> should get: the new sum, or an error when it would overflow (and then nothing changes).</summary>
    private Reply PredictAdd(string key, long current, long amount)
    {
        if (current > long.MaxValue - amount)
        {
            return ExpectError();
        }

        _model[key] = current + amount;
        return Reply.Ok(current + amount);
    }

    private Reply ExpectError()
    {
        ExpectedErrors++;
        return Reply.Failed("expected");
    }

    private void Mismatch(Request request, Reply? expected, string got)
    {
        Mismatches++;
        FirstMismatch ??= $"{request.Verb} {request.Key} {request.Amount}: expected {expected?.ToString() ?? "any success"}, got {got}";
    }
}
