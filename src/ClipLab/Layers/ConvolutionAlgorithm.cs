namespace ClipLab.Layers;

/// <summary>How <see cref="Conv2d"/> computes a forward pass and the weight gradient.</summary>
public enum ConvolutionAlgorithm
{
    /// <summary>Windows unfolded into columns, then one matrix product per group of items: any shape.</summary>
    Unfolded,

    /// <summary>Register tiles reading a padded copy of each item in place: stride 1 and wide output rows.</summary>
    Direct,

    /// <summary>Eight items in the lanes of every vector: stride 1, at least 4 output channels and 5 output columns.</summary>
    Interleaved,
}
