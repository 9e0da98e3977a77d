using System.Globalization;
using Spectre.Console;

namespace BankTransfer;

/// <summary>
/// Prints the results. On a terminal: one screen with the totals, a bar chart of each thread's
/// transfers per second beside one of its conflicts, and the audit verdict in a coloured panel.
/// Redirected (CI, a log) or with <c>--plain</c>: the same facts as plain lines. Either way the last
/// two lines are <c>Audited total == expected: OK|FAILED</c> and the <c>Self-check</c> line.
/// </summary>
internal static class SummaryView
{
    /// <summary>Prints <paramref name="summary"/>; <paramref name="rich"/> selects the terminal layout.</summary>
    public static void Print(RunSummary summary, bool rich)
    {
        if (rich)
        {
            PrintRich(summary);
        }
        else
        {
            PrintPlain(summary);
        }

        // Plain lines in both layouts: CI reads the last one.
        Console.WriteLine(summary.Ok ? "Audited total == expected: OK" : "Audited total == expected: FAILED");
        Console.WriteLine(summary.Ok
            ? "Self-check: OK"
            : Invariant($"Self-check: FAILED: {summary.Totals.FailedAudits:N0} bad audits, final total {summary.Final.Total:N0} (expected {summary.ExpectedTotal:N0}), {summary.Final.OverdrawnAccounts} overdrawn accounts"));
    }

    private static void PrintPlain(RunSummary summary)
    {
        RunSnapshot totals = summary.Totals;
        StmMetrics metrics = summary.Metrics;
        Console.WriteLine("Results");
        Console.WriteLine(Invariant($"  transfers committed  {totals.Committed:N0} ({totals.Declined:N0} more declined for insufficient funds)"));
        Console.WriteLine(Invariant($"  throughput           {summary.Throughput:N0} transfers/s over {totals.Elapsed.TotalSeconds:0.00} s"));
        foreach (ThreadTally thread in summary.Threads)
        {
            Console.WriteLine(Invariant($"    {thread.Name,-14} {thread.Committed / totals.Elapsed.TotalSeconds,12:N0} transfers/s  {thread.Conflicts,9:N0} conflicts"));
        }

        if (metrics.IsAvailable)
        {
            Console.WriteLine(Invariant($"  STM commits          {metrics.Commits:N0} (all transactions: transfers, declined transfers, audits)"));
            Console.WriteLine(Invariant($"  STM conflicts        {metrics.Conflicts:N0}{ConflictShare(metrics)}, each one rolled back and re-run"));
            Console.WriteLine(Invariant($"  attempts per commit  {metrics.MeanAttempts:0.0000} on average"));
            if (Hottest(metrics) is { Length: > 0 } hottest)
            {
                Console.WriteLine($"  most conflicted      {hottest}");
            }
        }
        else
        {
            Console.WriteLine("  STM metrics          not reported (no instrument was published on the 'Stm' meter)");
        }

        Console.WriteLine(Invariant($"  audits               {totals.Audits:N0} while transfers ran, {totals.FailedAudits:N0} saw a wrong total or an overdrawn account"));
        Console.WriteLine(Invariant($"  final total          {summary.Final.Total:N0}, expected {summary.ExpectedTotal:N0}, overdrawn accounts {summary.Final.OverdrawnAccounts}"));
        Console.WriteLine();
        if (summary.FirstBadAudit is { } first)
        {
            Console.WriteLine(Invariant($"First bad audit: total {first.Total:N0}, overdrawn accounts {first.OverdrawnAccounts}."));
        }
    }

    private static void PrintRich(RunSummary summary)
    {
        RunSnapshot totals = summary.Totals;
        StmMetrics metrics = summary.Metrics;
        double seconds = totals.Elapsed.TotalSeconds;

        var facts = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();
        facts.AddRow("transfers", Invariant($"[bold]{totals.Committed:N0}[/] committed, {totals.Declined:N0} declined for insufficient funds"));
        facts.AddRow("throughput", Invariant($"[bold]{summary.Throughput:N0}[/] transfers/s over {seconds:0.00} s"));
        if (metrics.IsAvailable)
        {
            facts.AddRow("conflicts", Invariant($"[yellow]{metrics.Conflicts:N0}[/]{ConflictShare(metrics)}, each rolled back and re-run; {metrics.MeanAttempts:0.0000} attempts per commit"));
            if (Hottest(metrics) is { Length: > 0 } hottest)
            {
                facts.AddRow("most conflicted", Markup.Escape(hottest));
            }
        }

        facts.AddRow("audits", Invariant($"{totals.Audits:N0} while transfers ran, {totals.FailedAudits:N0} wrong"));

        // Two charts side by side, each half the terminal (at most 60 columns).
        int chartWidth = Math.Clamp((AnsiConsole.Profile.Width - 4) / 2, 30, 60);
        var throughput = new BarChart()
            .Label("[bold]transfers/s by thread[/]")
            .Width(chartWidth);
        var conflicts = new BarChart()
            .Label("[bold]conflicts by thread[/]")
            .Width(chartWidth);
        foreach (ThreadTally thread in summary.Threads)
        {
            throughput.AddItem(thread.Name, Math.Round(thread.Committed / seconds), Color.Green);
            conflicts.AddItem(thread.Name, thread.Conflicts, Color.Yellow);
        }

        throughput.ValueFormatter = static (value, _) => value.ToString("N0", CultureInfo.InvariantCulture);
        conflicts.ValueFormatter = static (value, _) => value.ToString("N0", CultureInfo.InvariantCulture);

        AuditResult final = summary.Final;
        Panel verdict = summary.Ok
            ? new Panel(new Markup(Invariant($"[green]Every audit balanced.[/] {totals.Audits:N0} audits during the run and one after it all saw {summary.ExpectedTotal:N0} in {summary.AccountCount} accounts, none overdrawn: money was only moved.")))
                .Header("[green]audit: OK[/]").BorderColor(Color.Green)
            : new Panel(new Markup(Invariant($"[red]{totals.FailedAudits:N0} audits saw a wrong total or an overdrawn account[/]{FirstBad(summary)}; the final audit saw {final.Total:N0} (expected {summary.ExpectedTotal:N0}) and {final.OverdrawnAccounts} overdrawn accounts.")))
                .Header("[red]audit: FAILED[/]").BorderColor(Color.Red);

        AnsiConsole.Write(new Rule("[bold]Results[/]").LeftJustified());
        AnsiConsole.Write(facts);
        AnsiConsole.WriteLine();
        AnsiConsole.Write(new Grid()
            .AddColumn(new GridColumn().PadRight(4))
            .AddColumn()
            .AddRow(throughput, conflicts));
        AnsiConsole.WriteLine();
        AnsiConsole.Write(verdict.Expand());
    }

    private static string FirstBad(RunSummary summary) =>
        summary.FirstBadAudit is { } first ? Invariant($" (the first: total {first.Total:N0}, {first.OverdrawnAccounts} overdrawn)") : string.Empty;

    private static string ConflictShare(StmMetrics metrics)
    {
        long attempts = metrics.Attempts;
        return attempts > 0 ? Invariant($" ({100.0 * metrics.Conflicts / attempts:0.###}% of {attempts:N0} attempts)") : string.Empty;
    }

    private static string Hottest(StmMetrics metrics) =>
        string.Join(", ", metrics.HottestTVars(3).Select(static p => Invariant($"{p.Key} ({p.Value:N0})")));

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
