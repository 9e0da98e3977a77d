using FsCheck.Xunit;
using Stm.Collections;
using Xunit;

namespace Stm.Tests.Properties.Collections;

/// <summary>
/// Many threads (more than cores) run generated transactions on one map. Each thread owns a key
/// range, so its keys must end exactly as its own sequential model says; all threads also
/// transfer amounts between shared keys, so the shared total is conserved, which every attempt
/// checks (opacity) and an auditor thread checks in read-only snapshots.
/// </summary>
public sealed class ConcurrentMapTests
{
    private const int Initial = 100;

    [Property(Arbitrary = [typeof(ConcurrentArbitraries)], MaxTest = 15)]
    public void TMap_ConcurrentPrograms_MatchASerialOrder(ConcurrentMapProgram program) =>
        Check(new TMapUnderTest(new TMap<int, int>()), program, sorted: false);

    [Property(Arbitrary = [typeof(ConcurrentArbitraries)], MaxTest = 15)]
    public void TSortedMap_ConcurrentPrograms_MatchASerialOrder(ConcurrentMapProgram program) =>
        Check(new TSortedMapUnderTest(new TSortedMap<int, int>()), program, sorted: true);

    private static int SharedKey(int i) => -1 - i;

    private static int LocalKey(int thread, int key) => (thread * 1000) + key;

    private static void Check(IMapUnderTest actual, ConcurrentMapProgram program, bool sorted)
    {
        IDictionary<int, int> map = actual.Map;
        const int Total = ConcurrentArbitraries.SharedKeys * Initial;
        for (int i = 0; i < ConcurrentArbitraries.SharedKeys; i++)
        {
            map[SharedKey(i)] = Initial;
        }

        var models = new Dictionary<int, int>[program.Threads.Length];
        ConcurrentRunner.Run(
            program.Threads.Length,
            thread =>
            {
                var model = new Dictionary<int, int>();
                foreach (MapTransaction transaction in program.Threads[thread])
                {
                    Atomic.Run(() =>
                    {
                        Assert.Equal(Total, SharedSum(map));
                        var attempt = new Dictionary<int, int>(model);
                        foreach (MapOperation operation in transaction.Local)
                        {
                            MapModel.Apply(actual, attempt, operation with { Key = LocalKey(thread, operation.Key) }, sorted);
                        }

                        map[SharedKey(transaction.From)] -= transaction.Amount;
                        map[SharedKey(transaction.To)] += transaction.Amount;
                        Atomic.AfterCommit(() => model = attempt);
                    });
                }

                models[thread] = model;
            },
            auditor: () => Atomic.Run(() =>
            {
                KeyValuePair<int, int>[] snapshot = [.. map];
                Assert.Equal(snapshot.Length, map.Count);
                Assert.Equal(Total, snapshot.Where(e => e.Key < 0).Sum(e => e.Value));
                if (sorted)
                {
                    Assert.Equal(snapshot.Select(e => e.Key).Order(), snapshot.Select(e => e.Key));
                }
            }));

        var expected = new Dictionary<int, int>();
        for (int i = 0; i < ConcurrentArbitraries.SharedKeys; i++)
        {
            expected[SharedKey(i)] = Initial;
        }

        foreach (MapTransaction transaction in program.Threads.SelectMany(t => t))
        {
            expected[SharedKey(transaction.From)] -= transaction.Amount;
            expected[SharedKey(transaction.To)] += transaction.Amount;
        }

        foreach (Dictionary<int, int> model in models)
        {
            foreach (KeyValuePair<int, int> entry in model)
            {
                expected.Add(entry.Key, entry.Value);
            }
        }

        MapModel.AssertSameState(actual, expected, sorted);
    }

    private static int SharedSum(IDictionary<int, int> map)
    {
        int sum = 0;
        for (int i = 0; i < ConcurrentArbitraries.SharedKeys; i++)
        {
            sum += map[SharedKey(i)];
        }

        return sum;
    }
}
