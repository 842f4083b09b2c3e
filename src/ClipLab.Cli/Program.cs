using System.CommandLine;

namespace ClipLab.Cli;

internal static class Program
{
    private static int Main(string[] args)
    {
        var root = new RootCommand("ClipLab: gradient clipping experiments on LeNet-5 with MNIST and Fashion-MNIST, in managed C#.")
        {
            CompareCommand.Create(),
            SweepCommand.Create(),
            EvaluateCommand.Create(),
            PredictCommand.Create(),
        };

        ParseResult parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                Console.Error.WriteLine($"error: {error.Message}");
            }

            Console.Error.WriteLine("Run 'cliplab --help' or 'cliplab COMMAND --help' for the options.");
            return ExitCodes.InvalidUsage;
        }

        return parsed.Invoke();
    }
}
