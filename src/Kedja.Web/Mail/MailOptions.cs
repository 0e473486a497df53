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

    /// <summary>Whether this node sends mail from the outbox (off on a node that should only serve pages).</summary>
    public bool RunWorker { get; set; } = true;

    /// <summary>How often a node looks for mails queued on other nodes, and for retries that have come due.</summary>
    public int PollSeconds { get; set; } = 15;

    /// <summary>
    /// How long a claimed mail stays this node's. One send is cut off at half of it, so that a mail found Sending after
    /// its lease ran out was left by a node that died (then it is Uncertain, never sent again).
    /// </summary>
    public int LeaseSeconds { get; set; } = 300;

    /// <summary>Whether this node looks for reminders to queue (the tests drive <see cref="Reminders.RunOnceAsync"/> themselves).</summary>
    public bool RunReminders { get; set; } = true;

    /// <summary>How often a node looks whether reminders are due (every node looks; the outbox's unique key sends each once).</summary>
    public int ReminderEveryMinutes { get; set; } = 15;

    /// <summary>Reminders go out from this hour Swedish time (0–23), not in the night.</summary>
    public int ReminderHour { get; set; } = 7;

    /// <summary>Sent and cancelled mails are removed after this many days; failed and uncertain ones stay until handled.</summary>
    public int KeepDays { get; set; } = 30;
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
