namespace ClipLab.Cli;

/// <summary>An invalid command line, reported with exit code 2 before any work starts.</summary>
internal sealed class UsageException(string message) : Exception(message);
