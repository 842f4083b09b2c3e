using System.Diagnostics;
using System.Text.RegularExpressions;
using ClipLab.Training;
using SkiaSharp;

namespace ClipLab.Reporting.Tests;

public class HtmlReportWriterTests
{
    [Fact]
    public void HtmlReport_WriteAll_InlinesEveryChartWithoutExternalResources()
    {
        using var temp = new TempDirectory();
        RunFolder run = RunFolder.Create(temp.FullPath, "compare");
        RunResults results = SeedRuns.TwoSeedsInterrupted();

        RunWriter.WriteAll(run, results);

        string html = File.ReadAllText(run.GetPath("report.html"));
        int charts = Directory.GetFiles(run.FullPath, "*.svg", SearchOption.AllDirectories).Length;
        Assert.Equal(charts, Regex.Matches(html, "<svg[ >]").Count);
        foreach (string forbidden in new[] { "<script", "<link", "<img", "<iframe", "@import", "src=", "url(http", "href=\"http", "href='http" })
        {
            Assert.DoesNotContain(forbidden, html, StringComparison.OrdinalIgnoreCase);
        }

        string[] ids = Regex.Matches(html, "\\sid=\"([^\"]+)\"").Select(match => match.Groups[1].Value).ToArray();
        Assert.NotEmpty(ids);
        Assert.Equal(ids.Length, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.Contains("Incomplete run", html);
        Assert.Contains("not run", html);
    }

    [Fact]
    public void HtmlReport_Chromium_RendersChartsWithoutConsoleErrors()
    {
        string chromium = FindChromium()
            ?? throw new InvalidOperationException(
                "Chromium is not installed, so report.html cannot be checked in a browser. Install Debian's package: apt-get install -y chromium");
        using var temp = new TempDirectory();
        RunFolder run = RunFolder.Create(temp.FullPath, "compare");
        RunWriter.WriteAll(run, SeedRuns.TwoSeedsInterrupted());
        string page = new Uri(run.GetPath("report.html")).AbsoluteUri;
        string screenshot = temp.Combine("screenshot.png");

        (int domExit, string dom, string domErrors) = RunChromium(chromium, temp.Combine("profile-dom"), "--dump-dom", page);
        (int shotExit, _, string shotErrors) = RunChromium(chromium, temp.Combine("profile-shot"), $"--screenshot={screenshot}", "--window-size=1200,2000", page);

        Assert.True(domExit == 0, $"chromium --dump-dom exited with {domExit}\n{domErrors}");
        Assert.True(shotExit == 0, $"chromium --screenshot exited with {shotExit}\n{shotErrors}");
        int svgInDom = Regex.Matches(dom, "<svg[ >]").Count;
        int svgFiles = Directory.GetFiles(run.FullPath, "*.svg", SearchOption.AllDirectories).Length;
        Assert.Equal(svgFiles, svgInDom);
        Assert.Contains("Validation loss of all variants", dom);
        string[] consoleErrors = (domErrors + "\n" + shotErrors).Split('\n')
            .Where(line => line.Contains("Uncaught", StringComparison.Ordinal) || line.Contains("ERROR:CONSOLE", StringComparison.Ordinal))
            .ToArray();
        Assert.True(consoleErrors.Length == 0, "console errors:\n" + string.Join("\n", consoleErrors));

        // a rendered page has text, tables and coloured curves; a blank one has one or two colours
        using SKBitmap? bitmap = SKBitmap.Decode(screenshot);
        Assert.NotNull(bitmap);
        int colours = bitmap.Pixels.Distinct().Count();
        Assert.True(colours > 100, $"the screenshot has only {colours} distinct colours");
        int nonWhite = bitmap.Pixels.Count(pixel => pixel.Red < 200 || pixel.Green < 200 || pixel.Blue < 200);
        Assert.True(nonWhite > bitmap.Width * bitmap.Height / 100, $"only {nonWhite} dark pixels in the screenshot");
    }

    private static string? FindChromium()
    {
        string[] names = ["chromium", "chromium-browser"];
        return (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .SelectMany(directory => names.Select(name => Path.Combine(directory, name)))
            .FirstOrDefault(File.Exists);
    }

    /// <summary>Runs headless Chromium on a local file with networking, sync and updates off and a fresh profile.</summary>
    private static (int ExitCode, string Output, string Error) RunChromium(string chromium, string profile, params string[] arguments)
    {
        var start = new ProcessStartInfo(chromium)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in new[]
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--host-resolver-rules=MAP * ~NOTFOUND", "--enable-logging=stderr", "--v=0",
            $"--user-data-dir={profile}",
        }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"{chromium} did not start.");
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(90)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{chromium} {string.Join(' ', arguments)} did not finish within 90 s.");
        }

        process.WaitForExit();
        return (process.ExitCode, output.GetAwaiter().GetResult(), error.GetAwaiter().GetResult());
    }
}
