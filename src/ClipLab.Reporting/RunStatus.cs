namespace ClipLab.Reporting;

/// <summary>How one run of a variant with one seed ended.</summary>
public enum RunStatus
{
    /// <summary>Every step trained and the test set was evaluated.</summary>
    Completed,

    /// <summary>
    /// A NaN or infinity stopped the run (<see cref="ClipLab.Training.NonFinitePolicy.Stop"/>): in a step's
    /// loss or gradient, in the validation after the last update, or in the test set, the only case
    /// in which the test set was evaluated.
    /// </summary>
    Diverged,

    /// <summary>The run stopped early for another reason, normally an interrupt (Ctrl+C or SIGTERM); the test set was not evaluated.</summary>
    Interrupted,

    /// <summary>The run never started because the whole run was interrupted before its turn.</summary>
    NotRun,
}
