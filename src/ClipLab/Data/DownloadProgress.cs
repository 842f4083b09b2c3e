namespace ClipLab.Data;

/// <summary>Progress of one file download.</summary>
/// <param name="FileName">Name of the file being downloaded, such as <c>train-images-idx3-ubyte.gz</c>.</param>
/// <param name="Url">URL being downloaded from.</param>
/// <param name="BytesReceived">Bytes received so far from this URL.</param>
/// <param name="TotalBytes">Length of the response body from its Content-Length header, or null when the server did not send one.</param>
public readonly record struct DownloadProgress(string FileName, Uri Url, long BytesReceived, long? TotalBytes);
