using ClipLab.Data;

namespace ClipLab.Cli;

/// <summary>Finds the MNIST folder, downloads into the cache when the cache is chosen and incomplete, and loads the splits.</summary>
internal static class DataLoader
{
    /// <summary>Returns the loaded data set, or null after printing why it could not be loaded.</summary>
    public static MnistDataset? Load(string? optionDirectory, CancellationToken cancellationToken)
    {
        DataDirectory directory = new DataDirectoryResolver().Resolve(optionDirectory);
        Console.Out.WriteLine($"Data: {directory.Path} (from the {directory.Description})");

        if (directory.IsCache && MnistFiles.FindMissing(directory.Path).Count > 0)
        {
            if (!Download(directory.Path, cancellationToken))
            {
                return null;
            }
        }

        try
        {
            return MnistDataset.Load(directory.Path);
        }
        catch (FileNotFoundException error)
        {
            Console.Error.WriteLine($"error: {error.Message}");
            return null;
        }
    }

    private static bool Download(string directory, CancellationToken cancellationToken)
    {
        Console.Error.WriteLine($"Downloading MNIST into {directory} ...");
        using var http = new HttpClient();
        var downloader = new MnistDownloader(http);
        try
        {
            var progress = new Progress<DownloadProgress>(p =>
            {
                string total = p.TotalBytes is long t ? $" of {t / 1024} KiB" : "";
                Console.Error.Write($"\r{p.FileName}: {p.BytesReceived / 1024} KiB{total}   ");
            });
            downloader.DownloadMissingAsync(directory, progress, cancellationToken).GetAwaiter().GetResult();
            Console.Error.WriteLine();
            return true;
        }
        catch (MnistDownloadException error)
        {
            Console.Error.WriteLine();
            Console.Error.WriteLine($"error: {error.Message}");
            return false;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine();
            Console.Error.WriteLine("error: the download was interrupted; no partial file was kept.");
            return false;
        }
    }
}
