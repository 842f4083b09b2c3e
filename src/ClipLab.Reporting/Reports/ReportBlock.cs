namespace ClipLab.Reporting.Reports;

/// <summary>One block of a report, rendered by <see cref="MarkdownRenderer"/> and <see cref="HtmlRenderer"/>.</summary>
internal abstract record ReportBlock;

/// <summary>A section heading; level 1 is the title.</summary>
internal sealed record HeadingBlock(int Level, string Text) : ReportBlock;

/// <summary>A paragraph.</summary>
internal sealed record ParagraphBlock(ReportText Text) : ReportBlock;

/// <summary>A highlighted remark: an incomplete run, a variant that stopped early. <paramref name="Label"/> is shown in bold before the text.</summary>
internal sealed record NoteBlock(string Label, ReportText Text) : ReportBlock;

/// <summary>A bulleted list.</summary>
internal sealed record ListBlock(IReadOnlyList<ReportText> Items) : ReportBlock;

/// <summary>A table; numeric columns are right-aligned.</summary>
internal sealed record TableBlock(IReadOnlyList<string> Headers, IReadOnlyList<bool> RightAligned, IReadOnlyList<IReadOnlyList<ReportText>> Rows) : ReportBlock;

/// <summary>A chart written as PNG and SVG at <paramref name="RelativePathWithoutExtension"/>, relative to the run folder with '/' separators.</summary>
internal sealed record ChartBlock(string Caption, string RelativePathWithoutExtension) : ReportBlock;

/// <summary>Charts that the HTML report folds away by default, such as one chart per seed.</summary>
internal sealed record ChartGroupBlock(string Summary, IReadOnlyList<ChartBlock> Charts) : ReportBlock;

/// <summary>Preformatted lines, such as the validation log.</summary>
internal sealed record CodeBlock(IReadOnlyList<string> Lines) : ReportBlock;
