namespace ClipLab.Data;

/// <summary>A resolved data directory and where its path came from.</summary>
/// <param name="Path">Absolute path of the directory, which may not exist yet.</param>
/// <param name="Source">Which setting chose it.</param>
/// <param name="Description">
/// Origin in words for a log line, such as <c>--data option</c>,
/// <c>environment variable CLIPLAB_DATA</c> or <c>cache directory under $XDG_CACHE_HOME</c>.
/// </param>
public sealed record DataDirectory(string Path, DataDirectorySource Source, string Description)
{
    /// <summary>True when the directory is ClipLab's cache, the only one it downloads into.</summary>
    public bool IsCache => Source == DataDirectorySource.Cache;
}
