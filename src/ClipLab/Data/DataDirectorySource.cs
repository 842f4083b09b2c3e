namespace ClipLab.Data;

/// <summary>Origin of the data directory that <see cref="DataDirectoryResolver"/> chose.</summary>
public enum DataDirectorySource
{
    /// <summary>The directory the caller passed, such as the CLI's <c>--data</c> option.</summary>
    Option,

    /// <summary>The environment variable <c>CLIPLAB_DATA</c>.</summary>
    EnvironmentVariable,

    /// <summary>The folder where a system package installs the data set, such as /usr/share/datasets/fashion-mnist.</summary>
    SystemDirectory,

    /// <summary>
    /// ClipLab's cache directory, <c>$XDG_CACHE_HOME/cliplab/ID</c> or
    /// <c>~/.cache/cliplab/ID</c> with the data set's ID ("mnist", "fashion-mnist"), where missing files may be downloaded.
    /// </summary>
    Cache,
}
