using FsCheck.Xunit;
using Stm.Collections;
using Xunit;

namespace Stm.Tests.Properties.Collections;

/// <summary>
/// Many threads (more than cores) run generated transactions on one set. Each thread owns a range
/// of elements, which must end as its sequential model says; all threads also toggle shared tokens
/// between two positions (element A(i) or B(i)), so exactly one position of every token is present
/// in every attempt and every snapshot, and the final position is fixed by the number of toggles.
/// </summary>
public sealed class ConcurrentSetTests
{
    [Property(Arbitrary = [typeof(ConcurrentArbitraries)], MaxTest = 15)]
    public void TSet_ConcurrentPrograms_MatchASerialOrder(ConcurrentSetProgram program)
    {
        var set = new TSet<int>();
        for (int i = 0; i < ConcurrentArbitraries.SharedKeys; i++)
        {
            set.Add(PositionA(i));
        }

        var models = new HashSet<int>[program.Threads.Length];
        ConcurrentRunner.Run(
            program.Threads.Length,
            thread =>
            {
                var model = new HashSet<int>();
                foreach (SetTransaction transaction in program.Threads[thread])
                {
                    Atomic.Run(() =>
                    {
                        AssertEveryTokenOnce(set);
                        var attempt = new HashSet<int>(model);
                        foreach (SetOperation operation in transaction.Local)
                        {
                            int item = (thread * 1000) + operation.Item;
                            switch (operation.Kind)
                            {
                                case SetOperationKind.Add:
                                    Assert.Equal(attempt.Add(item), set.Add(item));
                                    break;
                                case SetOperationKind.Remove:
                                    Assert.Equal(attempt.Remove(item), set.Remove(item));
                                    break;
                                default:
                                    Assert.Equal(attempt.Contains(item), set.Contains(item));
                                    break;
                            }
                        }

                        int token = transaction.Token;
                        if (set.Remove(PositionA(token)))
                        {
                            Assert.True(set.Add(PositionB(token)));
                        }
                        else
                        {
                            Assert.True(set.Remove(PositionB(token)));
                            Assert.True(set.Add(PositionA(token)));
                        }

                        Atomic.AfterCommit(() => model = attempt);
                    });
                }

                models[thread] = model;
            },
            auditor: () => Atomic.Run(() =>
            {
                int[] snapshot = set.ToArray();
                Assert.Equal(snapshot.Length, set.Count);
                AssertEveryTokenOnce(set);
            }));

        var expected = new HashSet<int>(models.SelectMany(m => m));
        for (int i = 0; i < ConcurrentArbitraries.SharedKeys; i++)
        {
            int toggles = program.Threads.SelectMany(t => t).Count(x => x.Token == i);
            expected.Add(toggles % 2 == 0 ? PositionA(i) : PositionB(i));
        }

        Assert.Equal(expected.Count, set.Count);
        Assert.True(set.SetEquals(expected), "final set differs from the serial model");
    }

    private static int PositionA(int token) => -1 - token;

    private static int PositionB(int token) => -1001 - token;

    private static void AssertEveryTokenOnce(TSet<int> set)
    {
        for (int i = 0; i < ConcurrentArbitraries.SharedKeys; i++)
        {
            Assert.True(set.Contains(PositionA(i)) ^ set.Contains(PositionB(i)), $"token {i} is not in exactly one position");
        }
    }
}
