using ClipLab.Training;

namespace ClipLab.Reporting;

/// <summary>Everything a `compare` or `sweep` run produced: its settings, its seeds and, per variant, the result of each seed.</summary>
/// <param name="Command">The command that made the run: "compare" or "sweep".</param>
/// <param name="Config">Settings shared by every run; <see cref="ExperimentConfig.Seed"/> is the first seed.</param>
/// <param name="Seeds">The seeds every variant runs with, in run order.</param>
/// <param name="Variants">The variants in report order, each with one entry per seed.</param>
public sealed record RunResults(string Command, ExperimentConfig Config, IReadOnlyList<ulong> Seeds, IReadOnlyList<VariantRuns> Variants)
{
    /// <summary>True when a signal (Ctrl+C, SIGTERM) stopped the run before every variant and seed finished.</summary>
    public bool Interrupted { get; init; }

    /// <summary>The sweep's thresholds for a `sweep` run; null for `compare`.</summary>
    public SweepDefinition? Sweep { get; init; }

    /// <summary>True when each run has its own folder VARIANT/seed-S, which is the case for more than one seed.</summary>
    public bool UsesSeedFolders => Seeds.Count > 1;

    /// <summary>True when the run was not interrupted and every variant completed with every seed.</summary>
    public bool Completed =>
        !Interrupted && Variants.All(variant => Enumerable.Range(0, variant.Results.Count).All(i => variant.StatusOf(i) == RunStatus.Completed));

    /// <summary>Wraps one result per variant, all trained with <see cref="ExperimentConfig.Seed"/> of <paramref name="config"/>, as a `compare` run.</summary>
    /// <param name="config">The settings of the run.</param>
    /// <param name="results">One result per variant, in report order.</param>
    /// <returns>A run with one seed and no interruption.</returns>
    /// <exception cref="ArgumentNullException">An argument or a result is null.</exception>
    public static RunResults FromSingleSeed(ExperimentConfig config, IReadOnlyList<VariantResult> results)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(results);

        var variants = results
            .Select(result => result ?? throw new ArgumentNullException(nameof(results), "A result in the list is null."))
            .Select(result => new VariantRuns(result.Name, result.ClipMethod, [result]))
            .ToList();
        return new RunResults("compare", config, [config.Seed], variants);
    }

    /// <summary>Returns the run folder's relative path of one variant and seed: VARIANT, or VARIANT/seed-S when <see cref="UsesSeedFolders"/>.</summary>
    /// <param name="variantName">The variant's name.</param>
    /// <param name="seed">The seed.</param>
    /// <returns>The path with '/' separators.</returns>
    public string RelativeRunPath(string variantName, ulong seed) => RunLayout.RelativeRunPath(variantName, seed, Seeds.Count);

    /// <summary>Checks that names are valid, distinct folder names, that every variant has one entry per seed, and that seeds are distinct.</summary>
    /// <exception cref="ArgumentException">A check failed; the message names the variant or seed.</exception>
    public void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(Command);
        ArgumentNullException.ThrowIfNull(Config);
        ArgumentNullException.ThrowIfNull(Seeds);
        ArgumentNullException.ThrowIfNull(Variants);
        if (Seeds.Count == 0)
        {
            throw new ArgumentException("A run needs at least one seed.", nameof(Seeds));
        }

        if (Seeds.Distinct().Count() != Seeds.Count)
        {
            throw new ArgumentException($"The seeds {string.Join(", ", Seeds)} repeat a seed; give each seed once.", nameof(Seeds));
        }

        // case-insensitive because the folders would collide on Windows and macOS file systems
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (VariantRuns variant in Variants)
        {
            ArgumentNullException.ThrowIfNull(variant, nameof(Variants));
            RunFolder.ValidateVariantName(variant.Name);
            if (!seen.Add(variant.Name))
            {
                throw new ArgumentException(
                    $"Variant name '{variant.Name}' appears more than once (names are compared ignoring case). Give each variant its own name.",
                    nameof(Variants));
            }

            if (variant.Results.Count != Seeds.Count)
            {
                throw new ArgumentException(
                    $"Variant '{variant.Name}' has {variant.Results.Count} results for {Seeds.Count} seeds; give one entry per seed, null for a seed that did not run.",
                    nameof(Variants));
            }
        }
    }
}
