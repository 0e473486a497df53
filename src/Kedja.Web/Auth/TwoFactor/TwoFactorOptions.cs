namespace Kedja.Web.Auth.TwoFactor;

/// <summary>Kedja:Accounts, the two-factor part (bound beside <see cref="AccountOptions"/> to the same section).</summary>
public sealed class TwoFactorOptions
{
    /// <summary>
    /// System administrators must use two-factor with a password. True in appsettings.json (so in Production); the
    /// Development settings and the tests turn it off unless a test turns it on.
    /// </summary>
    public bool RequireTwoFactorForSystemAdmins { get; set; }
}
