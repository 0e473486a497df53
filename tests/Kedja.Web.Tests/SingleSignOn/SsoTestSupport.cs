using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;

namespace Kedja.Web.Tests.SingleSignOn;

/// <summary>What the sign-in settings' tests share: requests, a form sign-in, a log that keeps every message, a tiny discovery server.</summary>
internal static class SsoTestSupport
{
    public const string TypedSecret = "Hemlig-sträng-9f2c1e77-ÅÄÖ";

    public static async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpClient client, HttpMethod method, string url, object? body = null)
    {
        using var request = new HttpRequestMessage(method, url) { Content = body is null ? null : JsonContent.Create(body) };
        var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    public static Task<string> TokenAsync(HttpClient client, string url) => KedjaApp.AntiforgeryTokenAsync(client, url);

    /// <summary>An input's value as the page wrote it ("" for none).</summary>
    public static string Input(string html, string name)
    {
        var tag = Regex.Match(html, $"<input[^>]*name=\"{name}\"[^>]*>").Value;
        return WebUtility.HtmlDecode(Regex.Match(tag, "value=\"([^\"]*)\"").Groups[1].Value);
    }

    public static string Textarea(string html, string name) =>
        WebUtility.HtmlDecode(Regex.Match(html, $"<textarea[^>]*name=\"{name}\"[^>]*>([^<]*)</textarea>").Groups[1].Value);
}

/// <summary>Keeps every log message the app writes, to prove a secret is in none.</summary>
internal sealed class LogCapture : ILoggerProvider
{
    public ConcurrentQueue<string> Messages { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(LogCapture owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Messages.Enqueue($"{category}: {formatter(state, exception)} {exception}");
    }
}

/// <summary>
/// An HTTP server on 127.0.0.1 that answers each path as told, for the connection test: a discovery document, a redirect,
/// an endless answer. Counts the requests it got.
/// </summary>
internal sealed class FakeDiscovery : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;

    public FakeDiscovery()
    {
        listener.Start();
        loop = Task.Run(ServeAsync);
    }

    public string Root => $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";

    /// <summary>The raw answer (status line, headers, body) for a path.</summary>
    public ConcurrentDictionary<string, byte[]> Answers { get; } = new();

    public ConcurrentQueue<string> Requests { get; } = new();

    public void Json(string path, object document) => Answer(path, "200 OK", "application/json", JsonSerializer.Serialize(document));

    public void Answer(string path, string status, string contentType, string body, string extraHeaders = "")
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        Answers[path] = [.. Encoding.ASCII.GetBytes($"HTTP/1.1 {status}\r\nContent-Type: {contentType}\r\nContent-Length: {bytes.Length}\r\n{extraHeaders}Connection: close\r\n\r\n"), .. bytes];
    }

    private async Task ServeAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            _ = Task.Run(async () =>
            {
                using (client)
                {
                    var stream = client.GetStream();
                    var buffer = new byte[8192];
                    var read = await stream.ReadAsync(buffer);
                    var line = Encoding.ASCII.GetString(buffer, 0, read).Split("\r\n")[0];
                    var path = line.Split(' ') is [_, var p, ..] ? p : "";
                    Requests.Enqueue(path);
                    var answer = Answers.TryGetValue(path, out var bytes) ? bytes : Encoding.ASCII.GetBytes("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                    try
                    {
                        await stream.WriteAsync(answer);
                    }
                    catch (IOException)
                    {
                        // The client stopped reading a capped answer.
                    }
                }
            });
        }
    }

    private bool disposed;

    public async ValueTask DisposeAsync()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        await stop.CancelAsync();
        listener.Stop();
        await loop;
        stop.Dispose();
    }
}
