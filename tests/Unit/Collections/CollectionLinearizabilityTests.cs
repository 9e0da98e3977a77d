using System.Collections.Immutable;
using Stm.Collections;
using Stm.Testing.History;
using Xunit;

namespace Stm.Tests.Unit.Collections;

/// <summary>
/// Concurrent histories of collection operations (each its own atomic transaction, called outside
/// one) are linearizable against the sequential model: small histories from more threads than
/// cores, released together by a barrier, checked exhaustively by <see cref="LinearizabilityChecker"/>.
/// </summary>
[Trait("Category", "Stress")]
public sealed class CollectionLinearizabilityTests
{
    private const int Threads = 4;
    private const int OperationsPerThread = 4;
    private const int Histories = 40;

    [Fact]
    public void TQueue_ConcurrentEnqueueAndTryDequeue_IsLinearizable()
    {
        var comparer = new SequenceEqualityComparer<ImmutableQueue<int>, int>();
        for (int seed = 0; seed < Histories; seed++)
        {
            var queue = new TQueue<int>();
            var recorder = new OperationRecorder<QueueStep, int?>();
            RunConcurrently(seed, (process, random) =>
            {
                QueueStep step = random.Next(2) == 0 ? new QueueStep(true, (process * 100) + random.Next(100)) : new QueueStep(false, 0);
                long invoked = recorder.Invoke();
                int? result = null;
                if (step.IsEnqueue)
                {
                    queue.Enqueue(step.Item);
                }
                else if (queue.TryDequeue(out int item))
                {
                    result = item;
                }

                recorder.Complete(process, step, result, invoked);
            });

            LinearizabilityResult verdict = LinearizabilityChecker.Check(
                ImmutableQueue<int>.Empty, recorder.Snapshot(), QueueStep.Apply, comparer);
            Assert.True(verdict.IsLinearizable, $"seed {seed}: {verdict.Explanation}");
        }
    }

    [Fact]
    public void TMap_ConcurrentAddRemoveGetAndSet_IsLinearizable()
    {
        var comparer = new SequenceEqualityComparer<ImmutableSortedDictionary<int, int>, KeyValuePair<int, int>>();
        for (int seed = 0; seed < Histories; seed++)
        {
            var map = new TMap<int, int>();
            var recorder = new OperationRecorder<MapStep, int?>();
            RunConcurrently(seed, (process, random) =>
            {
                // Three keys, so that operations really collide.
                var step = new MapStep((MapStepKind)random.Next(4), random.Next(3), (process * 100) + random.Next(100));
                long invoked = recorder.Invoke();
                int? result = step.Kind switch
                {
                    MapStepKind.TryAdd => map.TryAdd(step.Key, step.Value) ? 1 : 0,
                    MapStepKind.TryRemove => map.TryRemove(step.Key, out int removed) ? removed : null,
                    MapStepKind.TryGetValue => map.TryGetValue(step.Key, out int found) ? found : null,
                    _ => Set(map, step.Key, step.Value),
                };
                recorder.Complete(process, step, result, invoked);
            });

            LinearizabilityResult verdict = LinearizabilityChecker.Check(
                ImmutableSortedDictionary<int, int>.Empty, recorder.Snapshot(), MapStep.Apply, comparer);
            Assert.True(verdict.IsLinearizable, $"seed {seed}: {verdict.Explanation}");
        }
    }

    private static int? Set(TMap<int, int> map, int key, int value)
    {
        map[key] = value;
        return null;
    }

    /// <summary>Runs <see cref="OperationsPerThread"/> generated steps on each of <see cref="Threads"/> threads, released together.</summary>
    private static void RunConcurrently(int seed, Action<int, Random> step)
    {
        using var start = new Barrier(Threads);
        var threads = new Thread[Threads];
        Exception? failure = null;
        for (int t = 0; t < Threads; t++)
        {
            int process = t;
            threads[t] = new Thread(() =>
            {
                try
                {
                    var random = new Random((seed * Threads) + process);
                    start.SignalAndWait();
                    for (int i = 0; i < OperationsPerThread; i++)
                    {
                        step(process, random);
                    }
                }
                catch (Exception ex)
                {
                    Interlocked.CompareExchange(ref failure, ex, null);
                }
            });
            threads[t].Start();
        }

        foreach (Thread thread in threads)
        {
            Assert.True(thread.Join(TimeSpan.FromSeconds(30)), "a worker did not finish");
        }

        Assert.Null(failure);
    }

    /// <summary>A queue operation: enqueue <see cref="Item"/>, or try to dequeue.</summary>
    private sealed record QueueStep(bool IsEnqueue, int Item)
    {
        public static (ImmutableQueue<int> Next, int? Result) Apply(ImmutableQueue<int> state, QueueStep step)
        {
            if (step.IsEnqueue)
            {
                return (state.Enqueue(step.Item), null);
            }

            return state.IsEmpty ? (state, null) : (state.Dequeue(out int item), item);
        }

        public override string ToString() => IsEnqueue ? $"Enqueue({Item})" : "TryDequeue()";
    }

    private enum MapStepKind
    {
        TryAdd,
        TryRemove,
        TryGetValue,
        Set,
    }

    /// <summary>A map operation on <see cref="Key"/>; results: TryAdd 1/0, TryRemove and TryGetValue the value or null, Set null.</summary>
    private sealed record MapStep(MapStepKind Kind, int Key, int Value)
    {
        public static (ImmutableSortedDictionary<int, int> Next, int? Result) Apply(ImmutableSortedDictionary<int, int> state, MapStep step) =>
            step.Kind switch
            {
                MapStepKind.TryAdd => state.ContainsKey(step.Key) ? (state, 0) : (state.Add(step.Key, step.Value), 1),
                MapStepKind.TryRemove => state.TryGetValue(step.Key, out int removed) ? (state.Remove(step.Key), removed) : (state, null),
                MapStepKind.TryGetValue => (state, state.TryGetValue(step.Key, out int found) ? found : null),
                _ => (state.SetItem(step.Key, step.Value), null),
            };

        public override string ToString() => Kind switch
        {
            MapStepKind.TryAdd => $"TryAdd({Key}, {Value})",
            MapStepKind.TryRemove => $"TryRemove({Key})",
            MapStepKind.TryGetValue => $"TryGetValue({Key})",
            _ => $"this[{Key}] = {Value}",
        };
    }
}
