using System.Globalization;
using System.Text;

namespace Stm;

/// <summary>A transaction waiting in <see cref="Atomic.Retry"/>, as <see cref="StmDiagnostics.GetSnapshot"/> found it.</summary>
public sealed record WaitingTransaction
{
    /// <summary>TVars named by <see cref="ToString"/>; the list itself has them all.</summary>
    private const int TVarsInText = 8;

    internal WaitingTransaction(DateTime waitingSince, TimeSpan waitedFor, int wakeups, bool isAsync, int? managedThreadId, IReadOnlyList<TVarInfo> waitsOn)
    {
        WaitingSince = waitingSince;
        WaitedFor = waitedFor;
        Wakeups = wakeups;
        IsAsync = isAsync;
        ManagedThreadId = managedThreadId;
        WaitsOn = waitsOn;
    }

    /// <summary>When (UTC) the transaction first waited: its run has not committed since.</summary>
    public DateTime WaitingSince { get; }

    /// <summary>How long the transaction had waited when the snapshot was taken (since <see cref="WaitingSince"/>).</summary>
    public TimeSpan WaitedFor { get; }

    /// <summary>
    /// How many times the transaction was woken (a TVar it read was written) and re-ran without
    /// committing. Zero means that nothing it waits on has been written since it first waited.
    /// </summary>
    public int Wakeups { get; }

    /// <summary>True for a wait that holds no thread (<c>Atomic.RunAsync</c>, or a checkout run by it); false for a blocked thread.</summary>
    public bool IsAsync { get; }

    /// <summary>The managed thread id of the blocked thread (<see cref="Environment.CurrentManagedThreadId"/>), or null for an asynchronous wait.</summary>
    public int? ManagedThreadId { get; }

    /// <summary>The TVars whose change will wake the transaction: those its last attempt read.</summary>
    public IReadOnlyList<TVarInfo> WaitsOn { get; }

    /// <summary>A one-line description, for example <c>thread 12 has waited 00:00:12.5 (woken 0 times) on inbox, (unnamed) #7</c>.</summary>
    /// <returns>A one-line description.</returns>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(IsAsync ? "an async wait" : "thread " + ManagedThreadId?.ToString(CultureInfo.InvariantCulture))
            .Append(" has waited ").Append(WaitedFor.ToString("c", CultureInfo.InvariantCulture))
            .Append(" (woken ").Append(Wakeups.ToString(CultureInfo.InvariantCulture)).Append(" times) on ");
        for (int i = 0; i < WaitsOn.Count && i < TVarsInText; i++)
        {
            text.Append(i == 0 ? string.Empty : ", ").Append(WaitsOn[i]);
        }

        if (WaitsOn.Count > TVarsInText)
        {
            text.Append(", and ").Append((WaitsOn.Count - TVarsInText).ToString(CultureInfo.InvariantCulture)).Append(" more");
        }

        return text.ToString();
    }
}
