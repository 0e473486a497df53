using MailKit.Net.Smtp;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Kedja.Web.Mail;

/// <param name="MessageId">Derived from the outbox key, so that the same mail always carries the same Message-ID.</param>
public sealed record EmailMessage(string To, string Subject, string Body, string? MessageId = null);

/// <summary>
/// Sends one mail, for <see cref="MailWorker"/> only (everything else goes through <see cref="Outbox"/>).
/// <c>beginSending</c> is called when the server has been reached, just before the message is handed over; when it
/// answers false (the lease was lost) nothing is sent. An exception before it was called means nothing left.
/// </summary>
public interface IEmailSender
{
    Task SendAsync(EmailMessage message, Func<CancellationToken, Task<bool>> beginSending, CancellationToken cancellationToken);
}

internal static class Mime
{
    public static MimeMessage Build(EmailMessage message, MailOptions options)
    {
        var mime = new MimeMessage();
        mime.From.Add(MailboxAddress.Parse(options.From));
        mime.To.Add(MailboxAddress.Parse(message.To));
        mime.Subject = message.Subject;
        if (message.MessageId is { } id)
        {
            mime.MessageId = id;
        }

        mime.Body = new TextPart("plain") { Text = message.Body };
        return mime;
    }
}

/// <summary>Writes each mail as an .eml file, for development, tests and installations without a mail server.</summary>
public sealed class PickupDirectoryEmailSender(IOptions<MailOptions> options, IHostEnvironment environment, TimeProvider clock, ILogger<PickupDirectoryEmailSender> logger)
    : IEmailSender
{
    public string Directory { get; } = options.Value.PickupDirectory is { Length: > 0 } folder
        ? folder
        : Path.Combine(environment.ContentRootPath, "data", "mail");

    public async Task SendAsync(EmailMessage message, Func<CancellationToken, Task<bool>> beginSending, CancellationToken cancellationToken)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var path = Path.Combine(Directory, $"{clock.GetUtcNow():yyyyMMdd-HHmmss-fff}-{Guid.NewGuid():N}.eml");
        // Written aside and moved into place, so that whoever watches the folder never reads half a mail.
        var mime = Mime.Build(message, options.Value);
        // An SMTP client picks a transfer encoding as it sends; a file has to say it itself, or the Swedish letters
        // are 8-bit data in a part that claims to be 7-bit, which strict readers turn into replacement characters.
        // 8bit rather than quoted-printable so that the file stays readable in an editor (the lines are short).
        if (mime.Body is TextPart { ContentTransferEncoding: ContentEncoding.Default } text)
        {
            text.ContentTransferEncoding = ContentEncoding.EightBit;
        }

        await mime.WriteToAsync(path + ".tmp", cancellationToken);
        if (!OperatingSystem.IsWindows())
        {
            // A mail may hold a one-time link: readable by the app's own user only.
            File.SetUnixFileMode(path + ".tmp", UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        if (!await beginSending(cancellationToken))
        {
            File.Delete(path + ".tmp");
            return;
        }

        File.Move(path + ".tmp", path);

        // The subject only: the body may hold a one-time link, and the address is a person's (issue 18, ADR 51).
        logger.LogInformation("Ett brev ({Subject}) skrevs till {Path}; ingen SMTP-server är inställd.", message.Subject, path);
    }
}

public sealed class SmtpEmailSender(IOptions<MailOptions> options, ILogger<SmtpEmailSender> logger) : IEmailSender
{
    public async Task SendAsync(EmailMessage message, Func<CancellationToken, Task<bool>> beginSending, CancellationToken cancellationToken)
    {
        var smtp = options.Value.Smtp;
        var mime = Mime.Build(message, options.Value);
        using var client = new SmtpClient { Timeout = (int)TimeSpan.FromSeconds(Math.Max(5, options.Value.LeaseSeconds / 6)).TotalMilliseconds };
        await client.ConnectAsync(smtp.Host!, smtp.Port, smtp.Security, cancellationToken);
        if (!string.IsNullOrEmpty(smtp.UserName))
        {
            await client.AuthenticateAsync(smtp.UserName, smtp.Password ?? "", cancellationToken);
        }

        // Up to here a failure leaves nothing behind; from here on the server may have the mail even if we hear no answer.
        if (!await beginSending(cancellationToken))
        {
            await client.DisconnectAsync(quit: true, CancellationToken.None);
            return;
        }

        await client.SendAsync(mime, cancellationToken);
        try
        {
            await client.DisconnectAsync(quit: true, cancellationToken);
        }
        catch (Exception e) when (e is IOException or SmtpProtocolException or OperationCanceledException)
        {
            // Accepted already: a lost QUIT does not unsend it.
        }

        // No address in the log: it is a person's (issue 18, ADR 51); the outbox row says whom it went to.
        logger.LogInformation("Ett brev ({Subject}) skickades via {Host}.", message.Subject, smtp.Host);
    }
}
