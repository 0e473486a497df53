using MailKit.Net.Smtp;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Kedja.Web.Mail;

public sealed record EmailMessage(string To, string Subject, string Body);

/// <summary>Sends one mail. Callers go through <see cref="MailQueue"/>, so a slow server never holds a request.</summary>
public interface IEmailSender
{
    Task SendAsync(EmailMessage message, CancellationToken cancellationToken);
}

internal static class Mime
{
    public static MimeMessage Build(EmailMessage message, MailOptions options)
    {
        var mime = new MimeMessage();
        mime.From.Add(MailboxAddress.Parse(options.From));
        mime.To.Add(MailboxAddress.Parse(message.To));
        mime.Subject = message.Subject;
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

    public async Task SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var path = Path.Combine(Directory, $"{clock.GetUtcNow():yyyyMMdd-HHmmss-fff}-{Guid.NewGuid():N}.eml");
        // Written aside and moved into place, so that whoever watches the folder never reads half a mail.
        await Mime.Build(message, options.Value).WriteToAsync(path + ".tmp", cancellationToken);
        if (!OperatingSystem.IsWindows())
        {
            // A mail may hold a one-time link: readable by the app's own user only.
            File.SetUnixFileMode(path + ".tmp", UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        File.Move(path + ".tmp", path);

        // The recipient and subject only: the body may hold a one-time link.
        logger.LogInformation("E-post till {To} ({Subject}) skrevs till {Path}; ingen SMTP-server är inställd.", message.To, message.Subject, path);
    }
}

public sealed class SmtpEmailSender(IOptions<MailOptions> options, ILogger<SmtpEmailSender> logger) : IEmailSender
{
    public async Task SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        var smtp = options.Value.Smtp;
        using var client = new SmtpClient();
        await client.ConnectAsync(smtp.Host!, smtp.Port, smtp.Security, cancellationToken);
        if (!string.IsNullOrEmpty(smtp.UserName))
        {
            await client.AuthenticateAsync(smtp.UserName, smtp.Password ?? "", cancellationToken);
        }

        await client.SendAsync(Mime.Build(message, options.Value), cancellationToken);
        await client.DisconnectAsync(quit: true, cancellationToken);
        logger.LogInformation("E-post till {To} ({Subject}) skickades via {Host}.", message.To, message.Subject, smtp.Host);
    }
}
