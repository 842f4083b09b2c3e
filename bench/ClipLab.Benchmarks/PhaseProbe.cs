using System.Diagnostics;
using ClipLab.Clipping;
using ClipLab.Data;
using ClipLab.Layers;
using ClipLab.Optimizers;
using ClipLab.Randomness;
using ClipLab.Training;

internal static class PhaseProbe
{
    public static void Run()
    {
        var data = MnistDataset.Load(Environment.GetEnvironmentVariable("CLIPLAB_DATA")!);
        Sequential net = LeNet5.Create(new Rng(1));
        foreach (var p in net.Parameters) { p.Grad.Span.Fill(0.001f); p.MarkGradWritten(); }
        var adam = new Adam(net.Parameters, 0.01);
        Time("adam step x1000", () => { for (int i = 0; i < 1000; i++) adam.Step(); });
        var clip = new NoClipping();
        Time("no-clip norm x1000", () => { for (int i = 0; i < 1000; i++) clip.Clip(net.Parameters); });
        var value = ValueClipping.Symmetric(0.001f);
        Time("value clip x1000", () => { for (int i = 0; i < 1000; i++) value.Clip(net.Parameters); });
        Time("test evaluation", () => Evaluator.Evaluate(net, data.Test));
        Time("test evaluation again", () => Evaluator.Evaluate(net, data.Test));
    }

    private static void Time(string what, Action action)
    {
        var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        action();
        Console.WriteLine($"{what}: cpu {(Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalMilliseconds:F0} ms");
    }
}
