namespace Kedja.Web.Mail;

/// <summary>Kedja:Mail. Without Smtp:Host, mail is written as files to <see cref="PickupDirectory"/>.</summary>
public sealed class MailOptions
{
    public const string Section = "Kedja:Mail";

    /// <summary>Where people reach Kedja; links in mails start with it.</summary>
    public string PublicBaseUrl { get; set; } = "http://localhost:5080";

    public string From { get; set; } = "Kedja <kedja@localhost>";

    /// <summary>Folder for mails when no SMTP server is configured; default data/mail under the content root.</summary>
    public string? PickupDirectory { get; set; }

    public SmtpOptions Smtp { get; set; } = new();

    public bool UsesSmtp => !string.IsNullOrWhiteSpace(Smtp.Host);
}

public sealed class SmtpOptions
{
    public string? Host { get; set; }

    public int Port { get; set; } = 587;

    /// <summary>MailKit's SecureSocketOptions: StartTls (default), SslOnConnect, StartTlsWhenAvailable, Auto or None.</summary>
    public MailKit.Security.SecureSocketOptions Security { get; set; } = MailKit.Security.SecureSocketOptions.StartTls;

    public string? UserName { get; set; }

    public string? Password { get; set; }
}
