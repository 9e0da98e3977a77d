namespace Stm.Charts;

/// <summary>One row of the scaling harness's CSV (<c>--scaling --csv file</c>): one workload at one thread count.</summary>
/// <param name="Threads">Worker threads.</param>
/// <param name="Group">The work (<c>transfer</c>, <c>disjoint</c>, <c>counter</c>, <c>read-only</c>).</param>
/// <param name="Variant">How it was done (<c>stm</c>, <c>global lock</c>, ...).</param>
/// <param name="OperationsPerSecond">Throughput of all workers together; NaN for a failed run.</param>
/// <param name="Machine">The machine line the harness wrote.</param>
internal sealed record ScalingRow(int Threads, string Group, string Variant, double OperationsPerSecond, string Machine);
