namespace CheckoutCommit;

/// <summary>
/// Prints the first few clashes as they happen (the rest are only counted), so a run shows what
/// rinsing and repeating looks like without flooding the console. Thread-safe.
/// </summary>
internal sealed class ClashLog(int limit)
{
    /// <summary>Clashes reported so far, printed or not.</summary>
    private int _reported;

    /// <summary>Prints one clash if fewer than the limit have been printed.</summary>
    public void Report(string worker, string first, string second)
    {
        int number = Interlocked.Increment(ref _reported);
        if (number <= limit)
        {
            Console.WriteLine($"  {worker}: clash on {first} + {second}, rinse and repeat");
        }
        else if (number == limit + 1)
        {
            Console.WriteLine("  (further clashes are only counted)");
        }
    }
}
