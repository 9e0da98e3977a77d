/// <summary>Collects failed checks so that one run reports all of them.</summary>
internal sealed class CheckList
{
    private readonly List<string> _failures = [];
    private int _count;

    public void Expect(bool condition, string failure)
    {
        if (condition)
        {
            _count++;
        }
        else
        {
            Fail(failure);
        }
    }

    public void Fail(string failure)
    {
        _count++;
        _failures.Add(failure);
        Console.WriteLine($"FAILED: {failure}");
    }

    /// <summary>Prints the verdict; returns the process exit code.</summary>
    public int Report()
    {
        if (_failures.Count == 0)
        {
            Console.WriteLine($"Package consumer: OK ({_count} checks)");
            return 0;
        }
        Console.WriteLine($"Package consumer: FAILED ({_failures.Count} of {_count} checks)");
        return 1;
    }
}
