using ClipLab.Data;

namespace ClipLab.Tests.Data;

public sealed class ImagePreprocessorTests
{
    [Fact]
    public void Preprocess_ScaledMnistDigits_MatchOriginals()
    {
        // MNIST test digits, inverted to black on white and scaled up 4x by pixel repetition,
        // must come back close to the originals: correlation of the pixels at least 0.9
        for (int index = 0; index < 20; index++)
        {
            float[] original = RealMnist.Dataset.Test.Image(index).ToArray();
            byte[] source = ToSource(original.Select(v => (byte)Math.Round(v * 255)).ToArray(), inverted: true, factor: 4);

            PreprocessedImage image = ImagePreprocessor.Preprocess(source, 32 * 4, 32 * 4, DatasetKind.Mnist);

            Assert.True(image.Inverted);
            double correlation = Correlation(original, image.Input);
            Assert.True(correlation >= 0.9, $"test image {index}: correlation {correlation:F3} with the original, expected at least 0.9\n" + Ascii(original) + "\n" + Ascii(image.Input));
        }
    }

    [Fact]
    public void Preprocess_WhiteOnBlack_IsNotInverted()
    {
        byte[] source = Rectangle(width: 50, height: 40, background: 0, ink: 255, left: 10, top: 5, inkWidth: 10, inkHeight: 30);

        PreprocessedImage image = ImagePreprocessor.Preprocess(source, 50, 40, DatasetKind.Mnist);

        Assert.False(image.Inverted);
    }

    [Fact]
    public void Preprocess_TallBar_LongerSideIs20AndCentred()
    {
        // a 10 x 30 bar: scaled to 7 x 20 (rounded), its centre of mass (3, 9.5) moved to (14, 14)
        byte[] source = Rectangle(width: 60, height: 60, background: 255, ink: 0, left: 40, top: 2, inkWidth: 10, inkHeight: 30);

        PreprocessedImage image = ImagePreprocessor.Preprocess(source, 60, 60, DatasetKind.Mnist);

        (int left, int top, int right, int bottom) = InkBox(image.Pixels);
        Assert.Equal(20, bottom - top + 1);
        Assert.Equal(7, right - left + 1);
        Assert.Equal(4, top);
        Assert.Equal(11, left);
        Assert.Equal(255, image.Pixels[(14 * 28) + 12]);
    }

    [Fact]
    public void Preprocess_FashionArticle_FillsField()
    {
        // a grey article (value 128 on white, so 127 after inversion), twice as wide as high
        byte[] source = Rectangle(width: 100, height: 100, background: 255, ink: 128, left: 10, top: 30, inkWidth: 80, inkHeight: 40);

        PreprocessedImage image = ImagePreprocessor.Preprocess(source, 100, 100, DatasetKind.FashionMnist);

        (int left, int top, int right, int bottom) = InkBox(image.Pixels);
        Assert.Equal((0, 27), (left, right));
        Assert.Equal((7, 20), (top, bottom));
        Assert.Equal(127, image.Pixels[(14 * 28) + 14]);
    }

    [Fact]
    public void Preprocess_Input_IsPixelsOver255PaddedTo32()
    {
        byte[] source = Rectangle(width: 30, height: 30, background: 0, ink: 200, left: 5, top: 5, inkWidth: 20, inkHeight: 20);

        PreprocessedImage image = ImagePreprocessor.Preprocess(source, 30, 30, DatasetKind.Mnist);

        Assert.Equal(32 * 32, image.Input.Length);
        for (int h = 0; h < 32; h++)
        {
            for (int w = 0; w < 32; w++)
            {
                bool inside = h is >= 2 and < 30 && w is >= 2 and < 30;
                float expected = inside ? image.Pixels[((h - 2) * 28) + w - 2] / 255f : 0f;
                Assert.Equal(expected, image.Input[(h * 32) + w]);
            }
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(255)]
    [InlineData(120)]
    public void Preprocess_BlankImage_ThrowsInvalidData(byte level)
    {
        byte[] source = Enumerable.Repeat(level, 20 * 20).ToArray();
        source[210] = (byte)(level > 127 ? level - 20 : level + 20);

        var error = Assert.Throws<InvalidDataException>(() => ImagePreprocessor.Preprocess(source, 20, 20, DatasetKind.Mnist));

        Assert.Contains("blank", error.Message);
    }

    [Fact]
    public void Preprocess_WrongPixelCount_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => ImagePreprocessor.Preprocess(new byte[10], 4, 4, DatasetKind.Mnist));

        Assert.Contains("16 pixels, found 10", error.Message);
    }

    private static byte[] Rectangle(int width, int height, byte background, byte ink, int left, int top, int inkWidth, int inkHeight)
    {
        byte[] image = Enumerable.Repeat(background, width * height).ToArray();
        for (int h = top; h < top + inkHeight; h++)
        {
            for (int w = left; w < left + inkWidth; w++)
            {
                image[(h * width) + w] = ink;
            }
        }

        return image;
    }

    /// <summary>Scales a 32 x 32 padded image up by repeating each pixel factor x factor times.</summary>
    private static byte[] ToSource(byte[] padded, bool inverted, int factor)
    {
        int size = 32 * factor;
        byte[] source = new byte[size * size];
        for (int h = 0; h < size; h++)
        {
            for (int w = 0; w < size; w++)
            {
                byte value = padded[((h / factor) * 32) + (w / factor)];
                source[(h * size) + w] = inverted ? (byte)(255 - value) : value;
            }
        }

        return source;
    }

    /// <summary>Draws a 32 x 32 input as text: '#' above 0.5, '.' above 0.05, else a space.</summary>
    private static string Ascii(float[] input)
    {
        var text = new System.Text.StringBuilder();
        for (int h = 0; h < 32; h++)
        {
            for (int w = 0; w < 32; w++)
            {
                float value = input[(h * 32) + w];
                text.Append(value > 0.5 ? '#' : value > 0.05 ? '.' : ' ');
            }

            text.Append('\n');
        }

        return text.ToString();
    }

    private static double Correlation(float[] a, float[] b)
    {
        double meanA = a.Average(), meanB = b.Average();
        double covariance = 0, varianceA = 0, varianceB = 0;
        for (int i = 0; i < a.Length; i++)
        {
            covariance += (a[i] - meanA) * (b[i] - meanB);
            varianceA += (a[i] - meanA) * (a[i] - meanA);
            varianceB += (b[i] - meanB) * (b[i] - meanB);
        }

        return covariance / Math.Sqrt(varianceA * varianceB);
    }

    private static (int Left, int Top, int Right, int Bottom) InkBox(byte[] pixels)
    {
        int left = 28, top = 28, right = -1, bottom = -1;
        for (int h = 0; h < 28; h++)
        {
            for (int w = 0; w < 28; w++)
            {
                if (pixels[(h * 28) + w] > 0)
                {
                    (left, top, right, bottom) = (Math.Min(left, w), Math.Min(top, h), Math.Max(right, w), Math.Max(bottom, h));
                }
            }
        }

        return (left, top, right, bottom);
    }
}
