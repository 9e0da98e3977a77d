namespace Stm.Internal;

/// <summary>
/// Which time base the <see cref="VersionClock"/> may use, from the environment variable
/// <c>STM_TIME_BASE</c> or else the AppContext setting <c>Stm.TimeBase</c>: <c>adaptive</c> (the
/// default), <c>counter</c> or <c>hardware</c>.
/// </summary>
internal enum TimeBaseChoice
{
    /// <summary>The shared counter while one thread commits; the hardware counter, if its check passed, while several do.</summary>
    Adaptive,

    /// <summary>Always the shared counter.</summary>
    Counter,

    /// <summary>The hardware counter whenever its check passed (the shared counter otherwise, and for the reclaimer's short pauses).</summary>
    Hardware,
}
