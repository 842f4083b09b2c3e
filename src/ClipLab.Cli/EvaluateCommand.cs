using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using ClipLab.Checkpoints;
using ClipLab.Data;
using ClipLab.Reporting;
using ClipLab.Training;
using Spectre.Console;

namespace ClipLab.Cli;

/// <summary>The `evaluate` command: loss, accuracy and confusion matrix of a saved model on the test set.</summary>
internal static class EvaluateCommand
{
    /// <summary>File name of the confusion matrix chart, without extension (PNG and SVG are written).</summary>
    public const string ChartName = "confusion-matrix";

    /// <summary>File name of the machine-readable result.</summary>
    public const string JsonName = "evaluation.json";

    private const int RedirectedTableWidth = 120;

    public static Command Create()
    {
        var model = new Option<string>("--model") { HelpName = "FILE", Description = "Model file written by 'cliplab compare': RUN/VARIANT/model.safetensors.", Required = true };
        var data = new Option<string?>("--data")
        {
            HelpName = "DIR",
            Description = "Folder with the test IDX files (the training files are not needed) of the data set the model was trained on (recorded in the model file). "
                + "Default for MNIST: $CLIPLAB_DATA, else the cache folder; for Fashion-MNIST: /usr/share/datasets/fashion-mnist, else the cache folder.",
        };
        var output = new Option<string?>("--out") { HelpName = "DIR", Description = $"Folder for {ChartName}.png, {ChartName}.svg and {JsonName}. Default: the model file's folder." };
        var threads = NumberOptions.Int("--threads", "Worker threads (at most 256); results are bitwise the same for any count.", Environment.ProcessorCount, 1, 256);

        var command = new Command("evaluate", "Measure a saved model on the test set: loss, accuracy and confusion matrix, printed and saved as a chart.")
        {
            model, data, output, threads,
        };

        command.SetAction(parsed =>
        {
            string modelPath;
            string? dataDirectory;
            string? outputDirectory;
            try
            {
                modelPath = UsageChecks.RequirePath(parsed.GetValue(model), "--model")!;
                dataDirectory = UsageChecks.RequirePath(parsed.GetValue(data), "--data");
                outputDirectory = UsageChecks.RequirePath(parsed.GetValue(output), "--out");
            }
            catch (UsageException error)
            {
                Console.Error.WriteLine($"error: {error.Message}");
                return ExitCodes.InvalidUsage;
            }

            return Run(modelPath, dataDirectory, outputDirectory ?? Path.GetDirectoryName(Path.GetFullPath(modelPath))!, parsed.GetValue(threads));
        });

        return command;
    }

    private static int Run(string modelPath, string? dataDirectory, string outputDirectory, int threads)
    {
        try
        {
            RunFolder.EnsureWritable(outputDirectory);
            CheckpointModel? model = ModelFile.Load(modelPath, threads);
            if (model is null)
            {
                return ExitCodes.RuntimeFailure;
            }

            DataSplit? test = DataLoader.LoadTest(dataDirectory, model.Dataset, CancellationToken.None);
            if (test is null)
            {
                return ExitCodes.RuntimeFailure;
            }

            ClassificationReport report = Evaluator.EvaluateWithConfusion(model.Network, test);
            Print(report, model.Dataset, test.Count);

            string chartPath = Path.Combine(Path.GetFullPath(outputDirectory), ChartName);
            string title = string.Create(CultureInfo.InvariantCulture, $"{model.Dataset.DisplayName} test set: accuracy {report.Accuracy:F4}, loss {report.Loss:F4}");
            ConfusionMatrixChart.Write(report.Confusion, model.Dataset.ClassNames, title, chartPath);
            string jsonPath = Path.Combine(Path.GetFullPath(outputDirectory), JsonName);
            AtomicFile.WriteAllText(jsonPath, ToJson(modelPath, model.Dataset, report));
            Console.Out.WriteLine($"Chart: {chartPath}.png (and .svg)");
            Console.Out.WriteLine($"Numbers: {jsonPath}");
            return ExitCodes.Success;
        }
        catch (Exception error) when (error is IOException or InvalidDataException or UnauthorizedAccessException or ArgumentException)
        {
            Console.Error.WriteLine($"error: {error.Message}");
            return ExitCodes.RuntimeFailure;
        }
    }

    private static void Print(ClassificationReport report, DatasetDefinition dataset, int count)
    {
        Console.Out.WriteLine(string.Create(
            CultureInfo.InvariantCulture, $"test loss {report.Loss:F4}  accuracy {report.Accuracy:F4}  ({report.Confusion.Correct} of {count} images)"));

        // rows: true class; columns: predicted class by index, named in the row labels
        ConfusionMatrix confusion = report.Confusion;
        var table = new Table { Title = new TableTitle("Confusion matrix (rows: true class, columns: predicted class)") };
        table.AddColumn(new TableColumn("true class").NoWrap());
        for (int predicted = 0; predicted < confusion.ClassCount; predicted++)
        {
            table.AddColumn(new TableColumn(predicted.ToString(CultureInfo.InvariantCulture)).RightAligned());
        }

        table.AddColumn(new TableColumn("recall").RightAligned());
        for (int actual = 0; actual < confusion.ClassCount; actual++)
        {
            string label = actual.ToString(CultureInfo.InvariantCulture);
            string name = dataset.ClassNames[actual];
            var cells = new List<string> { Markup.Escape(name == label ? label : $"{label} {name}") };
            for (int predicted = 0; predicted < confusion.ClassCount; predicted++)
            {
                string cellCount = confusion[actual, predicted].ToString(CultureInfo.InvariantCulture);
                cells.Add(actual == predicted ? $"[bold]{cellCount}[/]" : cellCount);
            }

            cells.Add(confusion.Recall(actual).ToString("F4", CultureInfo.InvariantCulture));
            table.AddRow(cells.ToArray());
        }

        // a log file has no terminal width; Spectre's 80-column default would wrap every row of this table
        if (Console.IsOutputRedirected)
        {
            AnsiConsole.Profile.Width = Math.Max(AnsiConsole.Profile.Width, RedirectedTableWidth);
        }

        AnsiConsole.Write(table);
    }

    private static string ToJson(string modelPath, DatasetDefinition dataset, ClassificationReport report)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("model", Path.GetFullPath(modelPath));
            json.WriteString("dataset", dataset.Id);
            json.WriteString("split", "test");
            json.WriteNumber("images", report.Confusion.Total);
            WriteNumberOrNull(json, "loss", report.Loss);
            WriteNumberOrNull(json, "accuracy", report.Accuracy);
            json.WriteStartArray("class_names");
            foreach (string name in dataset.ClassNames)
            {
                json.WriteStringValue(name);
            }

            json.WriteEndArray();

            // confusion[true class][predicted class]
            json.WriteStartArray("confusion_matrix");
            for (int actual = 0; actual < report.Confusion.ClassCount; actual++)
            {
                json.WriteStartArray();
                for (int predicted = 0; predicted < report.Confusion.ClassCount; predicted++)
                {
                    json.WriteNumberValue(report.Confusion[actual, predicted]);
                }

                json.WriteEndArray();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    // JSON has no NaN: a diverged model's loss is written as null
    private static void WriteNumberOrNull(Utf8JsonWriter json, string name, double value)
    {
        if (double.IsFinite(value))
        {
            json.WriteNumber(name, value);
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
