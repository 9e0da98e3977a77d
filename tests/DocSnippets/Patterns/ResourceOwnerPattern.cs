using ResourceOwner;
using Stm;

namespace DocSnippets.Patterns;

/// <summary>docs/patterns.md, "A dedicated resource owner": the ResourceOwner sample's classes, run briefly.</summary>
public sealed class ResourceOwnerPattern
{
    [Fact]
    public void Owner_AnswersEveryRequestInItsOwnReplyBox()
    {
        // snippet: owner-requests
        var owner = new DictionaryOwner();
        owner.Start();

        // Queue the requests without waiting for the answers...
        var set = Request.Create("set", "apples", 3);
        var add = Request.Create("add", "apples", 2);
        var missing = Request.Create("get", "pears");
        owner.Send(set);
        owner.Send(add);
        owner.Send(missing);

        // ... and take each answer when it is needed: a value, or an error reply.
        Reply apples = add.ReplyTo.Take();         // ok 5
        Reply pears = missing.ReplyTo.Take();      // error: no key "pears"
        // end snippet: owner-requests

        Assert.Equal(Reply.Ok(3), set.ReplyTo.Take());
        Assert.Equal(Reply.Ok(5), apples);
        Assert.True(pears.IsError);

        // snippet: owner-first-reply
        // Whichever of two replies comes first, or give up after a second.
        var left = Request.Create("get", "apples");
        var right = Request.Create("add", "apples", 1);
        owner.Send(left);
        owner.Send(right);
        bool answered = Atomic.TryRun(
            () => Atomic.OrElse(left.ReplyTo.Take, right.ReplyTo.Take),
            TimeSpan.FromSeconds(1),
            out Reply? first);
        // end snippet: owner-first-reply

        Assert.True(answered);
        Assert.NotNull(first);
        Assert.False(first.IsError);

        var stop = Request.Create("stop", "");
        owner.Send(stop);
        Assert.True(owner.Join(TimeSpan.FromSeconds(30)));
        Assert.Equal(1, owner.ErrorsReplied);
    }

    [Fact]
    public void Clients_BatchesOfRequests_GetThePredictedReplies()
    {
        var owner = new DictionaryOwner();
        owner.Start();
        Client[] clients = [new Client(1, owner), new Client(2, owner)];

        Thread[] threads = [.. clients.Select(static c => new Thread(() => c.Run(TimeSpan.FromMilliseconds(200), batchSize: 16)))];
        foreach (Thread thread in threads)
        {
            thread.Start();
        }

        foreach (Thread thread in threads)
        {
            Assert.True(thread.Join(TimeSpan.FromSeconds(60)));
        }

        var stop = Request.Create("stop", "");
        owner.Send(stop);
        Assert.True(owner.Join(TimeSpan.FromSeconds(30)));
        Assert.All(clients, static c => Assert.Null(c.FirstMismatch));
        Assert.All(clients, static c => Assert.Equal(c.ExpectedErrors, c.ErrorReplies));
        Assert.True(clients.Sum(static c => c.Requests) > 0);
    }
}
