using System.Net;
using ClipLab.Data;
using ClipLab.Tests.TestSupport;
using Response = ClipLab.Tests.TestSupport.LoopbackHttpServer.Response;

namespace ClipLab.Tests.Data;

/// <summary>
/// Downloads from a <see cref="LoopbackHttpServer"/> on 127.0.0.1 that serves the real MNIST
/// gzip files from CLIPLAB_DATA, or broken variants of them.
/// </summary>
public sealed class MnistDownloaderTests : IDisposable
{
    private static readonly Lazy<Dictionary<string, byte[]>> RealGzipFiles = new(
        () => MnistFiles.All.ToDictionary(file => file.FileName, file => File.ReadAllBytes(Path.Combine(RealMnist.Directory, file.FileName))));

    private readonly TemporaryDirectory _cache = new();
    private readonly HttpClient _httpClient = new(new SocketsHttpHandler { UseProxy = false });

    public void Dispose()
    {
        _httpClient.Dispose();
        _cache.Dispose();
    }

    [Fact]
    public async Task DownloadMissingAsync_EmptyCache_StoresVerifiedFiles()
    {
        await using var server = new LoopbackHttpServer(ServeRealFiles);
        var downloader = new MnistDownloader(_httpClient, [new Uri(server.BaseUri, "mnist/")]);

        IReadOnlyList<string> downloaded = await downloader.DownloadMissingAsync(_cache.Path);

        Assert.Equal(MnistFiles.All.Select(file => Path.Combine(_cache.Path, file.FileName)), downloaded);
        Assert.Equal(MnistFiles.All.Select(file => file.FileName).Order(StringComparer.Ordinal), _cache.FileNames());
        foreach (MnistFile file in MnistFiles.All)
        {
            Assert.Equal(file.Sha256, MnistFiles.ComputeSha256(Path.Combine(_cache.Path, file.FileName)));
        }
    }

    [Fact]
    public async Task DownloadMissingAsync_EmptyCache_ReportsFullProgress()
    {
        await using var server = new LoopbackHttpServer(ServeRealFiles);
        var downloader = new MnistDownloader(_httpClient, [new Uri(server.BaseUri, "mnist/")]);
        var progress = new RecordingProgress();

        await downloader.DownloadMissingAsync(_cache.Path, progress);

        foreach (MnistFile file in MnistFiles.All)
        {
            DownloadProgress last = progress.Reports.Last(report => report.FileName == file.FileName);
            long servedLength = RealGzipFiles.Value[file.FileName].Length;
            Assert.Equal(servedLength, last.BytesReceived);
            Assert.Equal(servedLength, last.TotalBytes);
            Assert.Equal(new Uri(server.BaseUri, $"mnist/{file.FileName}"), last.Url);
        }
    }

    [Fact]
    public async Task DownloadMissingAsync_SomeFilesPresent_DownloadsOnlyMissing()
    {
        foreach (MnistFile file in new[] { MnistFiles.TrainImages, MnistFiles.TrainLabels, MnistFiles.TestImages })
        {
            File.WriteAllBytes(Path.Combine(_cache.Path, file.FileName), RealGzipFiles.Value[file.FileName]);
        }

        await using var server = new LoopbackHttpServer(ServeRealFiles);
        var downloader = new MnistDownloader(_httpClient, [server.BaseUri]);

        IReadOnlyList<string> downloaded = await downloader.DownloadMissingAsync(_cache.Path);

        Assert.Equal([Path.Combine(_cache.Path, MnistFiles.TestLabels.FileName)], downloaded);
        Assert.Equal(["/t10k-labels-idx1-ubyte.gz"], server.RequestedPaths);
    }

    [Theory]
    [InlineData("not gzip", "expected gzip data starting with bytes 1f 8b, found 3C68")]
    [InlineData("flipped byte", "expected valid gzip data, found corrupt data")]
    [InlineData("truncated", "expected 60008 bytes after decompression, found ")]
    [InlineData("wrong content", "expected SHA-256 ")]
    public async Task DownloadAsync_CorruptFile_RejectsAndLeavesNoFile(string corruption, string expectedError)
    {
        byte[] body = CorruptLabelFile(corruption);
        await using var server = new LoopbackHttpServer(_ => Response.Ok(body));
        var downloader = new MnistDownloader(_httpClient, [server.BaseUri]);

        var error = await Assert.ThrowsAsync<MnistDownloadException>(
            () => downloader.DownloadAsync(MnistFiles.TrainLabels, _cache.Path));

        Assert.Empty(_cache.FileNames());
        Assert.Contains(new Uri(server.BaseUri, MnistFiles.TrainLabels.FileName).ToString(), error.Message);
        Assert.Contains(expectedError, error.Message);
        Assert.Single(error.Failures);
    }

    [Fact]
    public async Task DownloadAsync_WrongChecksum_NamesBothChecksums()
    {
        byte[] body = CorruptLabelFile("wrong content");
        await using var server = new LoopbackHttpServer(_ => Response.Ok(body));
        var downloader = new MnistDownloader(_httpClient, [server.BaseUri]);

        var error = await Assert.ThrowsAsync<MnistDownloadException>(
            () => downloader.DownloadAsync(MnistFiles.TrainLabels, _cache.Path));

        Assert.Contains($"expected SHA-256 {MnistFiles.TrainLabels.Sha256}", error.Message);
        Assert.Contains("of the decompressed bytes, found ", error.Message);
    }

    [Fact]
    public async Task DownloadAsync_FirstMirrorNotFound_UsesSecond()
    {
        await using var server = new LoopbackHttpServer(
            path => path.StartsWith("/broken/", StringComparison.Ordinal) ? Response.NotFound : ServeRealFiles(path));
        var downloader = new MnistDownloader(_httpClient, [new Uri(server.BaseUri, "broken/"), new Uri(server.BaseUri, "good/")]);

        string path = await downloader.DownloadAsync(MnistFiles.TestLabels, _cache.Path);

        Assert.Equal(Path.Combine(_cache.Path, MnistFiles.TestLabels.FileName), path);
        Assert.Equal(MnistFiles.TestLabels.Sha256, MnistFiles.ComputeSha256(path));
        Assert.Equal(["/broken/t10k-labels-idx1-ubyte.gz", "/good/t10k-labels-idx1-ubyte.gz"], server.RequestedPaths);
        Assert.Equal([MnistFiles.TestLabels.FileName], _cache.FileNames());
    }

    [Fact]
    public async Task DownloadAsync_FirstMirrorRefusesConnection_UsesSecond()
    {
        await using var server = new LoopbackHttpServer(ServeRealFiles);
        var downloader = new MnistDownloader(_httpClient, [LoopbackHttpServer.UnusedLocalUri(), server.BaseUri]);

        string path = await downloader.DownloadAsync(MnistFiles.TestLabels, _cache.Path);

        Assert.Equal(MnistFiles.TestLabels.Sha256, MnistFiles.ComputeSha256(path));
        Assert.Equal([MnistFiles.TestLabels.FileName], _cache.FileNames());
    }

    [Fact]
    public async Task DownloadAsync_FirstMirrorStalls_TimesOutAndUsesSecond()
    {
        byte[] body = RealGzipFiles.Value[MnistFiles.TestLabels.FileName];
        await using var server = new LoopbackHttpServer(
            path => path.StartsWith("/stalled/", StringComparison.Ordinal) ? new Response(200, body, StallAfterBytes: 100) : Response.Ok(body));
        var downloader = new MnistDownloader(
            _httpClient, [new Uri(server.BaseUri, "stalled/"), new Uri(server.BaseUri, "good/")], idleTimeout: TimeSpan.FromMilliseconds(500));

        string path = await downloader.DownloadAsync(MnistFiles.TestLabels, _cache.Path);

        Assert.Equal(MnistFiles.TestLabels.Sha256, MnistFiles.ComputeSha256(path));
        Assert.Equal([MnistFiles.TestLabels.FileName], _cache.FileNames());
    }

    [Fact]
    public async Task DownloadAsync_AllMirrorsFail_ThrowsListingEachUrl()
    {
        await using var server = new LoopbackHttpServer(_ => Response.NotFound);
        Uri refusing = LoopbackHttpServer.UnusedLocalUri();
        var downloader = new MnistDownloader(_httpClient, [server.BaseUri, refusing]);

        var error = await Assert.ThrowsAsync<MnistDownloadException>(
            () => downloader.DownloadAsync(MnistFiles.TestLabels, _cache.Path));

        Assert.Contains($"{new Uri(server.BaseUri, "t10k-labels-idx1-ubyte.gz")}: HTTP status 404 (Not Found).", error.Message);
        Assert.Contains($"{new Uri(refusing, "t10k-labels-idx1-ubyte.gz")}: ", error.Message);
        Assert.Contains(_cache.Path, error.Message);
        Assert.Contains("--data DIR", error.Message);
        Assert.Contains("CLIPLAB_DATA", error.Message);
        Assert.Equal(HttpStatusCode.NotFound, Assert.IsType<HttpRequestException>(error.Failures[0].Value).StatusCode);
        Assert.IsType<HttpRequestException>(error.Failures[1].Value);
        Assert.Empty(_cache.FileNames());
    }

    [Fact]
    public async Task DownloadAsync_Cancelled_ThrowsAndRemovesTemporaryFile()
    {
        byte[] body = RealGzipFiles.Value[MnistFiles.TrainLabels.FileName];
        await using var server = new LoopbackHttpServer(_ => new Response(200, body, StallAfterBytes: body.Length / 2));
        var downloader = new MnistDownloader(_httpClient, [server.BaseUri]);
        using var cancellation = new CancellationTokenSource();
        bool temporaryFileSeen = false;
        var progress = new RecordingProgress(report =>
        {
            if (report.BytesReceived > 0)
            {
                temporaryFileSeen |= _cache.FileNames().Length > 0;
                cancellation.Cancel();
            }
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => downloader.DownloadAsync(MnistFiles.TrainLabels, _cache.Path, progress, cancellation.Token));

        Assert.True(temporaryFileSeen, "no temporary file existed while the download ran");
        Assert.Empty(_cache.FileNames());
    }

    [Fact]
    public void Constructor_MirrorWithoutTrailingSlash_Throws()
    {
        var error = Assert.Throws<ArgumentException>(
            () => new MnistDownloader(_httpClient, [new Uri("http://127.0.0.1:1/mnist")]));

        Assert.Contains("ending with '/'", error.Message);
        Assert.Contains("http://127.0.0.1:1/mnist", error.Message);
    }

    [Fact]
    public void Constructor_NoMirrors_Throws()
    {
        Assert.Throws<ArgumentException>(() => new MnistDownloader(_httpClient, []));
    }

    [Fact]
    public void DefaultMirrors_AreThePublicMirrorsInOrder()
    {
        var downloader = new MnistDownloader(_httpClient);

        Assert.Equal(
            [new Uri("https://ossci-datasets.s3.amazonaws.com/mnist/"), new Uri("https://storage.googleapis.com/cvdf-datasets/mnist/")],
            downloader.Mirrors);
    }

    private static Response ServeRealFiles(string path)
    {
        string fileName = path[(path.LastIndexOf('/') + 1)..];
        return RealGzipFiles.Value.TryGetValue(fileName, out byte[]? body) ? Response.Ok(body) : Response.NotFound;
    }

    /// <summary>Returns a broken variant of the training-label gzip file.</summary>
    private static byte[] CorruptLabelFile(string corruption)
    {
        byte[] real = RealGzipFiles.Value[MnistFiles.TrainLabels.FileName];
        switch (corruption)
        {
            case "not gzip":
                return "<html><body>Access denied</body></html>"u8.ToArray();
            case "flipped byte":
                byte[] flipped = (byte[])real.Clone();
                flipped[flipped.Length / 2] ^= 0xFF;
                return flipped;
            case "truncated":
                return real[..(real.Length / 2)];
            case "wrong content":
                // valid gzip of a well-formed label file of the right length, so only the checksum differs
                return IdxTestFiles.Gzip(IdxTestFiles.LabelFile(IdxTestFiles.CyclicLabels(MnistFiles.TrainingCount)));
            default:
                throw new ArgumentOutOfRangeException(nameof(corruption), corruption, "Unknown corruption.");
        }
    }

    /// <summary>Records every report synchronously, unlike <see cref="Progress{T}"/>, which posts them later.</summary>
    private sealed class RecordingProgress(Action<DownloadProgress>? onReport = null) : IProgress<DownloadProgress>
    {
        public List<DownloadProgress> Reports { get; } = [];

        public void Report(DownloadProgress value)
        {
            Reports.Add(value);
            onReport?.Invoke(value);
        }
    }
}
