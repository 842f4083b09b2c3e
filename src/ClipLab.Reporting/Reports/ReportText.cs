namespace ClipLab.Reporting.Reports;

/// <summary>A line of report text made of plain, code and strong spans, which the Markdown and HTML writers escape each in their own way.</summary>
internal sealed class ReportText
{
    private readonly List<(ReportSpanKind Kind, string Text)> _spans = [];

    /// <summary>The spans in order.</summary>
    public IReadOnlyList<(ReportSpanKind Kind, string Text)> Spans => _spans;

    public static ReportText Of(string plain) => new ReportText().Plain(plain);

    public ReportText Plain(string text) => Add(ReportSpanKind.Plain, text);

    public ReportText Code(string text) => Add(ReportSpanKind.Code, text);

    public ReportText Strong(string text) => Add(ReportSpanKind.Strong, text);

    private ReportText Add(ReportSpanKind kind, string text)
    {
        // line breaks would end a table row or a list item, so free text is folded onto one line
        _spans.Add((kind, text.Replace("\r", "", StringComparison.Ordinal).Replace('\n', ' ')));
        return this;
    }
}
