using System.CommandLine;
using System.Globalization;
using ClipLab.Clipping;
using ClipLab.Layers;
using ClipLab.Randomness;
using ClipLab.Training;

namespace ClipLab.Cli;

/// <summary>The `compare` command: trains one model per clipping variant with the same seed and data order, then writes the run folder.</summary>
internal static class CompareCommand
{
    public static Command Create()
    {
        var options = new TrainingOptions("variant");
        var clipValue = NumberOptions.Positive("--clip-value", "Limit L of the clipped variant, which clips every gradient component into [-L, L].", 0.001, asFloat: true);
        var variants = new Option<string[]>("--variants")
        {
            Description = "Clipping methods to compare, replacing the default pair 'none value:L'. Methods:\n  " + string.Join("\n  ", ClipMethod.Descriptions),
            AllowMultipleArgumentsPerToken = true,
        };

        var command = new Command("compare", "Train LeNet-5 on MNIST or Fashion-MNIST without and with gradient clipping and compare the runs.");
        options.AddTo(command);
        command.Add(clipValue);
        command.Add(variants);

        command.SetAction(parsed =>
        {
            CompareRequest request;
            try
            {
                string? dataDirectory = options.DataDirectory(parsed);
                string outputDirectory = options.OutputDirectory(parsed);
                if (parsed.GetValue(options.ConfigFile) is string configPath)
                {
                    request = RunOptions.FromConfig(
                        parsed, configPath, "compare", [.. options.Settings, clipValue, variants],
                        dataDirectory, outputDirectory, options.Threads, parsed.GetValue(options.TensorBoard));
                    return CompareRunner.Run(request);
                }

                ExperimentConfig config = options.ReadConfig(parsed);
                IReadOnlyList<IGradientClipper> clippers = ParseVariants(
                    parsed.GetValue(variants), (float)parsed.GetValue(clipValue), parsed.GetResult(clipValue) is { Implicit: false });
                request = new CompareRequest(config, clippers, dataDirectory, outputDirectory)
                {
                    TensorBoardDirectory = parsed.GetValue(options.TensorBoard),
                    Seeds = RunOptions.SeedList(config.Seed, parsed.GetValue(options.Seeds)),
                };
            }
            catch (UsageException error)
            {
                Console.Error.WriteLine($"error: {error.Message}");
                return ExitCodes.InvalidUsage;
            }

            return CompareRunner.Run(request);
        });

        return command;
    }

    private static IReadOnlyList<IGradientClipper> ParseVariants(string[]? specs, float clipValue, bool clipValueGiven)
    {
        if (specs is { Length: > 0 } && clipValueGiven)
        {
            throw new UsageException("--clip-value and --variants cannot be combined; write the limit into the variant, for example --variants none value:0.001.");
        }

        if (specs is null || specs.Length == 0)
        {
            if (!(clipValue > 0) || !float.IsFinite(clipValue))
            {
                throw new UsageException($"--clip-value must be a positive finite number, got {clipValue.ToString(CultureInfo.InvariantCulture)}.");
            }

            specs = ["none", $"value:{clipValue.ToString("R", CultureInfo.InvariantCulture)}"];
        }

        var clippers = new List<IGradientClipper>();
        foreach (string spec in specs)
        {
            try
            {
                clippers.Add(ClipMethod.Parse(spec));
            }
            catch (Exception error) when (error is FormatException or ArgumentException)
            {
                throw new UsageException($"--variants: {FirstLine(error.Message)}");
            }
        }

        // settings that depend on the model, such as AGC's excluded layers, are checked before any data is loaded
        IReadOnlyList<Parameter> parameters = LeNet5.Create(new Rng(0)).Parameters;
        foreach (IGradientClipper clipper in clippers)
        {
            try
            {
                clipper.Validate(parameters);
            }
            catch (ArgumentException error)
            {
                throw new UsageException($"--variants: {FirstLine(error.Message)}");
            }
        }

        string? duplicate = clippers.GroupBy(c => c.Spec).FirstOrDefault(g => g.Count() > 1)?.Key;
        if (duplicate is not null)
        {
            throw new UsageException($"--variants names '{duplicate}' twice; list each method once.");
        }

        return clippers;
    }

    // ArgumentException appends " (Parameter 'x')" to the first line and the actual value on the next.
    private static string FirstLine(string message) =>
        System.Text.RegularExpressions.Regex.Replace(message.Split('\n')[0], @"\s*\(Parameter '[^']*'\)$", "").Trim();
}
