namespace ClipLab.Data;

/// <summary>
/// Description of one data set: its command-line name, its files and their checksums, its class
/// names, where to download it, and where a system package installs it.
/// </summary>
/// <param name="Kind">Which data set this is.</param>
/// <param name="Id">Name on the command line, in checkpoints and in the cache folder: "mnist" or "fashion-mnist".</param>
/// <param name="DisplayName">Name in messages and reports: "MNIST" or "Fashion-MNIST".</param>
/// <param name="Files">The four IDX files in the order training images, training labels, test images, test labels.</param>
/// <param name="ClassNames">Name of each class, indexed by label 0-9.</param>
/// <param name="Mirrors">Base URLs to download the files from, tried in order, each ending with '/'.</param>
/// <param name="SystemDirectory">Folder where a system package installs the files, or null when there is none.</param>
/// <param name="SupplyHint">How a user supplies missing files, for error messages.</param>
public sealed record DatasetDefinition(
    DatasetKind Kind,
    string Id,
    string DisplayName,
    IReadOnlyList<MnistFile> Files,
    IReadOnlyList<string> ClassNames,
    IReadOnlyList<Uri> Mirrors,
    string? SystemDirectory,
    string SupplyHint)
{
    /// <summary>MNIST: handwritten digits, class names "0" to "9".</summary>
    public static DatasetDefinition Mnist { get; } = new(
        DatasetKind.Mnist,
        "mnist",
        "MNIST",
        MnistFiles.All,
        ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"],
        MnistDownloader.DefaultMirrors,
        SystemDirectory: null,
        MnistFiles.SupplyHint);

    /// <summary>
    /// Fashion-MNIST: 10 clothing classes. Debian's package dataset-fashion-mnist installs the
    /// files into /usr/share/datasets/fashion-mnist; the download mirror is the one the
    /// Fashion-MNIST README names.
    /// </summary>
    public static DatasetDefinition FashionMnist { get; } = new(
        DatasetKind.FashionMnist,
        "fashion-mnist",
        "Fashion-MNIST",
        FashionMnistFiles.All,
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"],
        [new Uri("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/")],
        "/usr/share/datasets/fashion-mnist",
        "Pass --data DIR with a directory that contains the four Fashion-MNIST files (gzip-compressed or not), " +
        "install them with 'apt-get install dataset-fashion-mnist' on Debian or Ubuntu, " +
        "or leave both out so that ClipLab downloads them into its cache directory.");

    /// <summary>Every known data set, MNIST first.</summary>
    public static IReadOnlyList<DatasetDefinition> All { get; } = [Mnist, FashionMnist];

    /// <summary>Returns the definition of <paramref name="kind"/>.</summary>
    /// <param name="kind">The data set.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="kind"/> is not a defined value.</exception>
    public static DatasetDefinition Get(DatasetKind kind) => kind switch
    {
        DatasetKind.Mnist => Mnist,
        DatasetKind.FashionMnist => FashionMnist,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Expected Mnist or FashionMnist."),
    };

    /// <summary>Returns the definition whose <see cref="Id"/> is <paramref name="id"/>, ignoring case, or null when there is none.</summary>
    /// <param name="id">A name such as "mnist" or "fashion-mnist".</param>
    public static DatasetDefinition? Find(string? id) =>
        All.FirstOrDefault(dataset => string.Equals(dataset.Id, id, StringComparison.OrdinalIgnoreCase));
}
