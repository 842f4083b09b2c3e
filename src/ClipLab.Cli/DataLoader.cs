using ClipLab.Data;

namespace ClipLab.Cli;

/// <summary>Finds the data folder, downloads into the cache when the cache is chosen and incomplete, and loads the splits.</summary>
internal static class DataLoader
{
    /// <summary>Returns the loaded data set, or null after printing why it could not be loaded.</summary>
    public static MnistDataset? Load(string? optionDirectory, CancellationToken cancellationToken) =>
        Load(optionDirectory, DatasetDefinition.Mnist, cancellationToken);

    /// <summary>Returns the loaded data set <paramref name="dataset"/>, or null after printing why it could not be loaded.</summary>
    public static MnistDataset? Load(string? optionDirectory, DatasetDefinition dataset, CancellationToken cancellationToken) =>
        Load(optionDirectory, dataset, (directory, definition) => MnistDataset.Load(directory, definition), cancellationToken);

    /// <summary>Returns the test split of <paramref name="dataset"/>, which needs only its two test files, or null after printing why it could not be loaded.</summary>
    public static DataSplit? LoadTest(string? optionDirectory, DatasetDefinition dataset, CancellationToken cancellationToken) =>
        Load(optionDirectory, dataset, MnistDataset.LoadTest, cancellationToken);

    private static T? Load<T>(string? optionDirectory, DatasetDefinition dataset, Func<string, DatasetDefinition, T> read, CancellationToken cancellationToken)
        where T : class
    {
        DataDirectory directory;
        try
        {
            directory = new DataDirectoryResolver().Resolve(optionDirectory, dataset);
        }
        catch (InvalidOperationException error)
        {
            // no cache folder can be derived, for example for a user without a home folder
            Console.Error.WriteLine($"error: {error.Message}");
            return null;
        }

        Console.Out.WriteLine($"Data: {dataset.DisplayName} in {directory.Path} (from the {directory.Description})");

        if (directory.IsCache && dataset.Files.Any(file => MnistFiles.Find(directory.Path, file) is null))
        {
            if (!Download(directory.Path, dataset, cancellationToken))
            {
                return null;
            }
        }

        try
        {
            return read(directory.Path, dataset);
        }
        catch (FileNotFoundException error)
        {
            Console.Error.WriteLine($"error: {error.Message}");
            return null;
        }
    }

    private static bool Download(string directory, DatasetDefinition dataset, CancellationToken cancellationToken)
    {
        Console.Error.WriteLine($"Downloading {dataset.DisplayName} into {directory} ...");
        using var http = new HttpClient();
        var downloader = new MnistDownloader(http, dataset: dataset);
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
