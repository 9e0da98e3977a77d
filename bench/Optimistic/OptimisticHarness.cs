using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Stm.Benchmarks.Scaling;

namespace Stm.Benchmarks.Optimistic;

/// <summary>
/// The optimistic-concurrency harness (not BenchmarkDotNet): many tasks update random keys, each
/// update reading a key, awaiting a simulated 1 ms call (<c>Task.Delay(1)</c>) and writing the key
/// plus one. Compared: a <see cref="SemaphoreSlim"/> per key held across the call (the baseline),
/// <c>Atomic.RunAsync</c> with a checkout body (the engine rinses and repeats, pausing a little
/// after repeated clashes), and a hand-written <c>Atomic.Checkout()</c> / <c>TryCommit</c> loop
/// that repeats at once. Prints throughput, the share of attempts that clashed, and attempts per
/// update; checks that the keys add up to the completed updates (exit code 1 if not).
/// </summary>
internal static class OptimisticHarness
{
    /// <summary>The command-line switch that selects this harness.</summary>
    public const string Switch = "--optimistic";

    /// <summary>The baseline variant's title; the other variants' throughput is divided by its.</summary>
    private const string BaselineTitle = "SemaphoreSlim per key";

    /// <summary>How long the tasks may take to finish their last update after the stop signal.</summary>
    private static readonly TimeSpan s_stopTimeout = TimeSpan.FromSeconds(60);

    /// <summary>How long each variant runs once, unmeasured, before its measurement (JIT tiering, thread pool growth).</summary>
    private static readonly TimeSpan s_warmUp = TimeSpan.FromMilliseconds(300);

    /// <summary>Runs the harness.</summary>
    /// <param name="args">The command line; see <see cref="OptimisticOptions"/>.</param>
    /// <returns>0 when every run's keys added up, 1 when one did not, 2 on bad arguments.</returns>
    public static int Run(IReadOnlyList<string> args)
    {
        OptimisticOptions? options = OptimisticOptions.TryParse(args, out string? error);
        if (options is null)
        {
            Console.Error.WriteLine(error);
            Console.Error.WriteLine(OptimisticOptions.Usage);
            return 2;
        }

        Console.WriteLine("# Stm optimistic-concurrency harness");
        Console.WriteLine();
        Console.WriteLine(Invariant($"{Environment.ProcessorCount} logical cores, {RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSDescription}"));
        Console.WriteLine(Invariant($"{options.Tasks} tasks, {options.Keys} keys, update = read, await Task.Delay(1), write; {options.Duration.TotalSeconds:0.##} s per variant"));
        Console.WriteLine();

        var failures = new List<string>();
        var results = new List<OptimisticResult>();
        foreach (Func<int, OptimisticWorkload> create in new Func<int, OptimisticWorkload>[] { Semaphores, RunAsyncCheckouts, TryCommitLoops })
        {
            TimeSpan warmUp = options.Duration < s_warmUp ? options.Duration : s_warmUp;
            string title = create(options.Keys).Title;
            try
            {
                _ = MeasureAsync(create(options.Keys), options.Tasks, options.Keys, warmUp).GetAwaiter().GetResult();
                Console.Error.WriteLine($"running {title}...");
                results.Add(MeasureAsync(create(options.Keys), options.Tasks, options.Keys, options.Duration).GetAwaiter().GetResult());
            }
            catch (Exception exception)
            {
                failures.Add($"{title}: {exception.GetType().Name}: {exception.Message}");
            }
        }

        Console.WriteLine(Report(results));
        if (failures.Count > 0)
        {
            Console.WriteLine("## FAILED runs");
            Console.WriteLine();
            foreach (string failure in failures)
            {
                Console.WriteLine($"- {failure}");
            }

            return 1;
        }

        return 0;
    }

    /// <summary>The baseline: a semaphore per key, held across the simulated call.</summary>
    private static OptimisticWorkload Semaphores(int keys)
    {
        SemaphoreSlim[] gates = [.. Enumerable.Range(0, keys).Select(_ => new SemaphoreSlim(1, 1))];
        long[] values = new long[keys];
        long attempts = 0;
        return new OptimisticWorkload(
            BaselineTitle,
            async key =>
            {
                await gates[key].WaitAsync().ConfigureAwait(false);
                try
                {
                    Interlocked.Increment(ref attempts);
                    long value = values[key];
                    await Task.Delay(1).ConfigureAwait(false);
                    values[key] = value + 1;
                }
                finally
                {
                    gates[key].Release();
                }
            },
            () => Volatile.Read(ref attempts),
            () => values.Sum());
    }

    /// <summary><c>Atomic.RunAsync</c> with a checkout body.</summary>
    private static OptimisticWorkload RunAsyncCheckouts(int keys)
    {
        TVar<long>[] values = [.. Enumerable.Range(0, keys).Select(k => new TVar<long>(0, $"key{k}"))];
        long attempts = 0;
        return new OptimisticWorkload(
            "Atomic.RunAsync checkout",
            key => Atomic.RunAsync(async (checkout, ct) =>
            {
                // Counted in the body on purpose: each run of it is one attempt.
                Interlocked.Increment(ref attempts);
                long value = checkout.Read(values[key]);
                await Task.Delay(1, ct).ConfigureAwait(false);
                checkout.Write(values[key], value + 1);
            }).AsTask(),
            () => Volatile.Read(ref attempts),
            () => Atomic.Run(() => values.Sum(static v => v.Value)));
    }

    /// <summary>A hand-written checkout loop that tries again at once after a clash.</summary>
    private static OptimisticWorkload TryCommitLoops(int keys)
    {
        TVar<long>[] values = [.. Enumerable.Range(0, keys).Select(k => new TVar<long>(0, $"key{k}"))];
        long attempts = 0;
        return new OptimisticWorkload(
            "Checkout + TryCommit loop",
            async key =>
            {
                while (true)
                {
                    Interlocked.Increment(ref attempts);
                    using Checkout checkout = Atomic.Checkout();
                    long value = checkout.Read(values[key]);
                    await Task.Delay(1).ConfigureAwait(false);
                    checkout.Write(values[key], value + 1);
                    if (checkout.TryCommit())
                    {
                        return;
                    }
                }
            },
            () => Volatile.Read(ref attempts),
            () => Atomic.Run(() => values.Sum(static v => v.Value)));
    }

    /// <summary>Runs <paramref name="workload"/> on <paramref name="tasks"/> tasks for <paramref name="duration"/> and checks its keys.</summary>
    private static async Task<OptimisticResult> MeasureAsync(OptimisticWorkload workload, int tasks, int keys, TimeSpan duration)
    {
        var stop = new StopSignal();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var workers = new Task<long>[tasks];
        for (int i = 0; i < tasks; i++)
        {
            int seed = i;
            workers[i] = Task.Run(async () =>
            {
                await start.Task.ConfigureAwait(false);
                var random = new Random(seed);
                long done = 0;
                while (!stop.IsSet)
                {
                    await workload.UpdateAsync(random.Next(keys)).ConfigureAwait(false);
                    done++;
                }

                return done;
            });
        }

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        long attemptsBefore = workload.Attempts();
        start.SetResult();
        Stopwatch stopwatch = Stopwatch.StartNew();
        await Task.Delay(duration).ConfigureAwait(false);
        stop.Set();
        long[] done = await Task.WhenAll(workers).WaitAsync(s_stopTimeout).ConfigureAwait(false);
        stopwatch.Stop();

        long operations = done.Sum();
        long total = workload.Total();
        if (total != operations)
        {
            throw new InvalidOperationException(Invariant($"the keys add up to {total}, but {operations} updates completed (lost or extra updates)"));
        }

        return new OptimisticResult(workload.Title, operations, workload.Attempts() - attemptsBefore, stopwatch.Elapsed);
    }

    /// <summary>Formats the results as a Markdown table, with throughput relative to the first (the baseline).</summary>
    private static string Report(List<OptimisticResult> results)
    {
        var report = new StringBuilder();
        report.AppendLine("| variant | updates | updates/s | / baseline | attempts per update | clashed attempts |");
        report.AppendLine("|---|---:|---:|---:|---:|---:|");
        double? baseline = results.Find(static r => r.Variant == BaselineTitle)?.Throughput;
        foreach (OptimisticResult result in results)
        {
            string ratio = baseline is { } b && b > 0 ? Invariant($"{result.Throughput / b:0.00}x") : "-";
            report.AppendLine(Invariant(
                $"| {result.Variant} | {result.Operations:N0} | {result.Throughput:N0} | {ratio} | {result.AttemptsPerOperation:0.000} | {result.ConflictRate:P1} |"));
        }

        return report.ToString();
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
