using System.Globalization;
using Spectre.Console;

namespace BankTransfer;

/// <summary>
/// Shows the run while it goes: on a terminal, a live panel (elapsed time, transfers per second,
/// conflicts, audits) redrawn five times a second; when the output is redirected (CI, a log file) or
/// <c>--plain</c> is given, one plain line per second instead, and none for runs shorter than two seconds.
/// </summary>
/// <remarks>
/// Only this (the main) thread writes to the console; the worker threads only count, and never
/// from inside a transaction body (a body may run several times).
/// </remarks>
internal static class ProgressView
{
    /// <summary>How often the live panel is redrawn.</summary>
    private static readonly TimeSpan s_liveInterval = TimeSpan.FromMilliseconds(200);

    /// <summary>How often a plain progress line is written.</summary>
    private static readonly TimeSpan s_plainInterval = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Shows progress until <paramref name="finished"/> returns <see langword="true"/> or
    /// <paramref name="deadline"/> passes.
    /// </summary>
    /// <param name="live">Draw the live panel (a terminal) rather than plain lines.</param>
    /// <param name="title">The panel's title.</param>
    /// <param name="duration">How long the run lasts, for the progress bar.</param>
    /// <param name="read">Reads the current counts.</param>
    /// <param name="finished">Whether every thread has ended.</param>
    /// <param name="deadline">When to give up waiting (a thread that never stops).</param>
    public static void Watch(bool live, string title, TimeSpan duration, Func<RunSnapshot> read, Func<bool> finished, DateTime deadline)
    {
        if (live)
        {
            AnsiConsole.Live(Render(title, duration, read(), read(), final: false))
                .AutoClear(false)
                .Start(context =>
                {
                    // The rate is taken over the last second (five frames), so that it does not jump.
                    var recent = new Queue<RunSnapshot>();
                    recent.Enqueue(read());
                    while (!finished() && DateTime.UtcNow < deadline)
                    {
                        Thread.Sleep(s_liveInterval);
                        RunSnapshot now = read();
                        context.UpdateTarget(Render(title, duration, now, recent.Peek(), final: false));
                        recent.Enqueue(now);
                        if (recent.Count > 5)
                        {
                            recent.Dequeue();
                        }
                    }

                    context.UpdateTarget(Render(title, duration, read(), default, final: true));
                });
            return;
        }

        bool lines = duration >= TimeSpan.FromSeconds(2);
        bool wroteLine = false;
        RunSnapshot last = default;
        DateTime nextLine = DateTime.UtcNow + s_plainInterval;
        while (!finished() && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(50);
            if (lines && DateTime.UtcNow >= nextLine && read() is { } now && now.Elapsed < duration)
            {
                double seconds = (now.Elapsed - last.Elapsed).TotalSeconds;
                Console.WriteLine(Invariant($"  {now.Elapsed.TotalSeconds,5:0.0} s  {(now.Committed - last.Committed) / seconds,12:N0} transfers/s  {now.Conflicts,9:N0} conflicts  {now.Audits,9:N0} audits"));
                last = now;
                wroteLine = true;
                nextLine += s_plainInterval;
            }
        }

        if (wroteLine)
        {
            Console.WriteLine();
        }
    }

    /// <summary>
    /// The live panel for one moment. The rate is over the time since <paramref name="since"/>; the
    /// <paramref name="final"/> frame, drawn when every thread has stopped, shows the totals only.
    /// </summary>
    private static Panel Render(string title, TimeSpan duration, RunSnapshot now, RunSnapshot since, bool final)
    {
        double share = duration > TimeSpan.Zero ? Math.Clamp(now.Elapsed / duration, 0, 1) : 1;
        double interval = (now.Elapsed - since.Elapsed).TotalSeconds;
        double rate = interval > 0 ? (now.Committed - since.Committed) / interval : 0;
        string audits = now.FailedAudits == 0
            ? Invariant($"{now.Audits:N0}, [green]every total right[/]")
            : Invariant($"{now.Audits:N0}, [red]{now.FailedAudits:N0} saw a wrong total[/]");
        string elapsed = final
            ? Invariant($"{Bar(1, 30)}  done in {now.Elapsed.TotalSeconds:0.00} s")
            : Invariant($"{Bar(share, 30)}  {Math.Min(now.Elapsed.TotalSeconds, duration.TotalSeconds):0.0} / {duration.TotalSeconds:0.#} s");

        var grid = new Grid().AddColumn(new GridColumn().NoWrap().PadRight(2)).AddColumn();
        grid.AddRow(new Markup("elapsed"), new Markup(elapsed));
        grid.AddRow(
            new Markup(final ? "transfers" : "transfers/s"),
            new Markup(final
                ? Invariant($"committed {now.Committed:N0}, declined {now.Declined:N0}")
                : Invariant($"[bold]{rate:N0}[/]  (committed {now.Committed:N0}, declined {now.Declined:N0})")));
        grid.AddRow(new Markup("conflicts"), new Markup(Invariant($"[yellow]{now.Conflicts:N0}[/] attempts rolled back and re-run")));
        grid.AddRow(new Markup("audits"), new Markup(audits));
        return new Panel(grid).Header($" {Markup.Escape(title)} ").Border(BoxBorder.Rounded).Expand();
    }

    /// <summary>A progress bar of <paramref name="width"/> cells, <paramref name="share"/> of them filled.</summary>
    private static string Bar(double share, int width)
    {
        int filled = (int)Math.Round(share * width);
        return $"[green]{new string('━', filled)}[/][grey]{new string('━', width - filled)}[/]";
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
