using ClipLab.Reporting.Reports;
using System.Globalization;
using ClipLab.Reporting;
using ClipLab.Reporting.Statistics;
using Spectre.Console;

namespace ClipLab.Cli;

/// <summary>
/// Prints the summary table after a run: a Spectre table in a terminal, and fixed-width plain
/// lines when the output is redirected, so that log files and pipes get one readable line per
/// run whatever the terminal width. The cells are those of report.md.
/// </summary>
internal static class ConsoleSummary
{
    public static void Print(RunResults run, bool interactive)
    {
        var headers = new List<string> { "variant", "seed" };
        headers.AddRange(SummaryTable.Headers.Skip(1));
        var rows = new List<string[]>();
        foreach (VariantRuns variant in run.Variants)
        {
            for (int i = 0; i < run.Seeds.Count; i++)
            {
                IReadOnlyList<string> cells = SummaryTable.Cells(variant, variant.Results[i]);
                var row = new List<string> { cells[0], run.Seeds[i].ToString(CultureInfo.InvariantCulture) };
                row.AddRange(cells.Skip(1));
                rows.Add(row.ToArray());
            }
        }

        if (interactive)
        {
            var table = new Table().AddColumns(headers.Select(Markup.Escape).ToArray());
            foreach (string[] row in rows)
            {
                table.AddRow(row.Select(Markup.Escape).ToArray());
            }

            AnsiConsole.Write(table);
        }
        else
        {
            PrintPlain(headers, rows);
        }

        if (run.UsesSeedFolders)
        {
            PrintSeedStatistics(run);
        }
    }

    private static void PrintPlain(IReadOnlyList<string> headers, IReadOnlyList<string[]> rows)
    {
        int[] widths = headers.Select((header, column) => Math.Max(header.Length, rows.Select(row => row[column].Length).DefaultIfEmpty(0).Max())).ToArray();
        Console.Out.WriteLine(FormatLine(headers, widths));
        Console.Out.WriteLine(string.Join("  ", widths.Select(width => new string('-', width))));
        foreach (string[] row in rows)
        {
            Console.Out.WriteLine(FormatLine(row, widths));
        }
    }

    private static string FormatLine(IReadOnlyList<string> cells, int[] widths) =>
        string.Join("  ", cells.Select((cell, column) => column < 3 || column == cells.Count - 1 ? cell.PadRight(widths[column]) : cell.PadLeft(widths[column]))).TrimEnd();

    private static void PrintSeedStatistics(RunResults run)
    {
        Console.Out.WriteLine();
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Over {run.Seeds.Count} seeds (completed runs only): median, mean and standard deviation"));
        foreach (VariantRuns variant in run.Variants)
        {
            VariantStatistics statistics = VariantStatistics.From(run, variant);
            DescriptiveStatistics accuracy = statistics.Metrics[SeedMetric.TestAccuracy.Key];
            DescriptiveStatistics loss = statistics.Metrics[SeedMetric.FinalValidationLoss.Key];
            Console.Out.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"  {variant.ClipMethod}: test accuracy {Format(accuracy.Median)} / {Format(accuracy.Mean)} / {Format(accuracy.StandardDeviation)}, "
                + $"final validation loss {Format(loss.Median)} / {Format(loss.Mean)} / {Format(loss.StandardDeviation)}, "
                + $"{statistics.CompletedCount} of {statistics.SeedCount} completed, {statistics.DeadNetworks.Count} dead"));
            foreach (DeadNetwork dead in statistics.DeadNetworks)
            {
                Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    dead network: {dead.ClipMethod} seed {dead.Seed} ({dead.Reason})"));
            }
        }
    }

    private static string Format(double value) => ReportFormat.Statistic(value);
}
