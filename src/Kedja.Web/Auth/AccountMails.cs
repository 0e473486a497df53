using Kedja.Data;
using Kedja.Web.Mail;

namespace Kedja.Web.Auth;

/// <summary>A change of how a person signs in, of which they are told by mail (<see cref="AccountMails.SecurityNotice"/>).</summary>
public enum SecurityChange
{
    PasswordChanged,
    PasswordReset,
    TwoFactorEnabled,
    TwoFactorDisabled,
    TwoFactorAppChanged,
    RecoveryCodesRenewed,
    SecurityKeyAdded,
    SecurityKeyRemoved,
}

/// <summary>The Swedish texts of the account mails. None holds another person's data; links carry the one-time secret.</summary>
internal static class AccountMails
{
    public const string LinkPath = "/konto/losenord";

    public static string Link(MailOptions options, string secret) => $"{options.PublicBaseUrl.TrimEnd('/')}{LinkPath}?kod={Uri.EscapeDataString(secret)}";

    public static EmailMessage Invitation(string to, string tenantName, string link, TimeSpan lifetime) => new(
        to,
        $"Inbjudan till Kedja – {tenantName}",
        $"""
        Hej!

        Du har fått en roll i {tenantName} i Kedja, kommunens system för mål- och resultatstyrning.

        Välj ditt lösenord här:
        {link}

        Länken kan användas en gång och gäller i {Days(lifetime)}. Har den hunnit gå ut, be kommunens administratör om en ny
        eller använd "Glömt lösenord".

        Väntade du dig inte det här brevet kan du bortse från det.
        """);

    public static EmailMessage RoleNotice(string to, string tenantName, MailOptions options) => new(
        to,
        $"Du har fått en roll i {tenantName} i Kedja",
        $"""
        Hej!

        Du har fått en roll i {tenantName} i Kedja. Logga in med ditt vanliga konto:
        {options.PublicBaseUrl.TrimEnd('/')}

        Har du glömt ditt lösenord kan du välja ett nytt med "Glömt lösenord".
        """);

    public static EmailMessage Reset(string to, string link, TimeSpan lifetime) => new(
        to,
        "Nytt lösenord till Kedja",
        $"""
        Hej!

        Någon (förhoppningsvis du) har bett om ett nytt lösenord till ditt konto i Kedja.

        Välj ett nytt lösenord här:
        {link}

        Länken kan användas en gång och gäller i {Minutes(lifetime)}. Bad du inte om det här kan du bortse från brevet;
        ditt lösenord är oförändrat.
        """);

    /// <summary>
    /// ASVS 2.2.3 / 2.5.5: the person is told when a way into their account changed – what, when (Swedish time), and whom
    /// to turn to if it was not them. Never a secret, a code or a link: a forged mail must have nothing to copy, and a
    /// mail read by someone else gives them nothing.
    /// </summary>
    public static EmailMessage SecurityNotice(string to, SecurityChange change, DateTimeOffset at)
    {
        var (subject, what) = change switch
        {
            SecurityChange.PasswordChanged => ("Ditt lösenord till Kedja är ändrat", "Lösenordet till ditt konto har ändrats."),
            SecurityChange.PasswordReset => ("Ditt lösenord till Kedja är ändrat", "Lösenordet till ditt konto har ändrats med en länk för nytt lösenord (\"Glömt lösenord\")."),
            SecurityChange.TwoFactorEnabled => ("Tvåstegsverifiering är påslagen i Kedja", "Tvåstegsverifiering har slagits på för ditt konto, med en ny app och nya reservkoder."),
            SecurityChange.TwoFactorDisabled => ("Tvåstegsverifiering är avstängd i Kedja", "Tvåstegsverifiering har stängts av för ditt konto. Appen och reservkoderna gäller inte längre."),
            SecurityChange.TwoFactorAppChanged => ("Tvåstegsverifieringen i Kedja flyttas till en ny app", "Appen för tvåstegsverifiering och reservkoderna för ditt konto har tagits bort, så att en ny app kan läggas in."),
            SecurityChange.RecoveryCodesRenewed => ("Nya reservkoder i Kedja", "Nya reservkoder för tvåstegsverifiering har skapats för ditt konto. De gamla gäller inte längre."),
            SecurityChange.SecurityKeyAdded => ("Ny säkerhetsnyckel i Kedja", "En säkerhetsnyckel har lagts till som andra steg vid inloggning på ditt konto."),
            SecurityChange.SecurityKeyRemoved => ("Säkerhetsnyckel borttagen i Kedja", "En säkerhetsnyckel har tagits bort från ditt konto och kan inte längre användas för att logga in."),
            _ => throw new ArgumentOutOfRangeException(nameof(change)),
        };
        var when = Ui.Language.InSweden(at.UtcDateTime).ToString("yyyy-MM-dd 'kl.' HH:mm", System.Globalization.CultureInfo.InvariantCulture);
        return new(
            to,
            subject,
            $"""
            Hej!

            {what}
            Det skedde {when} (svensk tid).

            Var det du behöver du inte göra något.

            Om det inte var du, kontakta genast din kommuns administratör för Kedja och välj ett nytt lösenord med
            "Glömt lösenord" på inloggningssidan.
            """);
    }

    private static string Days(TimeSpan span) => span.TotalDays >= 2 ? $"{(int)span.TotalDays} dagar" : span.TotalDays >= 1 ? "1 dag" : Minutes(span);

    private static string Minutes(TimeSpan span) => span.TotalHours >= 2 ? $"{(int)span.TotalHours} timmar" : span == TimeSpan.FromHours(1) ? "en timme" : $"{(int)span.TotalMinutes} minuter";
}

/// <summary>Puts the security notice in the outbox with the caller's context: it leaves only if the change is saved, once across nodes.</summary>
internal static class SecurityNotices
{
    public static void Add(Outbox outbox, KedjaUser user, SecurityChange change, DateTimeOffset at)
    {
        if (user.Email is null)
        {
            return;
        }

        outbox.Add($"security:{change}:{user.Id}:{Guid.CreateVersion7()}",
            change is SecurityChange.PasswordChanged or SecurityChange.PasswordReset ? MailKinds.PasswordChanged : MailKinds.SecurityNotice,
            AccountMails.SecurityNotice(user.Email, change, at), userId: user.Id);
    }
}
