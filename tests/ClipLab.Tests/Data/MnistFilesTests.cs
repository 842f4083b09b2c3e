using ClipLab.Data;
using ClipLab.Tests.TestSupport;

namespace ClipLab.Tests.Data;

public sealed class MnistFilesTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Catalog_Names_AreThePublishedNames()
    {
        string[] names = MnistFiles.All.Select(file => file.FileName).ToArray();

        Assert.Equal(
            ["train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"],
            names);
    }

    [Fact]
    public void Catalog_DecompressedLengths_FollowFromCounts()
    {
        Assert.Equal(47_040_016, MnistFiles.TrainImages.DecompressedLength);
        Assert.Equal(60_008, MnistFiles.TrainLabels.DecompressedLength);
        Assert.Equal(7_840_016, MnistFiles.TestImages.DecompressedLength);
        Assert.Equal(10_008, MnistFiles.TestLabels.DecompressedLength);
    }

    [Fact]
    public void UncompressedFileName_DropsGzipExtension()
    {
        Assert.Equal("t10k-images-idx3-ubyte", MnistFiles.TestImages.UncompressedFileName);
    }

    [Fact]
    public void Find_BothNamesPresent_PrefersGzip()
    {
        IdxTestFiles.Write(_directory.Path, "train-labels-idx1-ubyte", IdxTestFiles.LabelFile(1));
        string gzipPath = IdxTestFiles.Write(_directory.Path, "train-labels-idx1-ubyte.gz", IdxTestFiles.Gzip(IdxTestFiles.LabelFile(1)));

        string? found = MnistFiles.Find(_directory.Path, MnistFiles.TrainLabels);

        Assert.Equal(gzipPath, found);
    }

    [Fact]
    public void Find_OnlyUncompressedPresent_ReturnsIt()
    {
        string rawPath = IdxTestFiles.Write(_directory.Path, "train-labels-idx1-ubyte", IdxTestFiles.LabelFile(1));

        string? found = MnistFiles.Find(_directory.Path, MnistFiles.TrainLabels);

        Assert.Equal(rawPath, found);
    }

    [Fact]
    public void Find_Absent_ReturnsNull()
    {
        string? found = MnistFiles.Find(_directory.Path, MnistFiles.TrainLabels);

        Assert.Null(found);
    }

    [Fact]
    public void FindMissing_TwoPresent_ReturnsTheOtherTwo()
    {
        IdxTestFiles.Write(_directory.Path, "train-images-idx3-ubyte.gz", []);
        IdxTestFiles.Write(_directory.Path, "t10k-labels-idx1-ubyte", []);

        IReadOnlyList<MnistFile> missing = MnistFiles.FindMissing(_directory.Path);

        Assert.Equal([MnistFiles.TrainLabels, MnistFiles.TestImages], missing);
    }

    [Fact]
    public void ComputeSha256_GzipAndRaw_HashDecompressedBytes()
    {
        byte[] raw = IdxTestFiles.LabelFile(1, 2, 3);
        string rawPath = IdxTestFiles.Write(_directory.Path, "labels", raw);
        string gzipPath = IdxTestFiles.Write(_directory.Path, "labels.gz", IdxTestFiles.Gzip(raw));
        string expected = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(raw));

        Assert.Equal(expected, MnistFiles.ComputeSha256(rawPath));
        Assert.Equal(expected, MnistFiles.ComputeSha256(gzipPath));
    }
}
