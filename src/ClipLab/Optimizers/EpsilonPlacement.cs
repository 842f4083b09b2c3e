namespace ClipLab.Optimizers;

/// <summary>Where Adam adds epsilon to the denominator of its update.</summary>
public enum EpsilonPlacement
{
    /// <summary>
    /// TensorFlow 1: lr_t = lr * sqrt(1 - beta2^t) / (1 - beta1^t) and
    /// theta -= lr_t * m / (sqrt(v) + epsilon), with m and v not bias-corrected.
    /// </summary>
    TensorFlow,

    /// <summary>PyTorch (torch.optim.Adam): theta -= lr * m_hat / (sqrt(v_hat) + epsilon), with bias-corrected m_hat and v_hat.</summary>
    PyTorch,
}
