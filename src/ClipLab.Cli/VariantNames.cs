namespace ClipLab.Cli;

/// <summary>Folder-safe variant names derived from clipping specs: "none" stays, "value:-0.002,0.001" becomes "value_-0.002_0.001".</summary>
internal static class VariantNames
{
    public static string FromSpec(string spec) => spec.Replace(':', '_').Replace(',', '_');
}
