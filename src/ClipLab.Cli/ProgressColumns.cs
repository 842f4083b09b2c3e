using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace ClipLab.Cli;

/// <summary>Progress-bar columns for training runs: the current iteration and the last training loss, read from the task's state.</summary>
internal static class ProgressColumns
{
    /// <summary>Key of the last training loss in <see cref="ProgressTask.State"/>.</summary>
    public const string LossKey = "loss";

    /// <summary>Key of the last finished iteration (zero-based) in <see cref="ProgressTask.State"/>; -1 before the first step.</summary>
    public const string IterationKey = "iteration";

    /// <summary>Shows "iter 120/1000".</summary>
    public sealed class Iteration : ProgressColumn
    {
        public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime)
        {
            int done = (int)task.Value;
            return new Text(string.Create(CultureInfo.InvariantCulture, $"iter {done,6}/{task.MaxValue:0}"));
        }
    }

    /// <summary>Shows "loss 0.4321", or "loss -" before the first step.</summary>
    public sealed class Loss : ProgressColumn
    {
        public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime)
        {
            double loss = task.State.Get<double>(LossKey);
            string text = task.Value > 0 ? loss.ToString("F4", CultureInfo.InvariantCulture) : "-";
            return new Text($"loss {text,9}");
        }
    }
}
