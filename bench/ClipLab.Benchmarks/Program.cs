using System.Diagnostics;
using ClipLab.Clipping;
using ClipLab.Data;
using ClipLab.Layers;
using ClipLab.Losses;
using ClipLab.Randomness;
using ClipLab.Tensors;
using ClipLab.Training;

string mode = args.Length > 0 ? args[0] : "profile";
int threads = args.Length > 1 ? int.Parse(args[1]) : 1;
if (mode == "phases") { PhaseProbe.Run(); return; }
if (mode == "gemm") { GemmProbe.Run(); return; }
if (mode == "e2e")
{
    var data = MnistDataset.Load(Environment.GetEnvironmentVariable("CLIPLAB_DATA")!);
    for (int r = 0; r < (args.Length > 2 ? int.Parse(args[2]) : 3); r++)
    {
        var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        var result = Trainer.Run(new ExperimentConfig { Seed = 1, Threads = threads }, data, "none", new NoClipping());
        Console.WriteLine($"run {r}: wall {sw.Elapsed.TotalSeconds:F3} s cpu {(Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds:F3} s test acc {result.TestAccuracy}");
    }
    return;
}

var rng = new Rng(1);
Sequential net = LeNet5.Create(rng);
net.SetParallelism(new Parallelism(threads));
var loss = new SoftmaxCrossEntropy();
foreach (int batch in new[] { 8, 100 })
{
    var inputs = Enumerable.Range(0, 16).Select(_ =>
    {
        var x = new Tensor(batch, 1, 32, 32);
        for (int i = 0; i < x.Length; i++) x.Data[i] = (float)rng.NextDouble();
        return x;
    }).ToArray();
    int[] labels = new int[batch];
    var fwd = new double[net.Layers.Count];
    var bwd = new double[net.Layers.Count];
    int reps = batch == 8 ? 3000 : 300;
    var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
    var wall = Stopwatch.StartNew();
    for (int r = 0; r < reps; r++)
    {
        Tensor t = inputs[r % inputs.Length];
        for (int l = 0; l < net.Layers.Count; l++)
        {
            long s = Stopwatch.GetTimestamp();
            t = net.Layers[l].Forward(t);
            fwd[l] += Stopwatch.GetElapsedTime(s).TotalMilliseconds;
        }
        loss.Forward(t, labels);
        Tensor g = loss.Backward();
        for (int l = net.Layers.Count - 1; l >= 1; l--)
        {
            long s = Stopwatch.GetTimestamp();
            g = net.Layers[l].Backward(g);
            bwd[l] += Stopwatch.GetElapsedTime(s).TotalMilliseconds;
        }
        long s0 = Stopwatch.GetTimestamp();
        net.Layers[0].BackwardParameters(g);
        bwd[0] += Stopwatch.GetElapsedTime(s0).TotalMilliseconds;
    }
    double cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalMilliseconds;
    Console.WriteLine($"batch {batch}: per step us (wall {wall.Elapsed.TotalMilliseconds * 1000 / reps:F0}, cpu {cpu * 1000 / reps:F0})");
    for (int l = 0; l < net.Layers.Count; l++)
        Console.WriteLine($"  {net.Layers[l].Name,-8} fwd {fwd[l] * 1000 / reps,8:F1}  bwd {bwd[l] * 1000 / reps,8:F1}");
    Console.WriteLine($"  total fwd {fwd.Sum() * 1000 / reps:F1} bwd {bwd.Sum() * 1000 / reps:F1}");
}
