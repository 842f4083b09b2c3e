namespace ClipLab.Data;

/// <summary>
/// Chooses the directory that contains the MNIST files: an explicit directory (the CLI's
/// <c>--data</c> option) first, else the environment variable <c>CLIPLAB_DATA</c>, else
/// ClipLab's cache directory. For Fashion-MNIST: the explicit directory, else the folder of
/// the system package when it contains all four files, else the cache directory.
/// </summary>
/// <remarks>
/// The cache directory follows the XDG Base Directory Specification:
/// <c>$XDG_CACHE_HOME/cliplab/ID</c> when XDG_CACHE_HOME is an absolute path, else
/// <c>$HOME/.cache/cliplab/ID</c>, where ID is <see cref="DatasetDefinition.Id"/> ("mnist",
/// "fashion-mnist"). The specification says to ignore a relative
/// XDG_CACHE_HOME, and this class does. An empty environment variable counts as unset.
/// </remarks>
public sealed class DataDirectoryResolver
{
    /// <summary>Environment variable that names the data directory.</summary>
    public const string DataEnvironmentVariable = "CLIPLAB_DATA";

    private const string XdgCacheHomeVariable = "XDG_CACHE_HOME";
    private const string HomeVariable = "HOME";
    private const string DefaultCacheSubdirectory = ".cache";
    private const string ApplicationSubdirectory = "cliplab";

    private readonly Func<string, string?> _getEnvironmentVariable;

    /// <summary>Creates a resolver that reads the process environment.</summary>
    public DataDirectoryResolver()
        : this(Environment.GetEnvironmentVariable)
    {
    }

    /// <summary>Creates a resolver that reads environment variables through <paramref name="getEnvironmentVariable"/>.</summary>
    /// <param name="getEnvironmentVariable">Returns the value of the named variable, or null when it is unset. Tests pass a dictionary lookup.</param>
    /// <exception cref="ArgumentNullException"><paramref name="getEnvironmentVariable"/> is null.</exception>
    public DataDirectoryResolver(Func<string, string?> getEnvironmentVariable)
    {
        ArgumentNullException.ThrowIfNull(getEnvironmentVariable);

        _getEnvironmentVariable = getEnvironmentVariable;
    }

    /// <summary>Chooses the data directory and reports which setting chose it.</summary>
    /// <param name="optionDirectory">Directory the user named explicitly, or null when none. A relative path is resolved against the current directory.</param>
    /// <returns>The absolute directory path with its source.</returns>
    /// <exception cref="ArgumentException"><paramref name="optionDirectory"/> is empty or white space.</exception>
    /// <exception cref="InvalidOperationException">
    /// Neither an option nor CLIPLAB_DATA is set, and the cache directory cannot be found
    /// because XDG_CACHE_HOME is unset and the home directory is unknown.
    /// </exception>
    public DataDirectory Resolve(string? optionDirectory) => Resolve(optionDirectory, DatasetDefinition.Mnist);

    /// <summary>Chooses the data directory of <paramref name="dataset"/> and reports which setting chose it.</summary>
    /// <param name="optionDirectory">Directory the user named explicitly, or null when none. A relative path is resolved against the current directory.</param>
    /// <param name="dataset">
    /// The data set. CLIPLAB_DATA names the MNIST directory only, so it is read for
    /// <see cref="DatasetKind.Mnist"/> alone. A data set with a
    /// <see cref="DatasetDefinition.SystemDirectory"/> uses that folder when it contains all four files.
    /// </param>
    /// <returns>The absolute directory path with its source.</returns>
    /// <exception cref="ArgumentException"><paramref name="optionDirectory"/> is empty or white space.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="dataset"/> is null.</exception>
    /// <exception cref="InvalidOperationException">
    /// No other setting applies and the cache directory cannot be found because
    /// XDG_CACHE_HOME is unset and the home directory is unknown.
    /// </exception>
    public DataDirectory Resolve(string? optionDirectory, DatasetDefinition dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);

        if (optionDirectory is not null)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(optionDirectory);
            return new DataDirectory(Path.GetFullPath(optionDirectory), DataDirectorySource.Option, "--data option");
        }

        string? fromEnvironment = dataset.Kind == DatasetKind.Mnist ? ReadVariable(DataEnvironmentVariable) : null;
        if (fromEnvironment is not null)
        {
            return new DataDirectory(
                Path.GetFullPath(fromEnvironment),
                DataDirectorySource.EnvironmentVariable,
                $"environment variable {DataEnvironmentVariable}");
        }

        // a system package's folder counts only when it is complete
        if (dataset.SystemDirectory is string system
            && Directory.Exists(system)
            && dataset.Files.All(file => MnistFiles.Find(system, file) is not null))
        {
            return new DataDirectory(Path.GetFullPath(system), DataDirectorySource.SystemDirectory, "system package folder");
        }

        return ResolveCache(dataset);
    }

    /// <summary>Returns ClipLab's cache directory for MNIST, ignoring the option and CLIPLAB_DATA.</summary>
    /// <returns>The cache directory with source <see cref="DataDirectorySource.Cache"/>.</returns>
    /// <exception cref="InvalidOperationException">XDG_CACHE_HOME is unset or relative and the home directory is unknown.</exception>
    public DataDirectory ResolveCache() => ResolveCache(DatasetDefinition.Mnist);

    /// <summary>Returns ClipLab's cache directory for <paramref name="dataset"/>, ignoring every other setting.</summary>
    /// <param name="dataset">The data set; its <see cref="DatasetDefinition.Id"/> is the last folder of the path.</param>
    /// <returns>The cache directory with source <see cref="DataDirectorySource.Cache"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="dataset"/> is null.</exception>
    /// <exception cref="InvalidOperationException">XDG_CACHE_HOME is unset or relative and the home directory is unknown.</exception>
    public DataDirectory ResolveCache(DatasetDefinition dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);

        string? xdgCacheHome = ReadVariable(XdgCacheHomeVariable);
        if (xdgCacheHome is not null && Path.IsPathFullyQualified(xdgCacheHome))
        {
            return new DataDirectory(
                Path.Combine(xdgCacheHome, ApplicationSubdirectory, dataset.Id),
                DataDirectorySource.Cache,
                $"cache directory under ${XdgCacheHomeVariable}");
        }

        string? home = ReadVariable(HomeVariable);
        if (home is null)
        {
            // On Windows HOME is unset, and the user profile is its counterpart.
            string profile = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            home = profile.Length > 0 ? profile : null;
        }

        if (home is null)
        {
            throw new InvalidOperationException(
                $"Cannot find the cache directory because neither {XdgCacheHomeVariable} nor {HomeVariable} is set. " +
                $"Set one of them, or name the data directory with --data DIR or {DataEnvironmentVariable}.");
        }

        return new DataDirectory(
            Path.Combine(home, DefaultCacheSubdirectory, ApplicationSubdirectory, dataset.Id),
            DataDirectorySource.Cache,
            $"cache directory under ~/{DefaultCacheSubdirectory}");
    }

    private string? ReadVariable(string name)
    {
        string? value = _getEnvironmentVariable(name);
        return string.IsNullOrEmpty(value) ? null : value;
    }
}
