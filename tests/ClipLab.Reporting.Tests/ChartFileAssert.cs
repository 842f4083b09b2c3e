using System.Xml.Linq;
using SkiaSharp;

namespace ClipLab.Reporting.Tests;

/// <summary>Checks that chart files are real images, not just files with the right name.</summary>
internal static class ChartFileAssert
{
    private static readonly byte[] PngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>
    /// Asserts a PNG signature, a size above 10 KB (an empty 900 x 540 chart frame with axes is
    /// already larger than a blank image), the expected dimensions and more than one colour,
    /// then returns the decoded bitmap.
    /// </summary>
    public static SKBitmap ValidPng(string path, int width, int height)
    {
        byte[] bytes = File.ReadAllBytes(path);
        Assert.True(bytes.Length > 10_000, $"{path}: {bytes.Length} bytes is too small for a rendered chart");
        Assert.Equal(PngSignature, bytes[..PngSignature.Length]);

        SKBitmap? bitmap = SKBitmap.Decode(bytes);
        Assert.NotNull(bitmap);
        Assert.Equal(width, bitmap.Width);
        Assert.Equal(height, bitmap.Height);
        int colours = bitmap.Pixels.Distinct().Count();
        Assert.True(colours > 10, $"{path}: only {colours} distinct colours");
        return bitmap;
    }

    /// <summary>Asserts that the file is well-formed XML whose root is an SVG element.</summary>
    public static void ValidSvg(string path)
    {
        XDocument document = XDocument.Load(path);

        Assert.NotNull(document.Root);
        Assert.Equal("svg", document.Root.Name.LocalName);
        Assert.Equal("http://www.w3.org/2000/svg", document.Root.Name.NamespaceName);
        Assert.NotEmpty(document.Root.Descendants());
    }

    /// <summary>Counts pixels close to <paramref name="target"/> (each channel within <paramref name="tolerance"/>).</summary>
    public static int CountPixelsNear(SKBitmap bitmap, SKColor target, int tolerance)
    {
        return bitmap.Pixels.Count(pixel =>
            Math.Abs(pixel.Red - target.Red) <= tolerance
            && Math.Abs(pixel.Green - target.Green) <= tolerance
            && Math.Abs(pixel.Blue - target.Blue) <= tolerance);
    }
}
