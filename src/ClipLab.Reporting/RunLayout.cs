using System.Globalization;

namespace ClipLab.Reporting;

/// <summary>
/// Where the files of one variant and seed go in a run folder: VARIANT/ for a run with one seed,
/// VARIANT/seed-S/ for a run with several.
/// </summary>
public static class RunLayout
{
    /// <summary>Prefix of the per-seed folder names: seed 3 goes to seed-3.</summary>
    public const string SeedFolderPrefix = "seed-";

    /// <summary>Returns the relative path of one variant and seed, with '/' separators.</summary>
    /// <param name="variantName">The variant's name.</param>
    /// <param name="seed">The seed.</param>
    /// <param name="seedCount">Number of seeds in the run; above 1 each seed gets its own folder.</param>
    /// <returns>VARIANT, or VARIANT/seed-S.</returns>
    public static string RelativeRunPath(string variantName, ulong seed, int seedCount) =>
        seedCount > 1 ? $"{variantName}/{SeedFolderPrefix}{seed.ToString(CultureInfo.InvariantCulture)}" : variantName;

    /// <summary>Creates (if missing) the folder of one variant and seed and returns its absolute path.</summary>
    /// <param name="run">The run folder.</param>
    /// <param name="variantName">The variant's name: letters, digits, '.', '_' and '-', not starting with '.'.</param>
    /// <param name="seed">The seed.</param>
    /// <param name="seedCount">Number of seeds in the run.</param>
    /// <returns>The absolute folder path.</returns>
    /// <exception cref="ArgumentException"><paramref name="variantName"/> cannot be a folder name.</exception>
    /// <exception cref="IOException">Creating the folder failed.</exception>
    public static string CreateRunDirectory(RunFolder run, string variantName, ulong seed, int seedCount)
    {
        ArgumentNullException.ThrowIfNull(run);

        string variantPath = run.CreateVariantDirectory(variantName);
        if (seedCount <= 1)
        {
            return variantPath;
        }

        string seedPath = Path.Combine(variantPath, SeedFolderPrefix + seed.ToString(CultureInfo.InvariantCulture));
        Directory.CreateDirectory(seedPath);
        return seedPath;
    }
}
