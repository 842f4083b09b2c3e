using System.Security.Cryptography;

namespace ClipLab.Data;

/// <summary>
/// Downloads the files of MNIST, or of another data set in MNIST's format, from public mirrors,
/// tried in order, and verifies each against the SHA-256 of its decompressed bytes in the
/// catalog (<see cref="MnistFiles"/>, <see cref="FashionMnistFiles"/>).
/// </summary>
/// <remarks>
/// Each download goes to a temporary file in the target directory. Only after the gzip data
/// decompresses to the expected length and checksum is it renamed to its final name, so a
/// failed, corrupt or cancelled download never leaves a file under a name that
/// <see cref="MnistFiles.Find"/> or <see cref="MnistDataset.Load(string, int)"/> would use. On any failure
/// the temporary file is deleted and the next mirror is tried.
/// </remarks>
public sealed class MnistDownloader
{
    /// <summary>Default time without any data from a mirror after which it counts as failed: 30 seconds.</summary>
    public static readonly TimeSpan DefaultIdleTimeout = TimeSpan.FromSeconds(30);

    private const int CopyBufferBytes = 1 << 16;
    private const string TemporaryExtension = ".tmp";

    private readonly HttpClient _httpClient;
    private readonly TimeSpan _idleTimeout;

    /// <summary>Creates a downloader.</summary>
    /// <param name="httpClient">Client for the requests. The caller owns and disposes it.</param>
    /// <param name="mirrors">
    /// Base URLs tried in order, each ending with a slash, to which the file name is appended.
    /// Null selects the mirrors of <paramref name="dataset"/>, for MNIST <see cref="DefaultMirrors"/>.
    /// </param>
    /// <param name="idleTimeout">
    /// Time without any data (connection, headers or body) after which a mirror counts as
    /// failed. Null selects <see cref="DefaultIdleTimeout"/>.
    /// </param>
    /// <exception cref="ArgumentNullException"><paramref name="httpClient"/> is null.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="mirrors"/> is empty, or a mirror is not an absolute http or https URL
    /// ending with a slash.
    /// </exception>
    /// <param name="dataset">Data set whose files are downloaded; null selects <see cref="DatasetDefinition.Mnist"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="idleTimeout"/> is zero or negative.</exception>
    public MnistDownloader(HttpClient httpClient, IEnumerable<Uri>? mirrors = null, TimeSpan? idleTimeout = null, DatasetDefinition? dataset = null)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        Dataset = dataset ?? DatasetDefinition.Mnist;
        Uri[] mirrorList = (mirrors ?? Dataset.Mirrors).ToArray();
        if (mirrorList.Length == 0)
        {
            throw new ArgumentException("Expected at least one mirror URL, found none.", nameof(mirrors));
        }

        foreach (Uri mirror in mirrorList)
        {
            bool isHttp = mirror.IsAbsoluteUri && (mirror.Scheme == Uri.UriSchemeHttp || mirror.Scheme == Uri.UriSchemeHttps);
            if (!isHttp || !mirror.AbsolutePath.EndsWith('/'))
            {
                throw new ArgumentException(
                    $"Expected each mirror to be an absolute http or https URL ending with '/', found '{mirror}'.", nameof(mirrors));
            }
        }

        TimeSpan timeout = idleTimeout ?? DefaultIdleTimeout;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero, nameof(idleTimeout));

        _httpClient = httpClient;
        _idleTimeout = timeout;
        Mirrors = mirrorList;
    }

    /// <summary>The public mirrors of the MNIST files, in the order they are tried.</summary>
    public static IReadOnlyList<Uri> DefaultMirrors { get; } =
    [
        new Uri("https://ossci-datasets.s3.amazonaws.com/mnist/"),
        new Uri("https://storage.googleapis.com/cvdf-datasets/mnist/"),
    ];

    /// <summary>Base URLs this downloader tries, in order.</summary>
    public IReadOnlyList<Uri> Mirrors { get; }

    /// <summary>Data set whose files <see cref="DownloadMissingAsync"/> downloads.</summary>
    public DatasetDefinition Dataset { get; }

    /// <summary>
    /// Downloads each file of <see cref="Dataset"/> that <see cref="MnistFiles.Find"/>
    /// does not find in <paramref name="directory"/>, creating the directory if needed.
    /// </summary>
    /// <param name="directory">Directory to store the files in, normally the cache directory.</param>
    /// <param name="progress">Receives progress while each file downloads, or null.</param>
    /// <param name="cancellationToken">Cancels the download and deletes its temporary file.</param>
    /// <returns>Paths of the files downloaded, empty when none was missing.</returns>
    /// <exception cref="ArgumentException"><paramref name="directory"/> is null or empty.</exception>
    /// <exception cref="MnistDownloadException">A file failed to download or verify from every mirror.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="IOException">The directory cannot be created.</exception>
    public async Task<IReadOnlyList<string>> DownloadMissingAsync(
        string directory, IProgress<DownloadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);

        var downloaded = new List<string>();
        foreach (MnistFile file in Dataset.Files.Where(file => MnistFiles.Find(directory, file) is null))
        {
            downloaded.Add(await DownloadAsync(file, directory, progress, cancellationToken).ConfigureAwait(false));
        }

        return downloaded;
    }

    /// <summary>
    /// Downloads <paramref name="file"/> into <paramref name="directory"/> from the first mirror
    /// that delivers verified data, replacing a file of the same name.
    /// </summary>
    /// <param name="file">File to download, stored under its gzip-compressed name.</param>
    /// <param name="directory">Directory to store the file in, created if needed.</param>
    /// <param name="progress">Receives progress while the file downloads, or null.</param>
    /// <param name="cancellationToken">Cancels the download and deletes its temporary file.</param>
    /// <returns>Path of the stored file: <paramref name="directory"/> joined with <see cref="MnistFile.FileName"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="file"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="directory"/> is null or empty.</exception>
    /// <exception cref="MnistDownloadException">
    /// Every mirror failed: an HTTP error, a connection failure, no data for the idle timeout,
    /// data that is not gzip or is corrupt, or a wrong length or checksum after decompression.
    /// </exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="IOException">The directory cannot be created.</exception>
    public async Task<string> DownloadAsync(
        MnistFile file, string directory, IProgress<DownloadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentException.ThrowIfNullOrEmpty(directory);

        Directory.CreateDirectory(directory);
        string finalPath = Path.Combine(directory, file.FileName);
        var failures = new List<KeyValuePair<Uri, Exception>>();
        foreach (Uri mirror in Mirrors)
        {
            var url = new Uri(mirror, file.FileName);

            // The random part keeps concurrent downloads from sharing a temporary file.
            string temporaryPath = Path.Combine(directory, $"{file.FileName}.{Guid.NewGuid():N}{TemporaryExtension}");
            try
            {
                await DownloadToFileAsync(url, file, temporaryPath, progress, cancellationToken).ConfigureAwait(false);
                Verify(temporaryPath, file);
                File.Move(temporaryPath, finalPath, overwrite: true);
                return finalPath;
            }
            catch (Exception e) when (IsMirrorFailure(e, cancellationToken))
            {
                failures.Add(new KeyValuePair<Uri, Exception>(url, e));
            }
            finally
            {
                DeleteIfPresent(temporaryPath);
            }
        }

        throw new MnistDownloadException(file.FileName, directory, failures, Dataset.DisplayName);
    }

    private async Task DownloadToFileAsync(
        Uri url, MnistFile file, string temporaryPath, IProgress<DownloadProgress>? progress, CancellationToken cancellationToken)
    {
        // The idle timer restarts before every await that waits for the network, so it bounds
        // silence, not the length of the whole download.
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            idle.CancelAfter(_idleTimeout);
            using HttpResponseMessage response = await _httpClient
                .GetAsync(url, HttpCompletionOption.ResponseHeadersRead, idle.Token)
                .ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new HttpRequestException(
                    $"HTTP status {(int)response.StatusCode} ({response.ReasonPhrase}).", null, response.StatusCode);
            }

            long? totalBytes = response.Content.Headers.ContentLength;
            if (totalBytes > IdxReader.MaxFileBytes)
            {
                throw new InvalidDataException(
                    $"expected at most {IdxReader.MaxFileBytes} bytes, but the Content-Length header announces {totalBytes}.");
            }

            Stream body = await response.Content.ReadAsStreamAsync(idle.Token).ConfigureAwait(false);
            await using (body.ConfigureAwait(false))
            {
                var output = new FileStream(temporaryPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, CopyBufferBytes, useAsync: true);
                await using (output.ConfigureAwait(false))
                {
                    byte[] buffer = new byte[CopyBufferBytes];
                    long received = 0;
                    progress?.Report(new DownloadProgress(file.FileName, url, received, totalBytes));
                    while (true)
                    {
                        idle.CancelAfter(_idleTimeout);
                        int read = await body.ReadAsync(buffer, idle.Token).ConfigureAwait(false);
                        if (read == 0)
                        {
                            break;
                        }

                        received += read;
                        if (received > IdxReader.MaxFileBytes)
                        {
                            throw new InvalidDataException($"expected at most {IdxReader.MaxFileBytes} bytes, received more.");
                        }

                        await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                        progress?.Report(new DownloadProgress(file.FileName, url, received, totalBytes));
                    }
                }
            }
        }
        catch (OperationCanceledException e) when (idle.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"no data received for {_idleTimeout.TotalSeconds:0.###} s.", e);
        }
    }

    /// <summary>Checks that the temporary file is gzip data whose decompressed bytes match the catalog.</summary>
    private static void Verify(string temporaryPath, MnistFile file)
    {
        // gzip magic: the stored name ends with .gz, so raw or HTML content is rejected here
        Span<byte> magic = stackalloc byte[2];
        using (var stream = File.OpenRead(temporaryPath))
        {
            int length = stream.ReadAtLeast(magic, magic.Length, throwOnEndOfStream: false);
            if (!GzipOrRawFile.StartsWithGzipMagic(magic[..length]))
            {
                throw new InvalidDataException(
                    $"expected gzip data starting with bytes 1f 8b, found {Convert.ToHexString(magic[..length])}.");
            }
        }

        // decompressed length, bounded by the catalog so a gzip bomb stops early
        ArraySegment<byte> content = GzipOrRawFile.ReadAll(temporaryPath, file.DecompressedLength);
        if (content.Count != file.DecompressedLength)
        {
            throw new InvalidDataException(
                $"expected {file.DecompressedLength} bytes after decompression, found {content.Count}.");
        }

        // checksum
        string sha256 = Convert.ToHexStringLower(SHA256.HashData(content));
        if (sha256 != file.Sha256)
        {
            throw new InvalidDataException($"expected SHA-256 {file.Sha256} of the decompressed bytes, found {sha256}.");
        }
    }

    /// <summary>Returns true for errors after which the next mirror may succeed, and false for the caller's cancellation.</summary>
    private static bool IsMirrorFailure(Exception e, CancellationToken cancellationToken) => e switch
    {
        OperationCanceledException => !cancellationToken.IsCancellationRequested,
        HttpRequestException or IOException or InvalidDataException or TimeoutException or UnauthorizedAccessException => true,
        _ => false,
    };

    private static void DeleteIfPresent(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A leftover temporary file is harmless: no reader opens a name ending in .tmp.
        }
    }
}
