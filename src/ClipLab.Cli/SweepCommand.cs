using System.CommandLine;
using ClipLab.Clipping;
using ClipLab.Reporting;
using ClipLab.Training;

namespace ClipLab.Cli;

/// <summary>
/// The `sweep` command: trains one clipping method at several thresholds, each with the same
/// seeds, plus the unclipped reference, and charts final validation loss and test accuracy
/// against the threshold.
/// </summary>
internal static class SweepCommand
{
    public static Command Create()
    {
        var options = new TrainingOptions("run");
        var sweepArgument = new Argument<string?>("SWEEP")
        {
            Description = "Method and thresholds: METHOD:T1,T2,..., for example value:1e-4,3e-4,1e-3,3e-3,1e-2. METHOD is value (limit L, clipping into [-L, L]), "
                + "norm (maximum norm per tensor), global-norm (maximum global norm) or agc (lambda). Leave it out with --config.",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var methodOptions = new Option<string?>("--method-options")
        {
            HelpName = "OPTIONS",
            Description = "Settings appended to every threshold's method: 'inf,torch' turns global-norm:T into global-norm:T,inf,torch; 'exclude=none' turns agc:T into agc:T,exclude=none. Not for value.",
        };

        var command = new Command(
            "sweep",
            "Train LeNet-5 with one clipping method at several thresholds and with the unclipped reference, over several seeds, and chart the results against the threshold.")
        {
            sweepArgument, methodOptions,
        };
        options.AddTo(command);

        command.SetAction(parsed =>
        {
            CompareRequest request;
            try
            {
                string? dataDirectory = options.DataDirectory(parsed);
                string outputDirectory = options.OutputDirectory(parsed);
                if (parsed.GetValue(options.ConfigFile) is string configPath)
                {
                    if (parsed.GetValue(sweepArgument) is not null || parsed.GetValue(methodOptions) is not null)
                    {
                        throw new UsageException("--config cannot be combined with a SWEEP argument or --method-options: the thresholds come from the config file.");
                    }

                    request = RunOptions.FromConfig(
                        parsed, configPath, "sweep",
                        options.Settings, dataDirectory, outputDirectory, options.Threads, parsed.GetValue(options.TensorBoard));
                }
                else
                {
                    string text = parsed.GetValue(sweepArgument)
                        ?? throw new UsageException("name the method and thresholds to sweep, for example 'cliplab sweep value:1e-4,1e-3,1e-2', or rerun a sweep with --config FILE.");
                    string? methodSettings = parsed.GetValue(methodOptions);
                    if (methodSettings is not null && string.IsNullOrWhiteSpace(methodSettings))
                    {
                        throw new UsageException("--method-options needs settings such as inf,torch, got an empty value; leave the option out for none.");
                    }

                    (SweepDefinition sweep, IReadOnlyList<IGradientClipper> clippers) = SweepSpec.Parse(text, methodSettings);
                    ExperimentConfig config = options.ReadConfig(parsed);
                    request = new CompareRequest(config, [new NoClipping(), .. clippers], dataDirectory, outputDirectory)
                    {
                        TensorBoardDirectory = parsed.GetValue(options.TensorBoard),
                        Command = "sweep",
                        Seeds = RunOptions.SeedList(config.Seed, parsed.GetValue(options.Seeds)),
                        Sweep = sweep,
                    };
                }
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
}
