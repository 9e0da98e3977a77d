namespace Stm.Internal;

/// <summary>One read of a transaction: the TVar and the exact version node it saw.</summary>
internal struct ReadEntry
{
    internal ITVar Var;

    /// <summary>The version read; validation checks it is still the TVar's newest version.</summary>
    internal VersionNode Version;
}
