using ClipLab.Clipping;
using ClipLab.Training;

namespace ClipLab.Cli;

/// <summary>A validated `compare` command line.</summary>
/// <param name="Config">Training settings shared by every variant.</param>
/// <param name="Clippers">One clipping method per variant, in the order given.</param>
/// <param name="DataDirectory">The --data folder, or null to use CLIPLAB_DATA or the cache.</param>
/// <param name="OutputDirectory">Folder in which the run folder is created.</param>
internal sealed record CompareRequest(
    ExperimentConfig Config, IReadOnlyList<IGradientClipper> Clippers, string? DataDirectory, string OutputDirectory);
