using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;

namespace ClipLab.Reporting.Reports;

/// <summary>
/// Turns a chart's SVG file into markup that can sit inside an HTML page next to other charts:
/// no XML declaration, element ids prefixed so that the clip paths of two charts cannot collide,
/// and a viewBox so that CSS can scale the chart to the page width.
/// </summary>
internal static partial class SvgInliner
{
    private static readonly XNamespace XLink = "http://www.w3.org/1999/xlink";

    /// <summary>Returns the root svg element of <paramref name="svgPath"/> as markup with every id prefixed by <paramref name="idPrefix"/>.</summary>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="XmlException">The file is not well-formed XML.</exception>
    /// <exception cref="InvalidDataException">The root element is not svg.</exception>
    public static string Inline(string svgPath, string idPrefix, string label)
    {
        XDocument document = XDocument.Load(svgPath);
        XElement root = document.Root is { Name.LocalName: "svg" } svg
            ? svg
            : throw new InvalidDataException($"{svgPath}: expected an <svg> root element, found <{document.Root?.Name.LocalName}>.");

        // prefix every id and every reference to it: url(#id) in attributes, href="#id"
        var renamed = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (XAttribute id in root.DescendantsAndSelf().Attributes("id"))
        {
            renamed[id.Value] = idPrefix + id.Value;
            id.Value = idPrefix + id.Value;
        }

        if (renamed.Count > 0)
        {
            foreach (XAttribute attribute in root.DescendantsAndSelf().Attributes().ToList())
            {
                if (attribute.Name == "href" || attribute.Name == XLink + "href")
                {
                    if (attribute.Value.StartsWith('#') && renamed.TryGetValue(attribute.Value[1..], out string? target))
                    {
                        attribute.Value = "#" + target;
                    }
                }
                else if (attribute.Value.Contains("url(#", StringComparison.Ordinal))
                {
                    attribute.Value = UrlReference().Replace(
                        attribute.Value, match => renamed.TryGetValue(match.Groups[1].Value, out string? target) ? $"url(#{target})" : match.Value);
                }
            }
        }

        // a viewBox lets the chart shrink with the page while keeping its aspect ratio
        if (root.Attribute("viewBox") is null
            && double.TryParse(root.Attribute("width")?.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out double width)
            && double.TryParse(root.Attribute("height")?.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out double height))
        {
            root.SetAttributeValue("viewBox", string.Create(CultureInfo.InvariantCulture, $"0 0 {width} {height}"));
        }

        root.SetAttributeValue("role", "img");
        root.SetAttributeValue("aria-label", label);
        return root.ToString(SaveOptions.DisableFormatting);
    }

    [GeneratedRegex(@"url\(#([^)]+)\)")]
    private static partial Regex UrlReference();
}
