namespace ClipLab.Clipping;

/// <summary>How <see cref="GlobalNormClipping"/> turns the global norm into a scale factor.</summary>
public enum GlobalNormScaling
{
    /// <summary>
    /// factor = maxNorm / max(norm, maxNorm), as tf.clip_by_global_norm and optax.clip_by_global_norm
    /// compute it: gradients whose norm is at most maxNorm stay unchanged, larger ones end with norm maxNorm.
    /// </summary>
    Exact,

    /// <summary>
    /// factor = min(maxNorm / (norm + 1e-6), 1) in float32, as torch.nn.utils.clip_grad_norm_ computes it:
    /// a clipped norm ends slightly below maxNorm, and a norm within 1e-6 below maxNorm is scaled too.
    /// </summary>
    PyTorch,
}
