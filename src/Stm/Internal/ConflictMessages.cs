namespace Stm.Internal;

/// <summary>The messages of <see cref="ConflictException"/>.</summary>
internal static class ConflictMessages
{
    internal static string Describe(string? tvarName, bool atCommit)
    {
        string where = atCommit
            ? $"The checkout cannot commit: {(tvarName is null ? "a TVar it read" : $"TVar '{tvarName}', which it read,")} was changed by another commit after the checkout read it."
            : $"The checkout cannot go on: it needs {(tvarName is null ? "a TVar" : $"TVar '{tvarName}'")} in a state newer than its snapshot, " +
              "and cannot move its snapshot forward because a TVar it read has changed since.";
        return where + " Nothing of the checkout was written. Redo the work on a fresh checkout " +
            "(Atomic.RunAsync(async (checkout, ct) => ...) does this for you).";
    }
}
