namespace ClipLab.Data;

/// <summary>An image converted to the form of the training data, ready for LeNet-5.</summary>
/// <param name="Pixels">The 28 x 28 greyscale image, row-major, 0 (background) to 255 (ink), as an IDX file stores it.</param>
/// <param name="Input">The network input, shape [1, 32, 32] row-major: <paramref name="Pixels"/> / 255, zero-padded by 2 on every side.</param>
/// <param name="Inverted">True when the source had a light background and was inverted.</param>
public sealed record PreprocessedImage(byte[] Pixels, float[] Input, bool Inverted);
