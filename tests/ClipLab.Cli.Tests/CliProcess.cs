using System.Diagnostics;

namespace ClipLab.Cli.Tests;

/// <summary>Runs the built cliplab program as a separate process, as a user would.</summary>
internal static class CliProcess
{
    /// <summary>Exit code and output of one run.</summary>
    public sealed record Result(int ExitCode, string StandardOutput, string StandardError);

    /// <summary>Runs `dotnet ClipLab.Cli.dll ARGS` with the test's environment and waits at most <paramref name="timeout"/>.</summary>
    public static Result Run(TimeSpan timeout, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ClipLab.Cli.dll"));
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"cliplab {string.Join(' ', arguments)} did not finish within {timeout}.");
        }

        return new Result(process.ExitCode, output.Result, error.Result);
    }

    /// <summary>The MNIST folder named by CLIPLAB_DATA.</summary>
    public static string DataDirectory =>
        Environment.GetEnvironmentVariable("CLIPLAB_DATA")
        ?? throw new InvalidOperationException("CLIPLAB_DATA is not set; point it at the folder with the four MNIST files.");
}
