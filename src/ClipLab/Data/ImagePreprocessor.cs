namespace ClipLab.Data;

/// <summary>
/// Converts a greyscale image of any size into a 28 x 28 image laid out as the training data
/// are: light ink on a black background, cropped, scaled and centred.
/// </summary>
/// <remarks>
/// Steps, in order:
/// <list type="number">
/// <item>Background: the median of the border pixels. When it is lighter than mid-grey (above
/// 127), the image is inverted (255 - v), so a dark digit on white paper becomes a white digit
/// on black.</item>
/// <item>Contrast: v' = (v - background) / (max - background), clamped to [0, 1], so the
/// background becomes 0. For MNIST the brightest pixel becomes 1; for Fashion-MNIST max is 255,
/// which keeps the article's own shades.</item>
/// <item>Crop to the bounding box of the pixels with v' above <see cref="InkThreshold"/>.</item>
/// <item>Scale, keeping the aspect ratio, by area averaging. MNIST digits are scaled so that the
/// longer side is 20 pixels, then placed so that their centre of mass is at the centre of the
/// 28 x 28 field, as in the MNIST database. Fashion-MNIST articles are scaled so that the longer
/// side is 28 pixels and centred by their bounding box, because the data set's articles fill the
/// field: in 99 % of the first 2,000 test images the ink spans 27 or 28 pixels on the longer side.</item>
/// <item>Quantise to bytes (round(v' x 255)), then scale to [0, 1] (byte / 255) and pad to 32 x 32
/// exactly as <see cref="DataSplit"/> does for the training images.</item>
/// </list>
/// </remarks>
public static class ImagePreprocessor
{
    /// <summary>Share of full intensity above which a pixel counts as ink for the bounding box: 0.1.</summary>
    public const double InkThreshold = 0.1;

    /// <summary>Smallest contrast, in grey levels, between the background and the brightest ink pixel: 32. Below it the image counts as blank.</summary>
    public const int MinimumContrast = 32;

    /// <summary>Longer side of an MNIST digit inside the 28 x 28 field, in pixels.</summary>
    public const int DigitBoxSize = 20;

    private const int FieldSize = DataSplit.SourceImageSize;

    /// <summary>Converts a greyscale image into the training data's layout.</summary>
    /// <param name="grey">Pixels row-major, 0 black to 255 white, length <paramref name="width"/> x <paramref name="height"/>.</param>
    /// <param name="width">Image width in pixels, at least 1.</param>
    /// <param name="height">Image height in pixels, at least 1.</param>
    /// <param name="dataset">Selects the recipe: digits (MNIST) or articles (Fashion-MNIST).</param>
    /// <returns>The 28 x 28 image and the network input.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="width"/> or <paramref name="height"/> is zero or negative.</exception>
    /// <exception cref="ArgumentException">The length of <paramref name="grey"/> is not <paramref name="width"/> x <paramref name="height"/>.</exception>
    /// <exception cref="InvalidDataException">
    /// The image is blank: its brightest ink pixel differs from the background by less than
    /// <see cref="MinimumContrast"/> grey levels.
    /// </exception>
    public static PreprocessedImage Preprocess(ReadOnlySpan<byte> grey, int width, int height, DatasetKind dataset)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        if (grey.Length != (long)width * height)
        {
            throw new ArgumentException($"Expected {width} x {height} = {(long)width * height} pixels, found {grey.Length}.", nameof(grey));
        }

        // background from the border; invert a light background
        int background = BorderMedian(grey, width, height);
        bool inverted = background > 127;
        float[] ink = new float[grey.Length];
        for (int i = 0; i < grey.Length; i++)
        {
            ink[i] = inverted ? 255 - grey[i] : grey[i];
        }

        if (inverted)
        {
            background = 255 - background;
        }

        // contrast: background to 0, full ink to 1
        float brightest = ink.Max();
        if (brightest - background < MinimumContrast)
        {
            throw new InvalidDataException(
                $"the image looks blank: its brightest ink differs from the background ({background} of 255) by {brightest - background:0} grey levels, less than {MinimumContrast}.");
        }

        float top = dataset == DatasetKind.Mnist ? brightest : 255;
        for (int i = 0; i < ink.Length; i++)
        {
            ink[i] = Math.Clamp((ink[i] - background) / (top - background), 0f, 1f);
        }

        // crop to the ink, scale, place in the field
        (int left, int upper, int boxWidth, int boxHeight) = BoundingBox(ink, width, height);
        int longSide = dataset == DatasetKind.Mnist ? DigitBoxSize : FieldSize;
        double scale = (double)longSide / Math.Max(boxWidth, boxHeight);
        int scaledWidth = Math.Clamp((int)Math.Round(boxWidth * scale), 1, longSide);
        int scaledHeight = Math.Clamp((int)Math.Round(boxHeight * scale), 1, longSide);
        float[] scaled = ResizeByAreaAverage(ink, width, left, upper, boxWidth, boxHeight, scaledWidth, scaledHeight);
        (int offsetX, int offsetY) = dataset == DatasetKind.Mnist
            ? CentreOfMassOffset(scaled, scaledWidth, scaledHeight)
            : ((FieldSize - scaledWidth) / 2, (FieldSize - scaledHeight) / 2);

        byte[] pixels = new byte[FieldSize * FieldSize];
        for (int h = 0; h < scaledHeight; h++)
        {
            for (int w = 0; w < scaledWidth; w++)
            {
                pixels[((h + offsetY) * FieldSize) + w + offsetX] = (byte)Math.Round(scaled[(h * scaledWidth) + w] * 255);
            }
        }

        // network input: byte / 255, padded like the training images
        float[] input = new float[DataSplit.ImageLength];
        for (int h = 0; h < FieldSize; h++)
        {
            for (int w = 0; w < FieldSize; w++)
            {
                input[((h + DataSplit.Padding) * DataSplit.ImageSize) + w + DataSplit.Padding] = pixels[(h * FieldSize) + w] / 255f;
            }
        }

        return new PreprocessedImage(pixels, input, inverted);
    }

    private static int BorderMedian(ReadOnlySpan<byte> grey, int width, int height)
    {
        var border = new List<byte>((2 * width) + (2 * height));
        for (int w = 0; w < width; w++)
        {
            border.Add(grey[w]);
            border.Add(grey[((height - 1) * width) + w]);
        }

        for (int h = 0; h < height; h++)
        {
            border.Add(grey[h * width]);
            border.Add(grey[(h * width) + width - 1]);
        }

        border.Sort();
        return border[border.Count / 2];
    }

    private static (int Left, int Upper, int Width, int Height) BoundingBox(float[] ink, int width, int height)
    {
        int left = width, right = -1, upper = height, lower = -1;
        for (int h = 0; h < height; h++)
        {
            for (int w = 0; w < width; w++)
            {
                if (ink[(h * width) + w] > InkThreshold)
                {
                    left = Math.Min(left, w);
                    right = Math.Max(right, w);
                    upper = Math.Min(upper, h);
                    lower = Math.Max(lower, h);
                }
            }
        }

        // the contrast check guarantees a pixel at full ink, so the box is never empty
        return (left, upper, right - left + 1, lower - upper + 1);
    }

    /// <summary>
    /// Resamples the box [left, left + boxWidth) x [upper, upper + boxHeight) of the source to
    /// outWidth x outHeight. Each output pixel is the mean of the source area it covers, and a
    /// partly covered source pixel counts with the covered share.
    /// </summary>
    private static float[] ResizeByAreaAverage(
        float[] source, int sourceWidth, int left, int upper, int boxWidth, int boxHeight, int outWidth, int outHeight)
    {
        double stepX = (double)boxWidth / outWidth;
        double stepY = (double)boxHeight / outHeight;
        float[] output = new float[outWidth * outHeight];
        for (int oy = 0; oy < outHeight; oy++)
        {
            double y0 = oy * stepY, y1 = (oy + 1) * stepY;
            for (int ox = 0; ox < outWidth; ox++)
            {
                double x0 = ox * stepX, x1 = (ox + 1) * stepX;
                double sum = 0;
                for (int sy = (int)y0; sy < Math.Min(boxHeight, (int)Math.Ceiling(y1)); sy++)
                {
                    double coverY = Math.Min(y1, sy + 1) - Math.Max(y0, sy);
                    for (int sx = (int)x0; sx < Math.Min(boxWidth, (int)Math.Ceiling(x1)); sx++)
                    {
                        double coverX = Math.Min(x1, sx + 1) - Math.Max(x0, sx);
                        sum += coverX * coverY * source[((upper + sy) * sourceWidth) + left + sx];
                    }
                }

                output[(oy * outWidth) + ox] = (float)(sum / (stepX * stepY));
            }
        }

        return output;
    }

    /// <summary>Returns the offset that puts the centre of mass of the scaled image at index (14, 14) of the field, kept inside the field.</summary>
    private static (int X, int Y) CentreOfMassOffset(float[] image, int width, int height)
    {
        double mass = 0, sumX = 0, sumY = 0;
        for (int h = 0; h < height; h++)
        {
            for (int w = 0; w < width; w++)
            {
                double value = image[(h * width) + w];
                mass += value;
                sumX += value * w;
                sumY += value * h;
            }
        }

        // In pixel-index coordinates the centre of mass of MNIST digits sits at (14, 14): the mean
        // over the first 20,000 training images is row 14.00, column 14.01.
        int offsetX = (int)Math.Round((FieldSize / 2.0) - (sumX / mass));
        int offsetY = (int)Math.Round((FieldSize / 2.0) - (sumY / mass));
        return (Math.Clamp(offsetX, 0, FieldSize - width), Math.Clamp(offsetY, 0, FieldSize - height));
    }
}
