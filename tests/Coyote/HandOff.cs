namespace Stm.Tests.Coyote;

/// <summary>How a schedule of <see cref="ContentionScenarios.PriorityHandOff"/> lets the writer held back by the priority holder go.</summary>
public enum HandOff
{
    /// <summary>Only by the holder committing and giving priority up: nobody ends its grant.</summary>
    HolderCommits,

    /// <summary>Only by the end of the holder's grant: the holder stays blocked until the writer has committed.</summary>
    GrantEnds,

    /// <summary>By whichever comes first: the holder's commit or the end of its grant.</summary>
    Race,
}
