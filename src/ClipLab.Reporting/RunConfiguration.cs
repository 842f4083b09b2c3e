using ClipLab.Training;

namespace ClipLab.Reporting;

/// <summary>Every setting needed to rerun a `compare` or `sweep` run bit for bit, as stored in config.json.</summary>
/// <param name="Command">"compare" or "sweep".</param>
/// <param name="Config">The training settings; <see cref="ExperimentConfig.Seed"/> is the first seed.</param>
/// <param name="Variants">The clipping methods in command-line syntax, in run order, for example ["none", "value:0.001"].</param>
/// <param name="Seeds">The seeds every variant runs with.</param>
/// <param name="DataSha256">SHA-256 of each data file's decompressed bytes, keyed by the uncompressed file name.</param>
/// <param name="ClipLabVersion">Informational version of the ClipLab library that made the run.</param>
/// <param name="DotNetVersion">The .NET runtime that made the run, for example ".NET 10.0.0".</param>
public sealed record RunConfiguration(
    string Command,
    ExperimentConfig Config,
    IReadOnlyList<string> Variants,
    IReadOnlyList<ulong> Seeds,
    IReadOnlyDictionary<string, string> DataSha256,
    string ClipLabVersion,
    string DotNetVersion)
{
    /// <summary>The sweep's thresholds for a `sweep` run; null for `compare`.</summary>
    public SweepDefinition? Sweep { get; init; }
}
