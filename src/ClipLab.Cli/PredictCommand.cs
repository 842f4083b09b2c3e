using System.CommandLine;
using System.Globalization;
using System.Text;
using ClipLab.Checkpoints;
using ClipLab.Data;
using ClipLab.Tensors;

namespace ClipLab.Cli;

/// <summary>The `predict` command: the class and class probabilities of a saved model for image files.</summary>
internal static class PredictCommand
{
    private const string ImageDescription =
        "PNG or JPEG files of any size, each showing one digit (MNIST) or one article (Fashion-MNIST) on a plain background. "
        + "Each is converted the way the training images were made. Colour becomes grey, and transparent pixels count as white. "
        + "An image whose border is light is inverted, so a dark digit on white paper works as well as a white digit on black. "
        + "The image is cropped to the ink, scaled to 20 pixels on the longer side and centred by centre of mass in 28 x 28 pixels "
        + "(for Fashion-MNIST: 28 pixels, centred by the bounding box), then padded to 32 x 32. "
        + "A JPEG's EXIF orientation is not applied, so rotate photos upright first.";

    public static Command Create()
    {
        var model = new Option<string>("--model") { HelpName = "FILE", Description = "Model file written by 'cliplab compare': RUN/VARIANT/model.safetensors.", Required = true };
        var images = new Argument<string[]>("IMAGE") { Description = ImageDescription, Arity = ArgumentArity.OneOrMore };
        var threads = NumberOptions.Int("--threads", "Worker threads (at most 256).", 1, 1, 256);

        var command = new Command("predict", "Predict the class of PNG or JPEG images with a saved model and print every class's probability.") { model, threads, images };
        command.SetAction(parsed =>
        {
            string modelPath;
            try
            {
                modelPath = UsageChecks.RequirePath(parsed.GetValue(model), "--model")!;
            }
            catch (UsageException error)
            {
                Console.Error.WriteLine($"error: {error.Message}");
                return ExitCodes.InvalidUsage;
            }

            return Run(modelPath, parsed.GetValue(images)!, parsed.GetValue(threads));
        });

        return command;
    }

    private static int Run(string modelPath, string[] imagePaths, int threads)
    {
        CheckpointModel? model = ModelFile.Load(modelPath, threads);
        if (model is null)
        {
            return ExitCodes.RuntimeFailure;
        }

        // every image is tried, so one unreadable file does not hide the others' predictions
        int failures = 0;
        foreach (string imagePath in imagePaths)
        {
            PreprocessedImage image;
            try
            {
                GreyImage grey = ImageFileReader.Read(imagePath);
                image = ImagePreprocessor.Preprocess(grey.Pixels, grey.Width, grey.Height, model.Dataset.Kind);
            }
            catch (InvalidDataException error)
            {
                Console.Error.WriteLine($"error: {imagePath}: {error.Message}");
                failures++;
                continue;
            }

            double[] probabilities = Softmax(model.Network.Infer(new Tensor(image.Input, 1, DataSplit.Channels, DataSplit.ImageSize, DataSplit.ImageSize)).Span);
            Console.Out.Write(FormatPrediction(imagePath, image.Inverted, probabilities, model.Dataset.ClassNames));
        }

        if (failures > 0)
        {
            Console.Error.WriteLine($"{failures} of {imagePaths.Length} images could not be read.");
            return ExitCodes.RuntimeFailure;
        }

        return ExitCodes.Success;
    }

    /// <summary>Returns softmax(logits) in double, with the maximum subtracted first so that large logits cannot overflow exp.</summary>
    private static double[] Softmax(ReadOnlySpan<float> logits)
    {
        double max = double.NegativeInfinity;
        foreach (float logit in logits)
        {
            max = Math.Max(max, logit);
        }

        double[] probabilities = new double[logits.Length];
        double sum = 0;
        for (int i = 0; i < logits.Length; i++)
        {
            probabilities[i] = Math.Exp(logits[i] - max);
            sum += probabilities[i];
        }

        for (int i = 0; i < probabilities.Length; i++)
        {
            probabilities[i] /= sum;
        }

        return probabilities;
    }

    /// <summary>Formats <c>IMAGE: CLASS (probability P)</c>, then one line with every class's probability.</summary>
    private static string FormatPrediction(string imagePath, bool inverted, double[] probabilities, IReadOnlyList<string> classNames)
    {
        int best = 0;
        for (int i = 1; i < probabilities.Length; i++)
        {
            if (probabilities[i] > probabilities[best])
            {
                best = i;
            }
        }

        var text = new StringBuilder();
        string note = inverted ? ", light background inverted" : "";
        text.Append(CultureInfo.InvariantCulture, $"{imagePath}: {classNames[best]} (probability {probabilities[best]:F4}{note})\n");
        text.Append("  ");
        text.AppendJoin("  ", probabilities.Select((p, i) => string.Create(CultureInfo.InvariantCulture, $"{classNames[i]} {p:F4}")));
        text.Append('\n');
        return text.ToString();
    }
}
