using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using MimeKit;

namespace Kedja.Web.Tests.Mail;

/// <summary>
/// A real SMTP server for a test (tests/tools/smtp-sink.mjs on npm smtp-server) on 127.0.0.1: what it accepts, it
/// records; how it answers (<see cref="Mode"/>) can change midway: "accept", "refuse-451", "refuse-550" or "hang".
/// </summary>
public sealed class SmtpSink : IAsyncDisposable
{
    private readonly Process process;
    private readonly string folder;

    private SmtpSink(Process process, string folder, int port)
    {
        this.process = process;
        this.folder = folder;
        Port = port;
    }

    public int Port { get; }

    private string Received => Path.Combine(folder, "messages.jsonl");

    private string ModeFile => Path.Combine(folder, "mode.txt");

    public string Mode
    {
        set => File.WriteAllText(ModeFile, value);
    }

    public static async Task<SmtpSink> StartAsync(string mode = "accept")
    {
        var tools = await NodeTools.EnsureInstalledAsync();
        var folder = Path.Combine(Path.GetTempPath(), "kedja-tests", "smtp", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "mode.txt"), mode);
        var start = new ProcessStartInfo(NodeTools.Node!, [Path.Combine(tools, "smtp-sink.mjs"), "--out", Path.Combine(folder, "messages.jsonl"), "--mode-file", Path.Combine(folder, "mode.txt")])
        {
            WorkingDirectory = tools,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var process = Process.Start(start)!;
        var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
        if (line is null || !line.StartsWith("listening ", StringComparison.Ordinal))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"smtp-sink.mjs did not start: {line} {await process.StandardError.ReadToEndAsync()}");
        }

        return new SmtpSink(process, folder, int.Parse(line["listening ".Length..], CultureInfo.InvariantCulture));
    }

    /// <summary>The settings that send an app's mail here.</summary>
    public Dictionary<string, string?> Settings(string publicBaseUrl = "https://kedja.exempelkommun.se") => new()
    {
        ["Kedja:Mail:Smtp:Host"] = "127.0.0.1",
        ["Kedja:Mail:Smtp:Port"] = Port.ToString(CultureInfo.InvariantCulture),
        ["Kedja:Mail:Smtp:Security"] = "None",
        ["Kedja:Mail:PublicBaseUrl"] = publicBaseUrl,
        ["Kedja:Mail:From"] = "Kedja <kedja@exempelkommun.se>",
        ["Kedja:Mail:PollSeconds"] = "1",
    };

    /// <summary>Every message accepted so far, oldest first.</summary>
    public List<MimeMessage> Messages()
    {
        if (!File.Exists(Received))
        {
            return [];
        }

        using var stream = new FileStream(Received, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        var messages = new List<MimeMessage>();
        while (reader.ReadLine() is { Length: > 0 } line)
        {
            var raw = JsonDocument.Parse(line).RootElement.GetProperty("raw").GetString()!;
            messages.Add(MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(raw))));
        }

        return messages;
    }

    public List<MimeMessage> MessagesTo(string address) =>
        [.. Messages().Where(m => m.To.Mailboxes.Any(b => b.Address.Equals(address, StringComparison.OrdinalIgnoreCase)))];

    /// <summary>Waits until at least <paramref name="count"/> messages have come.</summary>
    public async Task<List<MimeMessage>> WaitForAsync(int count, int seconds = 30)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var messages = Messages();
            if (messages.Count >= count || DateTime.UtcNow > until)
            {
                messages.Count.ShouldBeGreaterThanOrEqualTo(count, $"the SMTP sink got {messages.Count} messages, not {count}");
                return messages;
            }

            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
        Directory.Delete(folder, recursive: true);
    }
}

/// <summary>A theory that needs Node.js (the SMTP sink); skipped with the reason without it, as <see cref="NodeFactAttribute"/>.</summary>
public sealed class NodeTheoryAttribute : TheoryAttribute
{
    public NodeTheoryAttribute()
    {
        if (NodeTools.Node is null || NodeTools.Npm is null)
        {
            Skip = NodeTools.Missing;
        }
    }
}
