namespace Stm.Internal;

/// <summary>The stamp a locking commit publishes with, and what taking it showed (see <see cref="VersionClock.TakeStamp"/>).</summary>
/// <param name="Value">The stamp.</param>
/// <param name="FollowsSnapshot">Taken from the counter right after the committer's own read version: nobody committed in between, so its reads need no validation.</param>
/// <param name="IsHardware">Read from the hardware counter: the commit must not be seen as done before the counter has passed it (see <see cref="VersionClock.WaitPast"/>).</param>
internal readonly record struct WriteStamp(long Value, bool FollowsSnapshot, bool IsHardware);
