using System.Collections;
using System.Globalization;
using System.Text;

namespace Stm.Testing.History;

/// <summary>Formatting shared by the reports.</summary>
internal static class HistoryFormat
{
    /// <summary>Lists longer than this are shown by their ends only.</summary>
    private const int MaxListed = 16;

    /// <summary>Formats a list of integers as <c>[1, 2, 3]</c>; a long one as <c>[1, 2, 3, ...(94 more)..., 98, 99, 100]</c>.</summary>
    public static string List(IEnumerable<int> items)
    {
        var list = items as IReadOnlyList<int> ?? items.ToArray();
        if (list.Count <= MaxListed)
        {
            return "[" + string.Join(", ", list.Select(i => i.ToString(CultureInfo.InvariantCulture))) + "]";
        }

        var head = string.Join(", ", list.Take(3).Select(i => i.ToString(CultureInfo.InvariantCulture)));
        var tail = string.Join(", ", list.Skip(list.Count - 3).Select(i => i.ToString(CultureInfo.InvariantCulture)));
        return $"[{head}, ...({list.Count - 6} more)..., {tail}]";
    }

    /// <summary>Formats a transaction id as <c>T3</c>.</summary>
    public static string Transaction(int id) => "T" + id.ToString(CultureInfo.InvariantCulture);

    /// <summary>Formats any value; sequences (other than strings) as <c>[a, b]</c>, null as <c>null</c>.</summary>
    public static string Value(object? value)
    {
        switch (value)
        {
            case null:
                return "null";
            case string s:
                return s;
            case IEnumerable sequence:
                var builder = new StringBuilder("[");
                var first = true;
                foreach (var item in sequence)
                {
                    if (!first)
                    {
                        builder.Append(", ");
                    }

                    first = false;
                    builder.Append(Value(item));
                }

                return builder.Append(']').ToString();
            case IFormattable formattable:
                return formattable.ToString(null, CultureInfo.InvariantCulture);
            default:
                return value.ToString() ?? string.Empty;
        }
    }
}
