namespace Stm.Internal;

/// <summary>Hands out process-unique TVar ids (a static field of the generic TVar would be per T).</summary>
internal static class TVarIds
{
    private static long s_last;

    internal static long Next() => Interlocked.Increment(ref s_last);
}
