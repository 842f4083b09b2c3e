using System.CommandLine;
using ClipLab.Data;

namespace ClipLab.Cli;

/// <summary>The --dataset option: which data set to train on, by its <see cref="DatasetDefinition.Id"/>.</summary>
internal static class DatasetOption
{
    public static Option<string> Create()
    {
        var option = new Option<string>("--dataset")
        {
            Description = "Data set: mnist (handwritten digits) or fashion-mnist (Zalando's clothing images, read from --data, else "
                + "/usr/share/datasets/fashion-mnist from Debian's dataset-fashion-mnist package, else the cache folder, downloading into it).",
            DefaultValueFactory = _ => DatasetDefinition.Mnist.Id,
        };
        option.AcceptOnlyFromAmong(DatasetDefinition.All.Select(dataset => dataset.Id).ToArray());
        return option;
    }

    /// <summary>Returns the definition named by a value that <see cref="Create"/>'s option accepted.</summary>
    public static DatasetDefinition Parse(string? id) =>
        DatasetDefinition.Find(id) ?? throw new UsageException($"--dataset must be one of {string.Join(", ", DatasetDefinition.All.Select(d => d.Id))}, got '{id}'.");
}
