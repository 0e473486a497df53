using Kedja.Web.Mail;

namespace Kedja.Web.Auth;

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

    public static EmailMessage PasswordChanged(string to) => new(
        to,
        "Ditt lösenord till Kedja är ändrat",
        """
        Hej!

        Lösenordet till ditt konto i Kedja har just ändrats. Var det inte du, välj ett nytt med "Glömt lösenord" och
        kontakta kommunens administratör.
        """);

    private static string Days(TimeSpan span) => span.TotalDays >= 2 ? $"{(int)span.TotalDays} dagar" : span.TotalDays >= 1 ? "1 dag" : Minutes(span);

    private static string Minutes(TimeSpan span) => span.TotalHours >= 2 ? $"{(int)span.TotalHours} timmar" : span == TimeSpan.FromHours(1) ? "en timme" : $"{(int)span.TotalMinutes} minuter";
}
