namespace ClipLab.Data;

/// <summary>
/// One file of the MNIST distribution: its published name and the SHA-256 and length of its
/// decompressed IDX bytes.
/// </summary>
/// <param name="FileName">Published, gzip-compressed file name, such as <c>train-images-idx3-ubyte.gz</c>.</param>
/// <param name="Sha256">SHA-256 of the decompressed IDX bytes as 64 lowercase hexadecimal digits.</param>
/// <param name="DecompressedLength">Length of the decompressed IDX bytes: header plus elements.</param>
/// <remarks>
/// The checksum covers the decompressed bytes because the gzip wrappers differ between mirrors
/// (the gzip header stores a file name and a time stamp).
/// </remarks>
public sealed record MnistFile(string FileName, string Sha256, int DecompressedLength)
{
    private const string GzipExtension = ".gz";

    /// <summary>File name of the uncompressed IDX file: <see cref="FileName"/> without <c>.gz</c>.</summary>
    public string UncompressedFileName =>
        FileName.EndsWith(GzipExtension, StringComparison.Ordinal) ? FileName[..^GzipExtension.Length] : FileName;
}
