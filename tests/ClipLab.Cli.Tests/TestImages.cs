using ClipLab.Data;
using SkiaSharp;

namespace ClipLab.Cli.Tests;

/// <summary>Writes real PNG and JPEG files of test-set images, drawn the way a user's scan or photo looks.</summary>
internal static class TestImages
{
    /// <summary>
    /// Writes test image <paramref name="index"/> of <paramref name="split"/> as a dark figure on a
    /// white canvas of <paramref name="width"/> x <paramref name="height"/> pixels, scaled up
    /// smoothly to <paramref name="figureSize"/> pixels and placed at (<paramref name="left"/>, <paramref name="top"/>).
    /// </summary>
    public static string Write(
        string path, DataSplit split, int index, SKEncodedImageFormat format, int width, int height, int figureSize, int left, int top)
    {
        // the 28 x 28 image without its padding, inverted to dark on light
        var source = new SKBitmap(new SKImageInfo(DataSplit.SourceImageSize, DataSplit.SourceImageSize, SKColorType.Rgba8888, SKAlphaType.Opaque));
        ReadOnlySpan<float> image = split.Image(index);
        for (int h = 0; h < DataSplit.SourceImageSize; h++)
        {
            for (int w = 0; w < DataSplit.SourceImageSize; w++)
            {
                float value = image[((h + DataSplit.Padding) * DataSplit.ImageSize) + w + DataSplit.Padding];
                byte grey = (byte)Math.Round(255 - (value * 255));
                source.SetPixel(w, h, new SKColor(grey, grey, grey));
            }
        }

        using var surface = SKSurface.Create(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        surface.Canvas.Clear(SKColors.White);
        using SKImage figure = SKImage.FromBitmap(source);
        surface.Canvas.DrawImage(figure, new SKRect(left, top, left + figureSize, top + figureSize), new SKSamplingOptions(SKFilterMode.Linear), null);
        using SKImage snapshot = surface.Snapshot();
        using SKData encoded = snapshot.Encode(format, 90);
        File.WriteAllBytes(path, encoded.ToArray());
        source.Dispose();
        return path;
    }
}
