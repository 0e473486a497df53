namespace Kedja.Web.Auth;

/// <summary>Kedja:Accounts: how long one-time links live and how hard sign-in pushes back on guessing. ADR 11.</summary>
public sealed class AccountOptions
{
    public const string Section = "Kedja:Accounts";

    public TimeSpan InvitationLifetime { get; set; } = TimeSpan.FromDays(7);

    public TimeSpan ResetLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Sign-in, token and change-password requests per client address and window (counted in the database, across all
    /// nodes: <see cref="Infrastructure.RateCounter"/>). Generous, as a
    /// whole municipality may sign in from one NAT address at eight o'clock; guessing is held back by the delays.
    /// </summary>
    public int SignInPermitsPerAddress { get; set; } = 300;

    public TimeSpan SignInWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Forgotten-password requests per client address, and per named account, in <see cref="ForgotWindow"/>.</summary>
    public int ForgotPermitsPerAddress { get; set; } = 5;

    public int ForgotPermitsPerAccount { get; set; } = 3;

    public TimeSpan ForgotWindow { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Attempts to use a one-time link per client address and <see cref="SignInWindow"/>.</summary>
    public int SetPasswordPermitsPerAddress { get; set; } = 10;

    /// <summary>Failed sign-ins from one address (to any account) before it is delayed; generous for shared NAT addresses.</summary>
    public int FreeFailuresPerAddress { get; set; } = 30;

    /// <summary>Failed sign-ins from one address to one account before that pair is delayed.</summary>
    public int FreeFailuresPerAccount { get; set; } = 5;

    /// <summary>The first delay; each further failure doubles it, up to <see cref="MaxDelay"/>.</summary>
    public TimeSpan FirstDelay { get; set; } = TimeSpan.FromSeconds(2);

    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>A client's failures are forgotten this long after its last one.</summary>
    public TimeSpan ForgetFailuresAfter { get; set; } = TimeSpan.FromHours(24);

    internal bool IsValid() =>
        InvitationLifetime > TimeSpan.Zero && ResetLifetime > TimeSpan.Zero
        && SignInPermitsPerAddress > 0 && SignInWindow > TimeSpan.Zero
        && ForgotPermitsPerAddress > 0 && ForgotPermitsPerAccount > 0 && ForgotWindow > TimeSpan.Zero
        && SetPasswordPermitsPerAddress > 0
        && FreeFailuresPerAddress > 0 && FreeFailuresPerAccount > 0
        && FirstDelay > TimeSpan.Zero && MaxDelay >= FirstDelay && ForgetFailuresAfter > MaxDelay;
}
