using Stm.Collections;

namespace ResourceOwner;

/// <summary>
/// The dedicated resource owner: one thread owns a plain <see cref="Dictionary{TKey, TValue}"/>
/// (not thread-safe, and never locked) and is the only thread that ever touches it. Everyone else
/// sends it requests on a queue, and it answers each one in the request's own reply box.
/// </summary>
/// <remarks>
/// The dictionary is not transactional, so the owner must not touch it inside a transaction (a
/// transaction body may run more than once). It doesn't need to: it takes a request in one
/// transaction, serves it with ordinary code, and puts the reply in another transaction.
/// </remarks>
internal sealed class DictionaryOwner
{
    /// <summary>The resource. Only <see cref="Serve"/>, on the owner's thread, reads or writes it.</summary>
    private readonly Dictionary<string, long> _values = new(StringComparer.Ordinal);

    private readonly TQueue<Request> _requests = new();
    private readonly Thread _thread;
    private long _served;
    private long _errorsReplied;

    /// <summary>Creates the owner; <see cref="Start"/> starts its thread.</summary>
    public DictionaryOwner()
    {
        _thread = new Thread(Serve) { IsBackground = true, Name = "dictionary-owner" };
    }

    /// <summary>Requests served so far (written by the owner's thread only).</summary>
    public long Served => Interlocked.Read(ref _served);

    /// <summary>Error replies sent so far.</summary>
    public long ErrorsReplied => Interlocked.Read(ref _errorsReplied);

    /// <summary>Starts the owner's thread.</summary>
    public void Start() => _thread.Start();

    /// <summary>Waits for the owner's thread to end (after a <c>stop</c> request).</summary>
    public bool Join(TimeSpan timeout) => _thread.Join(timeout);

    /// <summary>
    /// Queues <paramref name="request"/> and returns at once, without waiting for the answer: the
    /// caller takes the reply from <see cref="Request.ReplyTo"/> when it needs it.
    /// </summary>
    public void Send(Request request) => _requests.Enqueue(request);

    /// <summary>The owner's loop: one request at a time, in arrival order, until <c>stop</c>.</summary>
    private void Serve()
    {
        while (true)
        {
            // Blocks (waiting in Retry, no polling) until a request arrives.
            Request request = _requests.Dequeue();
            Reply reply;
            try
            {
                reply = Reply.Ok(Execute(request));
            }
            catch (Exception exception) when (exception is KeyNotFoundException or ArgumentException or OverflowException)
            {
                // A bad request gets an error reply and the owner keeps going: one client's mistake
                // must not take the resource away from everyone else.
                reply = Reply.Failed(exception.Message);
                Interlocked.Increment(ref _errorsReplied);
            }

            Interlocked.Increment(ref _served);

            // A fresh box is empty, so Put never waits.
            request.ReplyTo.Put(reply);
            if (request.Verb == "stop")
            {
                return;
            }
        }
    }

    /// <summary>Does what <paramref name="request"/> asks; throws for a bad request.</summary>
    private long Execute(Request request)
    {
        string key = request.Key;
        switch (request.Verb)
        {
            case "get":
                return _values[key]; // KeyNotFoundException when the key was never set
            case "set":
                _values[key] = request.Amount;
                return request.Amount;
            case "add":
                long sum = checked(_values.GetValueOrDefault(key) + request.Amount);
                _values[key] = sum;
                return sum;
            case "remove":
                return _values.Remove(key, out long removed)
                    ? removed
                    : throw new KeyNotFoundException($"There is no key '{key}' to remove.");
            case "stop":
                return _values.Count;
            default:
                throw new ArgumentException($"Unknown request '{request.Verb}'.", nameof(request));
        }
    }
}
