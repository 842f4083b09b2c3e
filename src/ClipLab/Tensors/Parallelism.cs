namespace ClipLab.Tensors;

/// <summary>
/// How many threads the numeric kernels may use. Kernels split work over disjoint outputs with
/// boundaries fixed by index, never by thread, so every result is bitwise the same for any
/// thread count.
/// </summary>
public sealed class Parallelism
{
    private readonly ParallelOptions _options;

    /// <summary>Creates a setting for at most <paramref name="maxThreads"/> threads.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxThreads"/> is zero or negative.</exception>
    public Parallelism(int maxThreads)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxThreads);

        MaxThreads = maxThreads;
        _options = new ParallelOptions { MaxDegreeOfParallelism = maxThreads };
    }

    /// <summary>One thread: everything runs on the caller's thread.</summary>
    public static Parallelism Single { get; } = new(1);

    /// <summary>Maximum number of threads.</summary>
    public int MaxThreads { get; }

    /// <summary>
    /// Runs <paramref name="body"/> for every index in [0, <paramref name="count"/>), in parallel
    /// when more than one thread is allowed and <paramref name="count"/> exceeds one.
    /// </summary>
    /// <remarks>
    /// Callers pass a static lambda and its inputs as <paramref name="state"/>, so that a
    /// one-thread call allocates nothing.
    /// NOTE: with more than one thread, Parallel.For allocates a little per call.
    /// </remarks>
    internal void For<TState>(int count, TState state, Action<int, TState> body)
    {
        if (MaxThreads == 1 || count <= 1)
        {
            for (int i = 0; i < count; i++)
            {
                body(i, state);
            }

            return;
        }

        RunParallel(count, state, body);
    }

    // A separate method, so that the closure exists only on the parallel path.
    private void RunParallel<TState>(int count, TState state, Action<int, TState> body) =>
        Parallel.For(0, count, _options, i => body(i, state));
}
