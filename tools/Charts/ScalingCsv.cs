using System.Globalization;

namespace Stm.Charts;

/// <summary>Reads the CSV that <c>dotnet run -c Release --project bench -- --scaling --csv file</c> writes.</summary>
internal static class ScalingCsv
{
    /// <summary>Reads one file.</summary>
    public static List<ScalingRow> Read(string path)
    {
        List<List<string>> records = BenchmarkCsv.ParseCsv(File.ReadAllText(path));
        if (records.Count == 0)
        {
            return [];
        }

        List<string> header = records[0];
        int threads = Column(header, "Threads", path);
        int group = Column(header, "Group", path);
        int variant = Column(header, "Variant", path);
        int throughput = Column(header, "OperationsPerSecond", path);
        int machine = header.IndexOf("Machine");
        var rows = new List<ScalingRow>();
        foreach (List<string> record in records.Skip(1).Where(r => r.Count >= header.Count))
        {
            rows.Add(new ScalingRow(
                int.Parse(record[threads], NumberStyles.None, CultureInfo.InvariantCulture),
                record[group],
                record[variant],
                double.TryParse(record[throughput], NumberStyles.Float, CultureInfo.InvariantCulture, out double value) ? value : double.NaN,
                machine >= 0 ? record[machine] : string.Empty));
        }

        return rows;
    }

    private static int Column(List<string> header, string name, string path)
    {
        int index = header.IndexOf(name);
        return index >= 0 ? index : throw new InvalidDataException($"{path} has no '{name}' column; is it from the scaling harness's --csv?");
    }
}
