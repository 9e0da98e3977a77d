using System.Diagnostics;
using System.Globalization;
using Stm;

namespace ResourceOwner;

/// <summary>
/// The seed discussion's advice for threads: give each resource that would otherwise need a lock
/// one dedicated thread, talk to that thread only through a queue, and when you need an answer,
/// send a reply box along with the request and wait on it when (and only when) you need the answer.
/// Here the queue is a <c>TQueue</c> and each reply box a <c>TMVar</c>.
/// </summary>
internal static class Program
{
    /// <summary>Runs the owner and the clients; 0 when the self-check passes, 1 when it fails, 2 on bad options.</summary>
    public static int Main(string[] args)
    {
        if (args.Contains("--help") || args.Contains("-h"))
        {
            Console.WriteLine(Options.Usage);
            return 0;
        }

        if (!Options.TryParse(args, out Options options, out string? error))
        {
            Console.Error.WriteLine($"error: {error}");
            Console.Error.WriteLine("Run with --help for the options.");
            return 2;
        }

        Console.WriteLine(Invariant($"ResourceOwner: 1 owner thread, {options.Clients} clients sending batches of {options.Batch} requests for {options.Seconds:0.##} s"));
        var owner = new DictionaryOwner();
        owner.Start();

        var clients = new Client[options.Clients];
        var threads = new Thread[options.Clients];
        var crashes = new Exception?[options.Clients];
        for (int i = 0; i < clients.Length; i++)
        {
            int index = i;
            clients[i] = new Client(index, owner);
            threads[i] = new Thread(() =>
            {
                try
                {
                    clients[index].Run(TimeSpan.FromSeconds(options.Seconds), options.Batch);
                }
                catch (Exception exception)
                {
                    crashes[index] = exception;
                }
            })
            { IsBackground = true, Name = $"client-{index}" };
            threads[i].Start();
        }

        // Progress twice a second while the clients run; a client that never returns is a failure.
        Stopwatch stopwatch = Stopwatch.StartNew();
        TimeSpan limit = TimeSpan.FromSeconds(options.Seconds + 30);
        while (!threads.All(static t => t.Join(0)) && stopwatch.Elapsed < limit)
        {
            Thread.Sleep(500);
            Console.WriteLine(Invariant($"  {stopwatch.Elapsed.TotalSeconds,5:0.0} s  served {owner.Served,9:N0} requests, {owner.ErrorsReplied,7:N0} of them with an error reply"));
        }

        string? failure = threads.FirstOrDefault(static t => t.IsAlive) is { } stuck ? $"{stuck.Name} did not finish"
            : crashes.FirstOrDefault(static c => c is not null) is { } crash ? $"a client threw {crash.GetType().Name}: {crash.Message}"
            : null;

        // With every client done, ask the owner for the shared total like any other client would,
        // then tell it to stop. Its reply to "stop" is the number of keys it holds.
        Reply? total = failure is null ? Ask(owner, Request.Create("get", Client.SharedKey)) : null;
        Reply? stopped = failure is null ? Ask(owner, Request.Create("stop", string.Empty)) : null;
        bool ownerEnded = owner.Join(TimeSpan.FromSeconds(10));

        long requests = clients.Sum(static c => c.Requests);
        long expectedErrors = clients.Sum(static c => c.ExpectedErrors);
        long errorReplies = clients.Sum(static c => c.ErrorReplies);
        long addedToShared = clients.Sum(static c => c.AddedToShared);
        Console.WriteLine(Invariant($"Clients sent {requests:N0} requests in {stopwatch.Elapsed.TotalSeconds:0.00} s ({requests / stopwatch.Elapsed.TotalSeconds:N0}/s); {errorReplies:N0} error replies, {expectedErrors:N0} bad requests sent on purpose."));
        Console.WriteLine(Invariant($"Shared total: {total?.ToString() ?? "not asked"}, clients added {addedToShared:N0}; the owner stopped holding {stopped?.Value.ToString(CultureInfo.InvariantCulture) ?? "?"} keys."));

        failure ??= clients.FirstOrDefault(static c => c.FirstMismatch is not null) is { } wrong ? $"a client got a wrong reply: {wrong.FirstMismatch}"
            : errorReplies != expectedErrors ? Invariant($"{errorReplies} error replies for {expectedErrors} bad requests")
            : total != Reply.Ok(addedToShared) ? Invariant($"the shared total is {total}, the clients added {addedToShared}")
            : stopped is null || stopped.IsError || !ownerEnded ? "the owner did not stop when asked"
            : owner.Served != requests + 2 ? Invariant($"the owner served {owner.Served} requests, {requests + 2} were sent")
            : owner.ErrorsReplied != expectedErrors ? Invariant($"the owner sent {owner.ErrorsReplied} error replies, {expectedErrors} requests were bad")
            : requests == 0 ? "no requests were sent"
            : null;
        Console.WriteLine(failure is null ? "Self-check: OK" : $"Self-check: FAILED: {failure}");
        return failure is null ? 0 : 1;
    }

    /// <summary>Sends one request and waits (at most 10 s) for its reply; null when none came.</summary>
    private static Reply? Ask(DictionaryOwner owner, Request request)
    {
        owner.Send(request);
        return Atomic.TryRun(request.ReplyTo.Take, TimeSpan.FromSeconds(10), out Reply? reply) ? reply : null;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
