namespace Stm.Tests.Properties.Core;

/// <summary>One generated step of a list-append transaction: read a key's whole list, or append a fresh element to it; then pause.</summary>
public sealed record ListAppendStep(bool IsAppend, int Key, Pause Pause)
{
    public override string ToString() => $"{(IsAppend ? "append" : "r")} {Key}{(Pause == Pause.None ? string.Empty : " " + Pause)}";
}
