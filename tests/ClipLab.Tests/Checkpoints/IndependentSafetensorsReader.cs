using System.Diagnostics;
using System.Text.Json;

namespace ClipLab.Tests.Checkpoints;

/// <summary>
/// Runs read_safetensors.py, a reader written from the published safetensors layout with
/// Python's standard library and numpy, under Debian's /usr/bin/python3 (which has
/// python3-numpy), and returns the JSON it prints.
/// </summary>
internal static class IndependentSafetensorsReader
{
    public const string Python = "/usr/bin/python3";

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>Reads <paramref name="path"/> with the Python reader; fails the test with its message when it rejects the file.</summary>
    /// <exception cref="InvalidOperationException">Python or numpy is missing; the message names the package to install.</exception>
    public static JsonDocument Read(string path)
    {
        RequireNumpy();

        (int exitCode, string output, string error) = Run(ScriptPath(), path);
        Assert.True(exitCode == 0, $"read_safetensors.py rejected {path} (exit code {exitCode}): {error}");
        return JsonDocument.Parse(output);
    }

    private static void RequireNumpy()
    {
        if (!File.Exists(Python))
        {
            throw new InvalidOperationException($"{Python} is missing; install it with 'apt-get install -y python3 python3-numpy'.");
        }

        (int exitCode, _, string error) = Run("-c", "import numpy");
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"{Python} cannot import numpy ({error.Trim()}); install it with 'apt-get install -y python3-numpy'.");
        }
    }

    private static string ScriptPath() => Path.Combine(AppContext.BaseDirectory, "Checkpoints", "read_safetensors.py");

    private static (int ExitCode, string Output, string Error) Run(params string[] arguments)
    {
        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"{Python} did not start.");
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Python} {string.Join(' ', arguments)} did not finish within {Timeout}.");
        }

        return (process.ExitCode, output.Result, error.Result);
    }
}
