namespace ClipLab.Data;

/// <summary>Origin of the data directory that <see cref="DataDirectoryResolver"/> chose.</summary>
public enum DataDirectorySource
{
    /// <summary>The directory the caller passed, such as the CLI's <c>--data</c> option.</summary>
    Option,

    /// <summary>The environment variable <c>CLIPLAB_DATA</c>.</summary>
    EnvironmentVariable,

    /// <summary>
    /// ClipLab's cache directory, <c>$XDG_CACHE_HOME/cliplab/mnist</c> or
    /// <c>~/.cache/cliplab/mnist</c>, where missing files may be downloaded.
    /// </summary>
    Cache,
}
