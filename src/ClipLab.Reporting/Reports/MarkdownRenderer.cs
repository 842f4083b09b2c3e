using System.Text;

namespace ClipLab.Reporting.Reports;

/// <summary>Renders report blocks as CommonMark with GitHub tables. Image links are relative to the run folder.</summary>
internal static class MarkdownRenderer
{
    public static string Render(IReadOnlyList<ReportBlock> blocks)
    {
        var markdown = new StringBuilder();
        foreach (ReportBlock block in blocks)
        {
            switch (block)
            {
                case HeadingBlock heading:
                    markdown.Append('#', heading.Level).Append(' ').Append(Escape(heading.Text)).Append("\n\n");
                    break;

                case ParagraphBlock paragraph:
                    markdown.Append(Inline(paragraph.Text)).Append("\n\n");
                    break;

                case NoteBlock note:
                    markdown.Append("> **").Append(Escape(note.Label)).Append(":** ").Append(Inline(note.Text)).Append("\n\n");
                    break;

                case ListBlock list:
                    foreach (ReportText item in list.Items)
                    {
                        markdown.Append("- ").Append(Inline(item)).Append('\n');
                    }

                    markdown.Append('\n');
                    break;

                case TableBlock table:
                    AppendTable(markdown, table);
                    break;

                case ChartBlock chart:
                    AppendChart(markdown, chart, "###");
                    break;

                case ChartGroupBlock group:
                    markdown.Append("### ").Append(Escape(group.Summary)).Append("\n\n");
                    foreach (ChartBlock chart in group.Charts)
                    {
                        AppendChart(markdown, chart, "####");
                    }

                    break;

                case CodeBlock code:
                    markdown.Append("```text\n");
                    foreach (string line in code.Lines)
                    {
                        markdown.Append(line).Append('\n');
                    }

                    markdown.Append("```\n\n");
                    break;

                default:
                    throw new InvalidOperationException($"No Markdown rendering for {block.GetType().Name}.");
            }
        }

        return markdown.ToString().TrimEnd('\n') + "\n";
    }

    private static void AppendTable(StringBuilder markdown, TableBlock table)
    {
        markdown.Append("| ").Append(string.Join(" | ", table.Headers.Select(Escape))).Append(" |\n|");
        foreach (bool right in table.RightAligned)
        {
            markdown.Append(right ? "--:|" : "---|");
        }

        markdown.Append('\n');
        foreach (IReadOnlyList<ReportText> row in table.Rows)
        {
            markdown.Append("| ").Append(string.Join(" | ", row.Select(Inline))).Append(" |\n");
        }

        markdown.Append('\n');
    }

    private static void AppendChart(StringBuilder markdown, ChartBlock chart, string headingMarks)
    {
        // forward slashes: Markdown links are URLs, also on Windows
        string png = chart.RelativePathWithoutExtension + RunFileNames.PngExtension;
        string svg = chart.RelativePathWithoutExtension + RunFileNames.SvgExtension;
        string caption = Escape(chart.Caption);
        markdown.Append(headingMarks).Append(' ').Append(caption).Append("\n\n");
        markdown.Append("![").Append(caption).Append("](").Append(png).Append(")\n\n");
        markdown.Append("[SVG version](").Append(svg).Append(")\n\n");
    }

    private static string Inline(ReportText text)
    {
        var inline = new StringBuilder();
        foreach ((ReportSpanKind kind, string value) in text.Spans)
        {
            switch (kind)
            {
                case ReportSpanKind.Code:
                    // a code span shows its text verbatim; a fence longer than any backtick run inside keeps it closed
                    string fence = value.Contains('`', StringComparison.Ordinal) ? "``" : "`";
                    string padding = value.StartsWith('`') || value.EndsWith('`') ? " " : "";
                    inline.Append(fence).Append(padding).Append(value).Append(padding).Append(fence);
                    break;
                case ReportSpanKind.Strong:
                    inline.Append("**").Append(Escape(value)).Append("**");
                    break;
                default:
                    inline.Append(Escape(value));
                    break;
            }
        }

        return inline.ToString();
    }

    /// <summary>Escapes the characters that Markdown would read as markup, so free text stays text on its line or in its table cell.</summary>
    private static string Escape(string text)
    {
        var escaped = new StringBuilder(text.Length);
        foreach (char c in text)
        {
            // '_' inside words is not emphasis in CommonMark, and names such as learning_rate
            // read better unescaped.
            if (c is '\\' or '`' or '*' or '[' or ']' or '<' or '>' or '|' or '#')
            {
                escaped.Append('\\');
            }

            escaped.Append(c);
        }

        return escaped.ToString();
    }
}
