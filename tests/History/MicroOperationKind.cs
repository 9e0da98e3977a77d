namespace Stm.Testing.History;

/// <summary>The kind of one step of a list-append transaction.</summary>
public enum MicroOperationKind
{
    /// <summary>The transaction read a key and observed a whole list.</summary>
    Read,

    /// <summary>The transaction appended one (unique) element to the list of a key.</summary>
    Append,
}
