using Xunit;

namespace Stm.Tests.Unit.Core;

/// <summary>
/// An async lambda or method typed as <see cref="Action"/> (async void) is refused as a transaction
/// body, with the same <see cref="NotSupportedException"/> as a body returning a task, and nothing is
/// written; synchronous bodies of every delegate shape still run.
/// </summary>
public sealed class AsyncActionBodyTests
{
    private readonly TVar<int> _field = new(0, "field");

    [Fact]
    public void AsyncLambdaTypedAsAction_IsRefusedByEveryMemberThatTakesABody()
    {
        var tvar = new TVar<int>(0, "tvar");
        Action body = async () =>
        {
            await Task.Yield();
            tvar.Write(1);
        };

#pragma warning disable STM0001 // the test checks that async bodies are refused at run time
        var errors = new[]
        {
            Record.Exception(() => Atomic.Run(body)),
            Record.Exception(() => Atomic.Run(body, CancellationToken.None)),
            Record.Exception(() => Atomic.TryRun(body, TimeSpan.FromSeconds(1))),
            Record.Exception(() => Atomic.RunAsync(body).AsTask().GetAwaiter().GetResult()),
            Record.Exception(() => Atomic.Run(() => Atomic.OrElse(body, () => { }))),
            Record.Exception(() => Atomic.Run(() => Atomic.OrElse(() => Atomic.Retry(), body))),
            Record.Exception(() =>
            {
                using Checkout checkout = Atomic.Checkout();
                checkout.Run(body);
            }),
        };
#pragma warning restore STM0001

        Assert.All(errors, static e => Assert.Contains("async", Assert.IsType<NotSupportedException>(e).Message, StringComparison.Ordinal));
        Thread.Sleep(50);
        Assert.Equal(0, tvar.Value);
    }

    [Fact]
    public void AsyncMethodGroupTypedAsAction_IsRefused()
    {
#pragma warning disable STM0001 // the test checks that async bodies are refused at run time
        var error = Record.Exception(() => Atomic.Run(AsyncVoidMethod));
#pragma warning restore STM0001

        Assert.IsType<NotSupportedException>(error);
        Assert.Equal(0, _field.Value);
    }

    [Fact]
    public void SynchronousBodiesOfEveryDelegateShape_RunRepeatedly()
    {
        var local = new TVar<int>(0);
        for (int i = 0; i < 3; i++)
        {
            Atomic.Run(() => local.Value++);
            Atomic.Run(IncrementField);
            Atomic.Run(StaticBody);
            Atomic.Run(static () => { });
            Atomic.Run(new Action(IncrementField));
        }

        Assert.Equal(3, local.Value);
        Assert.Equal(6, _field.Value);
    }

    private static void StaticBody()
    {
    }

    private void IncrementField() => _field.Value++;

    private async void AsyncVoidMethod()
    {
        await Task.Yield();
        _field.Write(1);
    }
}
