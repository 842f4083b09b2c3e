using ClipLab.Clipping;
using ClipLab.Training;

namespace ClipLab.Cli;

/// <summary>A validated `compare` command line.</summary>
/// <param name="Config">Training settings shared by every variant.</param>
/// <param name="Clippers">One clipping method per variant, in the order given.</param>
/// <param name="DataDirectory">The --data folder, or null to use the default folder of the data set in <see cref="ExperimentConfig.Dataset"/>.</param>
/// <param name="OutputDirectory">Folder in which the run folder is created.</param>
internal sealed record CompareRequest(
    ExperimentConfig Config, IReadOnlyList<IGradientClipper> Clippers, string? DataDirectory, string OutputDirectory)
{
    /// <summary>The --tensorboard folder, or null to write no event files.</summary>
    public string? TensorBoardDirectory { get; init; }

    /// <summary>The command that made the request, "compare" or "sweep"; it names the run folder and is recorded in config.json.</summary>
    public string Command { get; init; } = "compare";

    /// <summary>The seeds every variant runs with, in run order; the default is <see cref="ExperimentConfig.Seed"/> alone.</summary>
    public IReadOnlyList<ulong>? Seeds { get; init; }

    /// <summary>The thresholds of a sweep, or null for `compare`.</summary>
    public ClipLab.Reporting.SweepDefinition? Sweep { get; init; }

    /// <summary>The data checksums recorded in the config.json being rerun, or null when the run does not come from --config.</summary>
    public IReadOnlyDictionary<string, string>? ExpectedDataSha256 { get; init; }

    /// <summary>The seeds to run: <see cref="Seeds"/>, or <see cref="ExperimentConfig.Seed"/> alone.</summary>
    public IReadOnlyList<ulong> SeedList => Seeds ?? [Config.Seed];
}
