namespace ClipLab.Cli;

/// <summary>
/// Folder-safe variant names derived from clipping specs: "none" stays, "value:-0.002,0.001"
/// becomes "value_-0.002_0.001" and "agc:0.01,exclude=fc2+fc3" becomes "agc_0.01_exclude_fc2_fc3".
/// </summary>
internal static class VariantNames
{
    public static string FromSpec(string spec) => spec.Replace(':', '_').Replace(',', '_').Replace('=', '_').Replace('+', '_');
}
