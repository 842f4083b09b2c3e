using BenchmarkDotNet.Running;
using ClipLab.Benchmarks;

// Modes: "e2e THREADS RUNS" times the reference experiment, "scaling THREADS" measures
// throughput at several batch sizes, "profile THREADS" splits a training step by layer,
// "peak" measures the FMA throughput of one thread; anything else goes to BenchmarkDotNet.
string mode = args.Length > 0 ? args[0] : "";
int Argument(int index, int fallback) => args.Length > index ? int.Parse(args[index]) : fallback;
switch (mode)
{
    case "e2e":
        EndToEndRunner.Run(threads: Argument(1, 1), runs: Argument(2, 5));
        break;
    case "scaling":
        ScalingRunner.Run(threads: Argument(1, 1));
        break;
    case "profile":
        ProfileRunner.Run(threads: Argument(1, 1));
        break;
    case "peak":
        PeakProbe.Run();
        break;
    default:
        BenchmarkSwitcher.FromAssembly(typeof(KernelBenchmarks).Assembly).Run(args);
        break;
}
