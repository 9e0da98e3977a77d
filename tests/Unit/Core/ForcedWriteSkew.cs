namespace Stm.Tests.Unit.Core;

/// <summary>
/// The doctors-on-call write skew, forced: under the constraint x + y >= 0 each of two transactions
/// withdraws 100 from one account if the sum allows. The first reads both accounts and is held
/// until the second has committed, so only validation of its reads can stop it from breaking the
/// constraint. Shared by the conflict test and the seeded-bug test, so the planted bug is shown on
/// exactly the scenario the engine is tested on.
/// </summary>
internal static class ForcedWriteSkew
{
    /// <summary>Runs the scenario on two accounts holding 50 each; returns how often the held body ran.</summary>
    public static int Run(TVar<int> x, TVar<int> y)
    {
        using var bothRead = new ManualResetEventSlim();
        using var otherCommitted = new ManualResetEventSlim();
        int heldRuns = 0;

        var held = TestThread.Start(() => Atomic.Run(() =>
        {
            int sum = x.Value + y.Value;
#pragma warning disable STM0003 // numbers the attempts on purpose, to tell the first run of the body from its re-runs
            if (Interlocked.Increment(ref heldRuns) == 1)
#pragma warning restore STM0003
            {
                bothRead.Set();
                Bounded.Wait(otherCommitted, "the other withdrawal to commit");
            }

            if (sum - 100 >= 0)
            {
                x.Write(x.Value - 100);
            }
        }));

        Bounded.Wait(bothRead, "the held transaction to read both accounts");
        Atomic.Run(() =>
        {
            if (x.Value + y.Value - 100 >= 0)
            {
                y.Write(y.Value - 100);
            }
        });
        otherCommitted.Set();
        held.Join();
        return heldRuns;
    }
}
