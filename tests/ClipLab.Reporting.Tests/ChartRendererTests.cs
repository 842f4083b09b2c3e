using ClipLab.Training;
using SkiaSharp;

namespace ClipLab.Reporting.Tests;

public class ChartRendererTests
{
    private static readonly ChartRenderer Renderer = new();

    public static TheoryData<string> OverlayKinds => new() { "loss", "accuracy", "grad-norm", "grad-norm-after", "clipped-share" };

    [Fact]
    public void ChartRenderer_AccuracyLoss_WritesPngAndSvg()
    {
        using var temp = new TempDirectory();
        string basePath = temp.Combine("accuracy-loss");

        Renderer.WriteAccuracyLoss(FakeResults.Unclipped(), basePath);

        using SKBitmap bitmap = ChartFileAssert.ValidPng(basePath + ".png", 900, 540);
        ChartFileAssert.ValidSvg(basePath + ".svg");
        Assert.Equal(["accuracy-loss.png", "accuracy-loss.svg"], Directory.GetFiles(temp.FullPath).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void ChartRenderer_AccuracyLoss_UsesRedAndGreen()
    {
        using var temp = new TempDirectory();
        string basePath = temp.Combine("accuracy-loss");

        Renderer.WriteAccuracyLoss(FakeResults.Unclipped(), basePath);

        // Each curve joins 100 points with a 2-pixel line across about 800 pixels, so it covers
        // well over 500 pixels. Axis labels and legend in the same colours add a few hundred more.
        using SKBitmap bitmap = ChartFileAssert.ValidPng(basePath + ".png", 900, 540);
        int red = ChartFileAssert.CountPixelsNear(bitmap, new SKColor(255, 0, 0), 40);
        int green = ChartFileAssert.CountPixelsNear(bitmap, new SKColor(0, 128, 0), 40);
        Assert.True(red > 500, $"only {red} red pixels");
        Assert.True(green > 500, $"only {green} green pixels");
    }

    [Theory]
    [MemberData(nameof(OverlayKinds))]
    public void ChartRenderer_Overlay_WritesPngAndSvg(string kind)
    {
        using var temp = new TempDirectory();
        string basePath = temp.Combine(kind);
        VariantResult[] variants = [FakeResults.Unclipped(), FakeResults.Clipped()];

        WriteOverlay(kind, variants, basePath);

        using SKBitmap bitmap = ChartFileAssert.ValidPng(basePath + ".png", 900, 540);
        ChartFileAssert.ValidSvg(basePath + ".svg");
    }

    [Theory]
    [MemberData(nameof(OverlayKinds))]
    public void ChartRenderer_StoppedVariantWithNaN_StillRenders(string kind)
    {
        using var temp = new TempDirectory();
        string basePath = temp.Combine(kind);
        VariantResult[] variants = [FakeResults.Diverged(), FakeResults.Clipped()];

        WriteOverlay(kind, variants, basePath);

        using SKBitmap bitmap = ChartFileAssert.ValidPng(basePath + ".png", 900, 540);
        ChartFileAssert.ValidSvg(basePath + ".svg");
    }

    [Theory]
    [MemberData(nameof(OverlayKinds))]
    public void ChartRenderer_VariantWithoutData_StillRenders(string kind)
    {
        using var temp = new TempDirectory();
        string basePath = temp.Combine(kind);
        var empty = new VariantResult("empty", "none", [], [], double.NaN, double.NaN, TimeSpan.Zero, "cancelled");

        WriteOverlay(kind, [empty], basePath);

        using SKBitmap bitmap = ChartFileAssert.ValidPng(basePath + ".png", 900, 540);
        ChartFileAssert.ValidSvg(basePath + ".svg");
    }

    [Fact]
    public void ChartRenderer_CustomSize_IsApplied()
    {
        using var temp = new TempDirectory();
        string basePath = temp.Combine("loss");
        var renderer = new ChartRenderer { Width = 640, Height = 400 };

        renderer.WriteLossOverlay([FakeResults.Unclipped()], basePath);

        using SKBitmap bitmap = ChartFileAssert.ValidPng(basePath + ".png", 640, 400);
    }

    [Fact]
    public void ChartRenderer_Write_LeavesNoTempFiles()
    {
        using var temp = new TempDirectory();

        Renderer.WriteGradNormOverlay([FakeResults.Unclipped(), FakeResults.Clipped()], temp.Combine("grad-norm"));

        Assert.Empty(temp.FindLeftovers());
    }

    private static void WriteOverlay(string kind, IReadOnlyList<VariantResult> variants, string basePath)
    {
        switch (kind)
        {
            case "loss":
                Renderer.WriteLossOverlay(variants, basePath);
                break;
            case "accuracy":
                Renderer.WriteAccuracyOverlay(variants, basePath);
                break;
            case "grad-norm-after":
                Renderer.WriteGradNormAfterOverlay(variants, basePath);
                break;
            case "grad-norm":
                Renderer.WriteGradNormOverlay(variants, basePath);
                break;
            case "clipped-share":
                Renderer.WriteClippedShareOverlay(variants, basePath);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown overlay kind.");
        }
    }
}
