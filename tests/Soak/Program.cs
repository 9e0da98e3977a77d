using Stm.Soak;

// Soak and fault-injection runner. Example: dotnet run -c Release --project tests/Soak -- --seconds 300 --threads 64 --seed 42
SoakOptions options;
try
{
    options = SoakOptions.Parse(args, Console.Out);
}
catch (ArgumentException exception)
{
    Console.Error.WriteLine(exception.Message);
    Console.Error.WriteLine("usage: Stm.Soak [--seconds N | --transactions N] [--threads 1..256] [--seed N] [--fault-rate 0..1] [--wakeup-bound-ms N] [--max-attempts N] [--heap-growth-mb N] [--seeded-bug " + string.Join("|", Enum.GetValues<SeededBug>().Select(SoakOptions.OptionName)) + "]");
    return 2;
}

SoakReport report = SoakRunner.Run(options);
return report.Passed ? 0 : 1;
