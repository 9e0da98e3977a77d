/// <summary>Collects failed checks so that one run reports all of them.</summary>
internal sealed class CheckList
{
    private readonly List<string> _failures = [];

    public void Expect(bool condition, string failure)
    {
        if (!condition)
        {
            Fail(failure);
        }
    }

    public void Fail(string failure)
    {
        _failures.Add(failure);
        Console.WriteLine($"FAILED: {failure}");
    }

    /// <summary>Prints the verdict; returns the process exit code.</summary>
    public int Report()
    {
        if (_failures.Count == 0)
        {
            Console.WriteLine("Package consumer: OK");
            return 0;
        }
        Console.WriteLine($"Package consumer: FAILED ({_failures.Count} checks)");
        return 1;
    }
}
