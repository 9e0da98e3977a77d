using System.Globalization;
using System.Text;

namespace Stm.Charts;

/// <summary>
/// Reads the <c>*-report.csv</c> files that BenchmarkDotNet's CSV exporter writes into
/// <c>BenchmarkDotNet.Artifacts/results</c>: one file per benchmark class, one row per method, values
/// with their units (<c>34.0123 ns</c>, <c>40 B</c>).
/// </summary>
internal static class BenchmarkCsv
{
    /// <summary>The file name suffix of the reports this tool reads.</summary>
    public const string ReportSuffix = "-report.csv";

    /// <summary>Reads every report in <paramref name="directory"/>.</summary>
    public static List<BenchmarkRow> ReadDirectory(string directory)
    {
        var rows = new List<BenchmarkRow>();
        foreach (string file in Directory.EnumerateFiles(directory, "*" + ReportSuffix).Order(StringComparer.Ordinal))
        {
            rows.AddRange(ReadFile(file));
        }

        return rows;
    }

    /// <summary>Reads one report; the suite is the class name taken from the file name.</summary>
    public static List<BenchmarkRow> ReadFile(string path)
    {
        string fileName = Path.GetFileName(path);
        string fullName = fileName[..^ReportSuffix.Length];
        string suite = fullName[(fullName.LastIndexOf('.') + 1)..];

        List<List<string>> records = ParseCsv(File.ReadAllText(path));
        if (records.Count < 2)
        {
            return [];
        }

        List<string> header = records[0];
        int method = Column(header, "Method", path);
        int mean = Column(header, "Mean", path);
        int ratio = header.IndexOf("Ratio");
        int allocated = header.IndexOf("Allocated");
        int categories = header.IndexOf("Categories");

        var rows = new List<BenchmarkRow>();
        foreach (List<string> record in records.Skip(1))
        {
            if (record.Count < header.Count)
            {
                continue;
            }

            rows.Add(new BenchmarkRow(
                suite,
                categories >= 0 ? record[categories] : string.Empty,
                Unquote(record[method]),
                ParseTime(record[mean]),
                ratio >= 0 ? ParseNumber(record[ratio]) : double.NaN,
                allocated >= 0 ? ParseSize(record[allocated]) : double.NaN));
        }

        return rows;
    }

    /// <summary>A time with its unit (<c>ns</c>, <c>us</c>/<c>μs</c>, <c>ms</c>, <c>s</c>) in nanoseconds; NaN if unreadable.</summary>
    public static double ParseTime(string text)
    {
        (double value, string unit) = SplitUnit(text);
        return unit switch
        {
            "ns" => value,
            "us" or "μs" or "µs" => value * 1e3,
            "ms" => value * 1e6,
            "s" => value * 1e9,
            _ => double.NaN,
        };
    }

    /// <summary>A size with its unit (<c>B</c>, <c>KB</c>, <c>MB</c>, <c>GB</c>) in bytes; 0 for <c>-</c>; NaN if unreadable.</summary>
    public static double ParseSize(string text)
    {
        if (text.Trim() is "-" or "0 B")
        {
            return 0;
        }

        (double value, string unit) = SplitUnit(text);
        return unit switch
        {
            "B" => value,
            "KB" => value * 1024,
            "MB" => value * 1024 * 1024,
            "GB" => value * 1024 * 1024 * 1024,
            _ => double.NaN,
        };
    }

    private static (double Value, string Unit) SplitUnit(string text)
    {
        string trimmed = text.Trim();
        int space = trimmed.LastIndexOf(' ');
        return space < 0
            ? (ParseNumber(trimmed), string.Empty)
            : (ParseNumber(trimmed[..space]), trimmed[(space + 1)..]);
    }

    private static double ParseNumber(string text) =>
        double.TryParse(text.Replace(",", string.Empty, StringComparison.Ordinal), NumberStyles.Float, CultureInfo.InvariantCulture, out double value)
            ? value
            : double.NaN;

    /// <summary>Removes the single quotes BenchmarkDotNet puts around a description with spaces.</summary>
    private static string Unquote(string text) =>
        text.Length >= 2 && text[0] == '\'' && text[^1] == '\'' ? text[1..^1] : text;

    private static int Column(List<string> header, string name, string path)
    {
        int index = header.IndexOf(name);
        return index >= 0
            ? index
            : throw new InvalidDataException($"{path} has no '{name}' column; is it a BenchmarkDotNet report (*{ReportSuffix})?");
    }

    /// <summary>Splits CSV text into records (RFC 4180: quoted fields may hold commas, quotes doubled).</summary>
    internal static List<List<string>> ParseCsv(string text)
    {
        var records = new List<List<string>>();
        var record = new List<string>();
        var field = new StringBuilder();
        bool quoted = false;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                record.Add(field.ToString());
                field.Clear();
            }
            else if (c == '\n')
            {
                record.Add(field.ToString().TrimEnd('\r'));
                field.Clear();
                records.Add(record);
                record = [];
            }
            else
            {
                field.Append(c);
            }
        }

        if (field.Length > 0 || record.Count > 0)
        {
            record.Add(field.ToString().TrimEnd('\r'));
            records.Add(record);
        }

        return records;
    }
}
