using System.Globalization;
using System.Net;
using System.Text;
using System.Xml;

namespace ClipLab.Reporting.Reports;

/// <summary>
/// Renders report blocks as one self-contained HTML page: inline CSS, every chart inlined as SVG
/// from the run folder, no scripts, fonts or links to other files, so the page reads the same
/// offline and after it is moved or mailed.
/// </summary>
internal static class HtmlRenderer
{
    private const string Style = """
        body { font-family: system-ui, "DejaVu Sans", "Liberation Sans", Arial, sans-serif; margin: 0; background: #fafafa; color: #1a1a1a; }
        main { max-width: 1100px; margin: 0 auto; padding: 1.5rem 2rem 3rem; background: #fff; }
        h1 { font-size: 1.6rem; } h2 { font-size: 1.3rem; margin-top: 2rem; border-bottom: 1px solid #ddd; } h3 { font-size: 1.05rem; }
        table { border-collapse: collapse; margin: 0.8rem 0; font-size: 0.85rem; }
        th, td { border: 1px solid #d0d0d0; padding: 0.25rem 0.5rem; text-align: left; vertical-align: top; }
        th { background: #f0f0f0; } td.number { text-align: right; font-variant-numeric: tabular-nums; }
        .note { border-left: 4px solid #d9822b; background: #fff6ec; padding: 0.5rem 0.8rem; margin: 0.8rem 0; }
        figure { margin: 1rem 0; } figcaption { font-size: 0.9rem; color: #444; }
        .chart svg { max-width: 100%; height: auto; display: block; }
        pre { background: #f4f4f4; padding: 0.5rem; font-size: 0.8rem; overflow-x: auto; }
        code { font-family: "DejaVu Sans Mono", monospace; font-size: 0.9em; }
        details { margin: 0.5rem 0; } summary { cursor: pointer; font-weight: 600; }
        .missing { color: #a00; }
        """;

    /// <summary>Renders the page; chart files are read from <paramref name="runFolderPath"/>.</summary>
    public static string Render(IReadOnlyList<ReportBlock> blocks, string runFolderPath)
    {
        string title = blocks.OfType<HeadingBlock>().FirstOrDefault(h => h.Level == 1)?.Text ?? "ClipLab report";
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        html.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        html.Append("<title>").Append(Encode(title)).Append("</title>\n<style>\n").Append(Style).Append("\n</style>\n</head>\n<body>\n<main>\n");

        int chartIndex = 0;
        foreach (ReportBlock block in blocks)
        {
            switch (block)
            {
                case HeadingBlock heading:
                    html.Append(CultureInfo.InvariantCulture, $"<h{heading.Level}>").Append(Encode(heading.Text)).Append(CultureInfo.InvariantCulture, $"</h{heading.Level}>\n");
                    break;

                case ParagraphBlock paragraph:
                    html.Append("<p>").Append(Inline(paragraph.Text)).Append("</p>\n");
                    break;

                case NoteBlock note:
                    html.Append("<p class=\"note\"><strong>").Append(Encode(note.Label)).Append(":</strong> ").Append(Inline(note.Text)).Append("</p>\n");
                    break;

                case ListBlock list:
                    html.Append("<ul>\n");
                    foreach (ReportText item in list.Items)
                    {
                        html.Append("<li>").Append(Inline(item)).Append("</li>\n");
                    }

                    html.Append("</ul>\n");
                    break;

                case TableBlock table:
                    AppendTable(html, table);
                    break;

                case ChartBlock chart:
                    AppendChart(html, chart, runFolderPath, ++chartIndex);
                    break;

                case ChartGroupBlock group:
                    html.Append("<details>\n<summary>").Append(Encode(group.Summary)).Append("</summary>\n");
                    foreach (ChartBlock chart in group.Charts)
                    {
                        AppendChart(html, chart, runFolderPath, ++chartIndex);
                    }

                    html.Append("</details>\n");
                    break;

                case CodeBlock code:
                    html.Append("<pre>").Append(Encode(string.Join("\n", code.Lines))).Append("</pre>\n");
                    break;

                default:
                    throw new InvalidOperationException($"No HTML rendering for {block.GetType().Name}.");
            }
        }

        html.Append("</main>\n</body>\n</html>\n");
        return html.ToString();
    }

    private static void AppendTable(StringBuilder html, TableBlock table)
    {
        html.Append("<table>\n<thead><tr>");
        foreach (string header in table.Headers)
        {
            html.Append("<th>").Append(Encode(header)).Append("</th>");
        }

        html.Append("</tr></thead>\n<tbody>\n");
        foreach (IReadOnlyList<ReportText> row in table.Rows)
        {
            html.Append("<tr>");
            for (int i = 0; i < row.Count; i++)
            {
                bool right = i < table.RightAligned.Count && table.RightAligned[i];
                html.Append(right ? "<td class=\"number\">" : "<td>").Append(Inline(row[i])).Append("</td>");
            }

            html.Append("</tr>\n");
        }

        html.Append("</tbody>\n</table>\n");
    }

    private static void AppendChart(StringBuilder html, ChartBlock chart, string runFolderPath, int chartIndex)
    {
        string relativeSvg = chart.RelativePathWithoutExtension + RunFileNames.SvgExtension;
        string svgPath = Path.Combine(runFolderPath, relativeSvg.Replace('/', Path.DirectorySeparatorChar));
        html.Append("<figure>\n<div class=\"chart\">");
        try
        {
            html.Append(SvgInliner.Inline(svgPath, string.Create(CultureInfo.InvariantCulture, $"chart{chartIndex}-"), chart.Caption));
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or XmlException or InvalidDataException)
        {
            // one unreadable chart must not cost the whole report
            html.Append("<p class=\"missing\">Chart ").Append(Encode(relativeSvg)).Append(" could not be read: ").Append(Encode(error.Message)).Append("</p>");
        }

        html.Append("</div>\n<figcaption>").Append(Encode(chart.Caption)).Append("</figcaption>\n</figure>\n");
    }

    private static string Inline(ReportText text)
    {
        var inline = new StringBuilder();
        foreach ((ReportSpanKind kind, string value) in text.Spans)
        {
            string encoded = Encode(value);
            inline.Append(kind switch
            {
                ReportSpanKind.Code => $"<code>{encoded}</code>",
                ReportSpanKind.Strong => $"<strong>{encoded}</strong>",
                _ => encoded,
            });
        }

        return inline.ToString();
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
