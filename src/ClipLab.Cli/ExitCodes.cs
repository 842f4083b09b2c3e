namespace ClipLab.Cli;

/// <summary>Process exit codes of the cliplab command.</summary>
internal static class ExitCodes
{
    /// <summary>The command finished.</summary>
    public const int Success = 0;

    /// <summary>The command failed while running: missing data, an unwritable folder, a diverged or interrupted run.</summary>
    public const int RuntimeFailure = 1;

    /// <summary>The command line was invalid; nothing was done.</summary>
    public const int InvalidUsage = 2;
}
