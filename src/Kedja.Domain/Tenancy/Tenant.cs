namespace Kedja.Domain.Tenancy;

/// <summary>A municipality. One installation serves many.</summary>
public class Tenant : IVersioned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    /// <summary>URL name, e.g. "exempelkommun".</summary>
    public required string Slug { get; set; }

    public required string Name { get; set; }

    /// <summary>Four-digit municipality code (kommunkod), e.g. "1780".</summary>
    public string? Kommunkod { get; set; }

    /// <summary>Set by whoever creates the tenant, from the app's clock (TimeProvider), so tests can move it.</summary>
    public required DateTime CreatedAt { get; set; }

    /// <summary>The licence of the tenant's open data (issue 13); CC0 by default, as DIGG recommends for public data.</summary>
    public OpenDataLicence Licence { get; set; } = OpenDataLicence.Cc0;

    /// <summary>Origins (scheme, host and port) whose pages may frame the portal's embeds; every other site is refused.</summary>
    public List<string> EmbedOrigins { get; set; } = [];

    /// <summary>The portal's accessibility statement (tillgänglighetsredogörelse) in Markdown; null for the default text.</summary>
    public string? AccessibilityStatement { get; set; }

    /// <summary>
    /// Where residents may write with questions about the published results and the portal's accessibility; named on
    /// the statement and the open data page, and as the contact point of the DCAT-AP-SE catalogue. Null for none.
    /// </summary>
    public string? ContactEmail { get; set; }

    /// <summary>Whether people may sign in with a Kedja password; off once a provider serves everyone (system administrators keep theirs).</summary>
    public bool LocalPasswords { get; set; } = true;

    /// <summary>Whether everyone who signs in with a Kedja password must use two-factor (TOTP).</summary>
    public bool RequireTwoFactor { get; set; }

    /// <summary>How many days before a deadline the reminder goes to units that have not submitted.</summary>
    public int ReminderDaysBefore { get; set; } = 3;

    /// <summary>Whether the portal shows the assignments the council gave (issue 15); off until the municipality chooses.</summary>
    public bool PublishAssignments { get; set; }

    /// <summary>Whether the portal shows the committees' decided internal control plans; risk registers are never public.</summary>
    public bool PublishControlPlans { get; set; }

    public int Version { get; set; }

    /// <summary>Bumped on every change to data the follow-up engine reads; computed statuses are cached per value.</summary>
    public long DataVersion { get; set; }

    /// <summary>When <see cref="DataVersion"/> was last raised: the public portal's Last-Modified.</summary>
    public DateTime? DataChangedAt { get; set; }
}

/// <summary>The licences a municipality may publish its open data under.</summary>
public enum OpenDataLicence
{
    /// <summary>Creative Commons Zero: no rights reserved.</summary>
    Cc0,

    /// <summary>Creative Commons Attribution 4.0: reuse with the source named.</summary>
    CcBy40,
}
