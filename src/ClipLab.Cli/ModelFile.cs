using ClipLab.Checkpoints;
using ClipLab.Layers;
using ClipLab.Tensors;

namespace ClipLab.Cli;

/// <summary>Loads the --model checkpoint of `evaluate` and `predict` and prints what it is.</summary>
internal static class ModelFile
{
    /// <summary>Returns the restored model, or null after printing why it could not be loaded.</summary>
    public static CheckpointModel? Load(string path, int threads)
    {
        CheckpointModel model;
        try
        {
            model = ModelCheckpoint.Load(path);
        }
        catch (Exception error) when (error is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            string reason = error is FileNotFoundException ? $"model file {Path.GetFullPath(path)} not found." : error.Message;
            Console.Error.WriteLine($"error: {reason}");
            Console.Error.WriteLine("Pass --model with a model.safetensors file from a run folder of 'cliplab compare'.");
            return null;
        }

        // a diverged run saves NaN or infinite weights, whose predictions would mean nothing
        foreach (Parameter parameter in model.Network.Parameters)
        {
            if (NonFinite.Any(parameter.Value.Span))
            {
                Console.Error.WriteLine(
                    $"error: model file {Path.GetFullPath(path)} has NaN or infinite values in {parameter.Name}; it comes from a run that diverged. Use a model from a run that completed.");
                return null;
            }
        }

        if (model.Metadata.TryGetValue("completed", out string? completed) && completed == "false")
        {
            Console.Error.WriteLine($"warning: model file {Path.GetFullPath(path)} comes from a run that stopped early; its weights are those of the last step trained.");
        }

        model.Network.SetParallelism(new Parallelism(threads));
        string variant = model.Metadata.TryGetValue("clip_method", out string? clipMethod) ? $", trained with clipping {clipMethod}" : "";
        Console.Out.WriteLine($"Model: {Path.GetFullPath(path)} ({model.Dataset.DisplayName}{variant})");
        return model;
    }
}
