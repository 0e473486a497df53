namespace Kedja.Web.Demo;

/// <summary>Kedja:Demo. Whether the demo municipality and the templates' examples are created when the database has no tenant.</summary>
public sealed class DemoOptions
{
    public const string Section = "Kedja:Demo";

    /// <summary>
    /// Unset: only in Development, so that a production database never gets a made-up municipality (and the demo's
    /// accounts) by forgetting a setting. True or false decides in any environment.
    /// </summary>
    public bool? Seed { get; set; }

    public bool SeedsIn(IHostEnvironment environment) => Seed ?? environment.IsDevelopment();

    /// <summary>
    /// Whether the five templates' example municipalities (<see cref="TemplateExamples"/>) come with the demo on an empty
    /// database. Unset: whenever the demo does. The verb <c>seed-examples</c> adds them to a database that has tenants.
    /// </summary>
    public bool? Examples { get; set; }

    public bool ExamplesIn(IHostEnvironment environment) => Examples ?? SeedsIn(environment);
}
