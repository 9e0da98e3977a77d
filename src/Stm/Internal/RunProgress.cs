namespace Stm.Internal;

/// <summary>What one top-level run has been through so far, across attempts and waits.</summary>
internal struct RunProgress
{
    /// <summary>Attempts started.</summary>
    internal int Attempts;

    /// <summary>Attempts aborted by conflicts.</summary>
    internal int Conflicts;

    /// <summary>Times the run was woken from Retry.</summary>
    internal int Wakeups;

    /// <summary>The waiter ticket taken when the run first parked (0 before), kept for fairness.</summary>
    internal long Ticket;
}
