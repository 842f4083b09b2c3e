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
}
