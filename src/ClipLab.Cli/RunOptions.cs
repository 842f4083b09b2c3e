using System.CommandLine;
using System.Globalization;
using ClipLab.Clipping;
using ClipLab.Layers;
using ClipLab.Randomness;
using ClipLab.Reporting;
using ClipLab.Training;

namespace ClipLab.Cli;

/// <summary>The options that `compare` and `sweep` share for seeds and reruns (--seeds, --config), and the request built from a config.json.</summary>
internal static class RunOptions
{
    /// <summary>Largest --seeds value; each seed trains every variant once more.</summary>
    public const int MaxSeeds = 1000;

    public static Option<int> Seeds() => NumberOptions.Int(
        "--seeds",
        "Number of seeds per variant: S, S+1, ..., S+N-1 with S from --seed, the same list for every variant. "
        + "With more than one, charts show each variant's mean with a min-max band, and the report adds median, mean and standard deviation, "
        + "dead networks and Mann-Whitney U tests.",
        1,
        1,
        MaxSeeds);

    public static Option<string?> ConfigFile() => new("--config")
    {
        HelpName = "FILE",
        Description = "Rerun the run recorded in FILE, the config.json of a run folder, with the same settings, variants and seeds, which gives bitwise the same metrics. "
            + "Only --data, --out, --threads and --tensorboard may be given with it.",
    };

    /// <summary>Returns first, first + 1, ..., first + count - 1.</summary>
    /// <exception cref="UsageException">The last seed would exceed the largest 64-bit seed.</exception>
    public static IReadOnlyList<ulong> SeedList(ulong first, int count)
    {
        if (count > 1 && first > ulong.MaxValue - (ulong)(count - 1))
        {
            throw new UsageException($"--seed {first} with --seeds {count} would go past the largest seed {ulong.MaxValue}; choose a smaller --seed.");
        }

        return Enumerable.Range(0, count).Select(offset => first + (ulong)offset).ToArray();
    }

    /// <summary>Builds the request that reruns <paramref name="path"/>, after checking that no training option was given with --config.</summary>
    /// <exception cref="UsageException">A training option was given, the file is invalid, or it records another command.</exception>
    public static CompareRequest FromConfig(
        ParseResult parsed,
        string path,
        string command,
        IEnumerable<Option> trainingOptions,
        string? dataDirectory,
        string outputDirectory,
        Option<int> threads,
        string? tensorBoardDirectory)
    {
        Option? given = trainingOptions.FirstOrDefault(option => parsed.GetResult(option) is { Implicit: false });
        if (given is not null)
        {
            throw new UsageException(
                $"--config cannot be combined with {given.Name}: every training setting comes from the config file. To change a setting, edit a copy of the file and pass that.");
        }

        RunConfiguration recorded;
        try
        {
            recorded = RunConfigFile.Read(path);
        }
        catch (Exception error) when (error is FileNotFoundException or InvalidDataException or IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"--config: {error.Message}");
        }

        if (recorded.Command != command)
        {
            throw new UsageException($"--config: {path} records a '{recorded.Command}' run; rerun it with 'cliplab {recorded.Command} --config {path}'.");
        }

        ExperimentConfig config = recorded.Config;
        if (parsed.GetResult(threads) is { Implicit: false })
        {
            config = config with { Threads = parsed.GetValue(threads) };
        }

        try
        {
            Trainer.Validate(config);
        }
        catch (ArgumentException error)
        {
            throw new UsageException($"--config: {path}: {error.Message.Split('\n')[0].Trim()}");
        }

        IReadOnlyList<IGradientClipper> clippers = ParseVariants(path, recorded.Variants);
        SweepDefinition? sweep = null;
        if (recorded.Sweep is SweepDefinition recordedSweep)
        {
            (sweep, IReadOnlyList<IGradientClipper> sweepClippers) = SweepSpec.Build(
                recordedSweep.Method, recordedSweep.MethodOptions, recordedSweep.Points.Select(point => point.Threshold).ToArray());
            string[] expected = ["none", .. sweepClippers.Select(clipper => clipper.Spec)];
            if (!expected.SequenceEqual(clippers.Select(clipper => clipper.Spec)))
            {
                throw new UsageException(
                    $"--config: {path}: key 'variants' ({string.Join(" ", clippers.Select(c => c.Spec))}) does not match key 'sweep' ({string.Join(" ", expected)}); restore one from the other.");
            }
        }

        if (recorded.ClipLabVersion != RunConfigFile.CurrentClipLabVersion || recorded.DotNetVersion != RunConfigFile.CurrentDotNetVersion)
        {
            Console.Error.WriteLine(
                $"warning: {path} was written by ClipLab {recorded.ClipLabVersion} on {recorded.DotNetVersion}; this is ClipLab {RunConfigFile.CurrentClipLabVersion} on {RunConfigFile.CurrentDotNetVersion}. "
                + "Metrics match bit for bit only if the training code is the same.");
        }

        Console.Out.WriteLine($"Rerunning {path}: {recorded.Command} of {string.Join(" ", recorded.Variants)} with seeds {string.Join(", ", recorded.Seeds)}");
        return new CompareRequest(config, clippers, dataDirectory, outputDirectory)
        {
            TensorBoardDirectory = tensorBoardDirectory,
            Command = recorded.Command,
            Seeds = recorded.Seeds,
            Sweep = sweep,
            ExpectedDataSha256 = recorded.DataSha256,
        };
    }

    private static IReadOnlyList<IGradientClipper> ParseVariants(string path, IReadOnlyList<string> specs)
    {
        IReadOnlyList<Parameter> parameters = LeNet5.Create(new Rng(0)).Parameters;
        var clippers = new List<IGradientClipper>();
        foreach (string spec in specs)
        {
            try
            {
                IGradientClipper clipper = ClipMethod.Parse(spec);
                clipper.Validate(parameters);
                clippers.Add(clipper);
            }
            catch (Exception error) when (error is FormatException or ArgumentException)
            {
                throw new UsageException($"--config: {path}: key 'variants' has the invalid clipping method '{spec}': {error.Message.Split('\n')[0].Trim()}");
            }
        }

        string? duplicate = clippers.GroupBy(c => c.Spec).FirstOrDefault(g => g.Count() > 1)?.Key;
        if (duplicate is not null)
        {
            throw new UsageException($"--config: {path}: key 'variants' names '{duplicate}' twice; list each method once.");
        }

        return clippers;
    }

    /// <summary>Returns the "seed S" part of progress and log labels.</summary>
    public static string SeedLabel(ulong seed) => string.Create(CultureInfo.InvariantCulture, $"seed {seed}");
}
