using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using MimeKit;

namespace Kedja.Web.Tests;

public class MailTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task With_an_smtp_server_configured_mail_is_sent_through_it_in_swedish_with_a_link_to_the_public_address(string provider)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var received = ReceiveOneAsync(listener);
        await using var app = await KedjaApp.StartAsync(provider, settings: new Dictionary<string, string?>
        {
            ["Kedja:Mail:Smtp:Host"] = "127.0.0.1",
            ["Kedja:Mail:Smtp:Port"] = ((IPEndPoint)listener.LocalEndpoint).Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Kedja:Mail:Smtp:Security"] = "None",
            ["Kedja:Mail:PublicBaseUrl"] = "https://kedja.exempelkommun.se/",
            ["Kedja:Mail:From"] = "Kedja <kedja@exempelkommun.se>",
        });

        (await app.CreateClient().PostAsJsonAsync("/api/v1/auth/password/forgot", new { email = KedjaApp.AdminEmail })).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var mail = await received.WaitAsync(TimeSpan.FromSeconds(30));

        mail.To.Mailboxes.Single().Address.ShouldBe(KedjaApp.AdminEmail);
        mail.From.Mailboxes.Single().Address.ShouldBe("kedja@exempelkommun.se");
        mail.Subject.ShouldBe("Nytt lösenord till Kedja");
        mail.TextBody!.ShouldContain("Välj ett nytt lösenord här:");
        mail.TextBody!.ShouldContain("https://kedja.exempelkommun.se/konto/losenord?kod=");
        KedjaApp.LinkSecret(mail).Length.ShouldBeGreaterThan(40);
        Directory.Exists(app.MailDirectory).ShouldBeFalse();
    }

    [Fact]
    public async Task A_mail_written_to_the_folder_declares_its_transfer_encoding_for_the_swedish_letters()
    {
        await using var app = await KedjaApp.StartAsync(nameof(Kedja.Data.DatabaseProvider.Sqlite));
        (await app.CreateClient().PostAsJsonAsync("/api/v1/auth/password/forgot", new { email = KedjaApp.AdminEmail })).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        (await app.WaitForMailsAsync(KedjaApp.AdminEmail)).Single().TextBody!.ShouldContain("Välj ett nytt lösenord här:");

        var raw = await File.ReadAllTextAsync(Directory.GetFiles(app.MailDirectory, "*.eml").Single(), Encoding.UTF8);
        var headers = raw[..System.Text.RegularExpressions.Regex.Match(raw, "\r?\n\r?\n").Index];
        headers.ShouldContain("Content-Transfer-Encoding: 8bit", Case.Insensitive, "without it the part is 7-bit by definition (RFC 2045), and the body is not");
        raw.ShouldContain("Välj ett nytt lösenord här:", Case.Sensitive, "still readable in a text editor");
    }

    /// <summary>Just enough of an SMTP server for one message (RFC 5321 without extensions).</summary>
    private static async Task<MimeMessage> ReceiveOneAsync(TcpListener listener)
    {
        using var client = await listener.AcceptTcpClientAsync();
        await using var stream = client.GetStream();
        using var reader = new StreamReader(stream, Encoding.UTF8);
        await using var writer = new StreamWriter(stream, new UTF8Encoding(false)) { NewLine = "\r\n", AutoFlush = true };
        await writer.WriteLineAsync("220 sink");
        while (await reader.ReadLineAsync() is { } line)
        {
            var verb = line.Split(' ')[0].ToUpperInvariant();
            switch (verb)
            {
                case "EHLO" or "HELO":
                    await writer.WriteLineAsync("250 sink");
                    break;
                case "DATA":
                    await writer.WriteLineAsync("354 go on");
                    var data = new StringBuilder();
                    while (await reader.ReadLineAsync() is { } body && body != ".")
                    {
                        data.Append(body.StartsWith("..", StringComparison.Ordinal) ? body[1..] : body).Append("\r\n");
                    }

                    await writer.WriteLineAsync("250 queued");
                    return await MimeMessage.LoadAsync(new MemoryStream(Encoding.UTF8.GetBytes(data.ToString())));
                case "QUIT":
                    await writer.WriteLineAsync("221 bye");
                    throw new InvalidOperationException("QUIT before DATA.");
                default:
                    await writer.WriteLineAsync("250 ok");
                    break;
            }
        }

        throw new InvalidOperationException("The connection closed before a message came.");
    }
}
