using Xunit;

namespace Stm.Tests.Properties.Collections;

/// <summary>
/// Runs generated operations against a transactional map and a BCL model side by side and
/// asserts that every result and the final state agree.
/// </summary>
public static class MapModel
{
    /// <summary>Thrown at the end of an <see cref="MapOperationKind.AtomicallyThenThrow"/> group.</summary>
    private sealed class Abort : Exception
    {
    }

    public static void Check(IMapUnderTest actual, IDictionary<int, int> model, IEnumerable<MapOperation> operations, bool sorted)
    {
        foreach (MapOperation operation in operations)
        {
            Apply(actual, model, operation, sorted);
        }

        AssertSameState(actual, model, sorted);
    }

    public static void AssertSameState(IMapUnderTest actual, IDictionary<int, int> model, bool sorted)
    {
        Assert.Equal(model.Count, actual.Map.Count);
        KeyValuePair<int, int>[] entries = [.. actual.Map];
        Assert.Equal(model.OrderBy(e => e.Key), sorted ? entries : entries.OrderBy(e => e.Key));
    }

    public static void Apply(IMapUnderTest actual, IDictionary<int, int> model, MapOperation operation, bool sorted)
    {
        IDictionary<int, int> map = actual.Map;
        int key = operation.Key;
        int value = operation.Value;
        switch (operation.Kind)
        {
            case MapOperationKind.Set:
                map[key] = value;
                model[key] = value;
                break;
            case MapOperationKind.Add:
                if (model.TryAdd(key, value))
                {
                    map.Add(key, value);
                }
                else
                {
                    Assert.Throws<ArgumentException>(() => map.Add(key, value));
                }

                break;
            case MapOperationKind.TryAdd:
                Assert.Equal(model.TryAdd(key, value), actual.TryAdd(key, value));
                break;
            case MapOperationKind.Remove:
                Assert.Equal(model.Remove(key), map.Remove(key));
                break;
            case MapOperationKind.Get:
                if (model.TryGetValue(key, out int expected))
                {
                    Assert.Equal(expected, map[key]);
                }
                else
                {
                    Assert.Throws<KeyNotFoundException>(() => map[key]);
                }

                break;
            case MapOperationKind.ContainsKey:
                Assert.Equal(model.ContainsKey(key), map.ContainsKey(key));
                break;
            case MapOperationKind.GetOrAdd:
                model.TryAdd(key, value);
                Assert.Equal(model[key], actual.GetOrAdd(key, _ => value));
                break;
            case MapOperationKind.AddOrUpdate:
                model[key] = model.TryGetValue(key, out int old) ? old + value : value;
                Assert.Equal(model[key], actual.AddOrUpdate(key, value, (_, current) => current + value));
                break;
            case MapOperationKind.Count:
                Assert.Equal(model.Count, map.Count);
                break;
            case MapOperationKind.Snapshot:
                AssertSameState(actual, model, sorted);
                break;
            case MapOperationKind.Clear:
                model.Clear();
                map.Clear();
                break;
            case MapOperationKind.Min:
                Assert.Equal(model.Count > 0, actual.TryGetMin(out int minKey, out int minValue));
                if (model.Count > 0)
                {
                    KeyValuePair<int, int> min = model.MinBy(e => e.Key);
                    Assert.Equal((min.Key, min.Value), (minKey, minValue));
                }

                break;
            case MapOperationKind.Max:
                Assert.Equal(model.Count > 0, actual.TryGetMax(out int maxKey, out int maxValue));
                if (model.Count > 0)
                {
                    KeyValuePair<int, int> max = model.MaxBy(e => e.Key);
                    Assert.Equal((max.Key, max.Value), (maxKey, maxValue));
                }

                break;
            case MapOperationKind.Range:
                Assert.Equal(model.Where(e => e.Key >= key && e.Key < value).OrderBy(e => e.Key), actual.Range(key, value));
                break;
            case MapOperationKind.Atomically:
                Atomic.Run(() =>
                {
                    // The body may re-run after a conflict: apply it to a copy of the model each time.
                    var attempt = new Dictionary<int, int>(model);
                    foreach (MapOperation inner in operation.Inner)
                    {
                        Apply(actual, attempt, inner, sorted);
                    }

                    AssertSameState(actual, attempt, sorted);
                    Atomic.AfterCommit(() =>
                    {
                        model.Clear();
                        foreach (KeyValuePair<int, int> entry in attempt)
                        {
                            model.Add(entry.Key, entry.Value);
                        }
                    });
                });
                break;
            case MapOperationKind.AtomicallyThenThrow:
                Assert.Throws<Abort>(() => Atomic.Run(() =>
                {
                    var attempt = new Dictionary<int, int>(model);
                    foreach (MapOperation inner in operation.Inner)
                    {
                        Apply(actual, attempt, inner, sorted);
                    }

                    throw new Abort();
                }));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(operation), operation.Kind, "Unknown operation kind.");
        }
    }
}
