using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ClipLab.Tests.TestSupport;

/// <summary>
/// Minimal HTTP/1.1 server on 127.0.0.1 for download tests: one GET per connection, served
/// by a callback that maps the request path to a response. Dispose stops it and ends stalled
/// responses.
/// </summary>
internal sealed class LoopbackHttpServer : IAsyncDisposable
{
    private const int MaxRequestHeadBytes = 16 * 1024;
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);

    private readonly TcpListener _listener;
    private readonly Func<string, Response> _respond;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentBag<Task> _connections = [];
    private readonly Task _acceptLoop;

    /// <summary>Starts listening on a free port of 127.0.0.1.</summary>
    /// <param name="respond">Maps a request path such as <c>/a/file.gz</c> to the response.</param>
    public LoopbackHttpServer(Func<string, Response> respond)
    {
        _respond = respond;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        BaseUri = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        _acceptLoop = AcceptLoopAsync();
    }

    /// <summary>Base URL of the server, ending with a slash.</summary>
    public Uri BaseUri { get; }

    /// <summary>Request paths received so far, in arrival order.</summary>
    public ConcurrentQueue<string> RequestedPaths { get; } = new();

    /// <summary>
    /// Returns a URL on 127.0.0.1 where nothing listens, so a connection is refused: the port
    /// was free a moment ago and is released again before the call returns.
    /// </summary>
    public static Uri UnusedLocalUri()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return new Uri($"http://127.0.0.1:{port}/");
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _acceptLoop.WaitAsync(StopTimeout);
        await Task.WhenAll(_connections).WaitAsync(StopTimeout);
        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _connections.Add(ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                NetworkStream stream = client.GetStream();
                string path = await ReadRequestPathAsync(stream, _stop.Token);
                RequestedPaths.Enqueue(path);
                Response response = _respond(path);

                string head =
                    $"HTTP/1.1 {response.StatusCode} {ReasonPhrase(response.StatusCode)}\r\n" +
                    $"Content-Length: {response.Body.Length}\r\n" +
                    "Content-Type: application/octet-stream\r\n" +
                    "Connection: close\r\n\r\n";
                await stream.WriteAsync(Encoding.ASCII.GetBytes(head), _stop.Token);
                int sentBytes = response.StallAfterBytes ?? response.Body.Length;
                await stream.WriteAsync(response.Body.AsMemory(0, sentBytes), _stop.Token);
                await stream.FlushAsync(_stop.Token);

                // a stalled response keeps the connection open without sending the rest
                if (response.StallAfterBytes is not null)
                {
                    await Task.Delay(Timeout.Infinite, _stop.Token);
                }
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or SocketException)
            {
                // The client closed the connection or the server is stopping.
            }
        }
    }

    private static async Task<string> ReadRequestPathAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var head = new MemoryStream();
        byte[] buffer = new byte[1024];
        while (!EndsWithBlankLine(head))
        {
            int read = await stream.ReadAsync(buffer, cancellationToken);
            if (read == 0 || head.Length + read > MaxRequestHeadBytes)
            {
                throw new IOException($"Incomplete or oversized request head after {head.Length} bytes.");
            }

            head.Write(buffer, 0, read);
        }

        // request line: GET /path HTTP/1.1
        string requestLine = Encoding.ASCII.GetString(head.GetBuffer(), 0, (int)head.Length).Split("\r\n")[0];
        return requestLine.Split(' ')[1];
    }

    private static bool EndsWithBlankLine(MemoryStream head) =>
        head.Length >= 4 && head.GetBuffer().AsSpan(0, (int)head.Length).EndsWith("\r\n\r\n"u8);

    private static string ReasonPhrase(int statusCode) => statusCode switch
    {
        200 => "OK",
        404 => "Not Found",
        500 => "Internal Server Error",
        _ => "Status",
    };

    /// <summary>A response to send.</summary>
    /// <param name="StatusCode">HTTP status code.</param>
    /// <param name="Body">Body, whose full length is announced in Content-Length.</param>
    /// <param name="StallAfterBytes">When set, only this many body bytes are sent and the connection then stays silent until the server stops.</param>
    internal sealed record Response(int StatusCode, byte[] Body, int? StallAfterBytes = null)
    {
        public static Response NotFound { get; } = new(404, "not found"u8.ToArray());

        public static Response Ok(byte[] body) => new(200, body);
    }
}
