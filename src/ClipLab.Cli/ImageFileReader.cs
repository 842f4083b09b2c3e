using SkiaSharp;

namespace ClipLab.Cli;

/// <summary>Decodes PNG and JPEG files into grey levels with SkiaSharp.</summary>
/// <remarks>
/// Colour becomes grey as ITU-R BT.601 luma, Y = 0.299 R + 0.587 G + 0.114 B, and transparent
/// pixels are composited over white, as a viewer shows them on a white page.
/// NOTE: the EXIF orientation of a JPEG is ignored, so a photo stored sideways is read sideways.
/// </remarks>
internal static class ImageFileReader
{
    /// <summary>Largest accepted image: 50 megapixels, about 200 MB once decoded.</summary>
    public const long MaxPixels = 50_000_000;

    /// <summary>Returns the image in <paramref name="path"/> as grey levels.</summary>
    /// <exception cref="InvalidDataException">The file is missing, empty, not PNG or JPEG, damaged, truncated or too large; the message names the problem.</exception>
    public static GreyImage Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new InvalidDataException(Directory.Exists(path) ? "is a folder, not an image file." : "file not found.");
        }

        if (new FileInfo(path).Length == 0)
        {
            throw new InvalidDataException("the file is empty; expected a PNG or JPEG image.");
        }

        using SKCodec? codec = SKCodec.Create(path, out SKCodecResult openResult);
        if (codec is null)
        {
            throw new InvalidDataException($"not a PNG or JPEG image: SkiaSharp cannot decode it ({openResult}).");
        }

        if (codec.EncodedFormat is not (SKEncodedImageFormat.Png or SKEncodedImageFormat.Jpeg))
        {
            throw new InvalidDataException($"the file is a {codec.EncodedFormat} image; convert it to PNG or JPEG.");
        }

        int width = codec.Info.Width;
        int height = codec.Info.Height;
        if ((long)width * height > MaxPixels)
        {
            throw new InvalidDataException($"the image has {width} x {height} pixels, more than {MaxPixels} pixels; scale it down first.");
        }

        // decode to unpremultiplied RGBA, then blend over white and take the luma
        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        using var bitmap = new SKBitmap(info);
        SKCodecResult decodeResult = codec.GetPixels(info, bitmap.GetPixels());
        if (decodeResult != SKCodecResult.Success)
        {
            throw new InvalidDataException($"the {codec.EncodedFormat} data is damaged or truncated ({decodeResult}).");
        }

        ReadOnlySpan<byte> rgba = bitmap.GetPixelSpan();
        byte[] grey = new byte[width * height];
        for (int i = 0; i < grey.Length; i++)
        {
            int alpha = rgba[(4 * i) + 3];
            double luma = (0.299 * rgba[4 * i]) + (0.587 * rgba[(4 * i) + 1]) + (0.114 * rgba[(4 * i) + 2]);
            double overWhite = ((luma * alpha) + (255.0 * (255 - alpha))) / 255.0;
            grey[i] = (byte)Math.Clamp(Math.Round(overWhite), 0, 255);
        }

        return new GreyImage(grey, width, height);
    }
}
