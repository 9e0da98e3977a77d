namespace Stm.Testing.History;

/// <summary>
/// The anomalies <see cref="SerializabilityChecker"/> names. The Adya classes (G0 ... G2) describe
/// cycles and dirty reads; the named patterns (lost update, fractured read, ...) are reported
/// beside them, so a report names both the formal class and the everyday name.
/// </summary>
public enum AnomalyKind
{
    /// <summary>G0, write cycle: a cycle of write-write dependencies only.</summary>
    G0,

    /// <summary>G1a, aborted read: a committed transaction observed an element appended by an aborted transaction (or by no transaction at all).</summary>
    G1a,

    /// <summary>G1b, intermediate read: a committed transaction observed a list whose last element was not the final append of its writer to that key.</summary>
    G1b,

    /// <summary>G1c, circular information flow: a cycle of write-write and write-read dependencies with at least one write-read.</summary>
    G1c,

    /// <summary>G-single, read skew: a cycle with exactly one read-write (anti-)dependency.</summary>
    GSingle,

    /// <summary>G2, anti-dependency cycle (write skew): a cycle with two or more read-write dependencies.</summary>
    G2,

    /// <summary>Lost update: two committed transactions read the same version of a key and both appended to it.</summary>
    LostUpdate,

    /// <summary>Dirty read: a committed transaction observed state that was never committed (reported beside G1a and G1b).</summary>
    DirtyRead,

    /// <summary>Fractured read: a transaction saw some but not all of the appends of another committed transaction.</summary>
    FracturedRead,

    /// <summary>Incompatible order: two reads of one key observed lists of which neither is a prefix of the other.</summary>
    IncompatibleOrder,

    /// <summary>Duplicate element: an element appended twice, or observed twice in one list.</summary>
    DuplicateElement,

    /// <summary>Real-time cycle: a dependency cycle through real-time order (T1 completed before T2 was invoked), so the history is not strictly serializable.</summary>
    RealTime,

    /// <summary>Internal inconsistency: a transaction's read of a key does not end with its own earlier appends to that key.</summary>
    Internal,
}
