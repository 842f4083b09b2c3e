using ClipLab.Data;
using ClipLab.Tests.TestSupport;
using Response = ClipLab.Tests.TestSupport.LoopbackHttpServer.Response;

namespace ClipLab.Tests.Data;

/// <summary>Fashion-MNIST from Debian's package, and its download from a <see cref="LoopbackHttpServer"/> on 127.0.0.1.</summary>
public sealed class FashionMnistTests : IDisposable
{
    private readonly TemporaryDirectory _cache = new();
    private readonly HttpClient _httpClient = new(new SocketsHttpHandler { UseProxy = false });

    public void Dispose()
    {
        _httpClient.Dispose();
        _cache.Dispose();
    }

    [Fact]
    public void FashionMnistFiles_DebianPackageFiles_MatchCatalog()
    {
        foreach (MnistFile file in FashionMnistFiles.All)
        {
            string path = MnistFiles.Find(RealFashionMnist.Directory, file)!;

            Assert.Equal(file.Sha256, MnistFiles.ComputeSha256(path));
        }
    }

    [Fact]
    public void Load_FashionMnist_SplitsAsMnistIsSplit()
    {
        MnistDataset data = MnistDataset.Load(RealFashionMnist.Directory, DatasetDefinition.FashionMnist);

        Assert.Equal(55_000, data.Train.Count);
        Assert.Equal(5_000, data.Validation.Count);
        Assert.Equal(10_000, data.Test.Count);
        for (byte label = 0; label < 10; label++)
        {
            Assert.Equal(1_000, data.Test.Labels.Count(l => l == label));
        }
    }

    [Fact]
    public void Load_FashionMissingFiles_NamesPackage()
    {
        var error = Assert.Throws<FileNotFoundException>(() => MnistDataset.Load(_cache.Path, DatasetDefinition.FashionMnist));

        Assert.Contains("Fashion-MNIST files not found", error.Message);
        Assert.Contains("apt-get install dataset-fashion-mnist", error.Message);
    }

    [Fact]
    public async Task DownloadMissingAsync_FashionMnist_StoresVerifiedFiles()
    {
        await using var server = new LoopbackHttpServer(ServeFashionFiles);
        var downloader = new MnistDownloader(_httpClient, [new Uri(server.BaseUri, "fashion/")], dataset: DatasetDefinition.FashionMnist);

        IReadOnlyList<string> downloaded = await downloader.DownloadMissingAsync(_cache.Path);

        Assert.Equal(FashionMnistFiles.All.Select(file => Path.Combine(_cache.Path, file.FileName)), downloaded);
        foreach (MnistFile file in FashionMnistFiles.All)
        {
            Assert.Equal(file.Sha256, MnistFiles.ComputeSha256(Path.Combine(_cache.Path, file.FileName)));
        }

        Assert.Equal(10_000, MnistDataset.Load(_cache.Path, DatasetDefinition.FashionMnist).Test.Count);
    }

    [Fact]
    public async Task DownloadAsync_MnistServedForFashion_RejectsChecksum()
    {
        // MNIST's test labels have the length of Fashion-MNIST's, so only the checksum distinguishes them
        byte[] mnistLabels = File.ReadAllBytes(RealMnist.PathOf(MnistFiles.TestLabels));
        await using var server = new LoopbackHttpServer(_ => Response.Ok(mnistLabels));
        var downloader = new MnistDownloader(_httpClient, [server.BaseUri], dataset: DatasetDefinition.FashionMnist);

        var error = await Assert.ThrowsAsync<MnistDownloadException>(() => downloader.DownloadAsync(FashionMnistFiles.TestLabels, _cache.Path));

        Assert.Contains($"expected SHA-256 {FashionMnistFiles.TestLabels.Sha256}", error.Message);
        Assert.Contains("Copy the four Fashion-MNIST files", error.Message);
        Assert.Empty(_cache.FileNames());
    }

    [Fact]
    public void DefaultMirror_FashionMnist_IsThePublishedOne()
    {
        var downloader = new MnistDownloader(_httpClient, dataset: DatasetDefinition.FashionMnist);

        Assert.Equal([new Uri("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/")], downloader.Mirrors);
    }

    private static Response ServeFashionFiles(string path)
    {
        string fileName = path[(path.LastIndexOf('/') + 1)..];
        string file = Path.Combine(RealFashionMnist.Directory, fileName);
        return FashionMnistFiles.All.Any(f => f.FileName == fileName) ? Response.Ok(File.ReadAllBytes(file)) : Response.NotFound;
    }
}
