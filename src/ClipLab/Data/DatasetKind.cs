namespace ClipLab.Data;

/// <summary>The data sets that ClipLab trains and evaluates on; both use MNIST's IDX files and 28 x 28 greyscale images.</summary>
public enum DatasetKind
{
    /// <summary>Handwritten digits 0-9 (LeCun, Cortes and Burges).</summary>
    Mnist,

    /// <summary>Zalando's article images in 10 clothing classes, a drop-in replacement for MNIST.</summary>
    FashionMnist,
}
