namespace ClipLab.Cli;

/// <summary>Checks of option values that the option parser cannot express.</summary>
internal static class UsageChecks
{
    /// <summary>Returns <paramref name="value"/>, or throws when the option was given as an empty or blank string.</summary>
    /// <exception cref="UsageException">The value is empty or white space.</exception>
    public static string? RequirePath(string? value, string option) =>
        value is not null && string.IsNullOrWhiteSpace(value)
            ? throw new UsageException($"{option} needs a path, got an empty value.")
            : value;
}
