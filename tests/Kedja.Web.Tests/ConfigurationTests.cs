using System.Net.Http.Json;
using Kedja.Web.Auth;
using Kedja.Web.Demo;
using Kedja.Web.Infrastructure;
using Kedja.Web.Tenants;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;

namespace Kedja.Web.Tests;

/// <summary>Settings are checked once at start and a wrong one is named in Swedish; the demo is only made when asked (ADR 16).</summary>
public class ConfigurationTests
{
    /// <summary>The app's services as a start builds them, checked as a start checks them, without starting anything.</summary>
    private static void Validate(string environment, IReadOnlyDictionary<string, string?> settings)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = environment, ContentRootPath = Path.GetTempPath() });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddKedja(builder.Environment);
        using var services = builder.Services.BuildServiceProvider();
        KedjaOptions.Validate(services);
    }

    [Theory]
    [InlineData("Kedja:Accounts:FirstDelay", "en kvart", "Inställningen Kedja:Accounts:FirstDelay har värdet 'en kvart', som inte går att läsa som en tid")]
    [InlineData("Kedja:Accounts:SignInPermitsPerAddress", "0", "Kedja:Accounts har ogiltiga värden")]
    [InlineData("Kedja:Database:Provider", "MySql", "Inställningen Kedja:Database:Provider har värdet 'MySql', som inte går att läsa som ett av Sqlite, Postgres.")]
    [InlineData("Kedja:Database:Provider", "Postgres", "ConnectionStrings:Kedja (ConnectionStrings__Kedja) måste anges när Kedja:Database:Provider är Postgres.")]
    [InlineData("ConnectionStrings:Kedja", "Data Source", "ConnectionStrings:Kedja går inte att läsa som en anslutningssträng för Sqlite")]
    [InlineData("Kedja:Admin:Email", "admin@kommun.se", "Kedja:Admin: ange både Email och Password")]
    [InlineData("Kedja:Admin:Password", "Tre-röda-äpplen-i-korgen", "Kedja:Admin: ange både Email och Password")]
    [InlineData("Kedja:Mail:PublicBaseUrl", "kedja.kommun.se", "Kedja:Mail har ogiltiga värden")]
    [InlineData("Kedja:Limits:MaxRequestBodyBytes", "0", "Kedja:Limits ska vara positiva antal byte.")]
    [InlineData("Kedja:Https:Port", "70000", "Kedja:Https:Port ska vara ett portnummer 1-65535.")]
    [InlineData("Kedja:Proxy:KnownProxies:0", "proxy.kommun.se", "Kedja:Proxy:KnownProxies: 'proxy.kommun.se' är ingen IP-adress.")]
    [InlineData("Kedja:Proxy:KnownNetworks:0", "10.0.0.0/99", "Kedja:Proxy:KnownNetworks: '10.0.0.0/99' är inget nätverk")]
    [InlineData("Kedja:Demo:Seed", "ja", "Inställningen Kedja:Demo:Seed har värdet 'ja', som inte går att läsa som true eller false.")]
    public void A_wrong_setting_stops_the_start_with_one_swedish_line_that_names_it(string key, string value, string message)
    {
        var refused = Should.Throw<StartupException>(() => Validate("Production", new Dictionary<string, string?> { [key] = value }));

        refused.Message.ShouldStartWith(message[..Math.Min(message.Length, 40)]);
        refused.Message.ShouldContain(message);
        refused.Message.ShouldNotContain("\n");
    }

    [Theory]
    [InlineData("admin@kommun.se", "kort-1", "Kedja:Admin:Password duger inte: Lösenordet måste ha minst 12 tecken.")]
    [InlineData("admin@kommun.se", "admin@kommun.se-2026", "Kedja:Admin:Password duger inte:")]
    [InlineData("admin@kommun.se", KnownPasswords.Demo, "Kedja:Admin:Password duger inte: Lösenordet är för vanligt")]
    [InlineData("admin", "Tre-röda-äpplen-i-korgen", "Kedja:Admin:Email: 'admin' är ingen e-postadress.")]
    public void The_first_administrators_password_follows_the_password_rules_outside_development(string email, string password, string message)
    {
        var refused = Should.Throw<StartupException>(() => Validate("Production", new Dictionary<string, string?>
        {
            ["Kedja:Admin:Email"] = email,
            ["Kedja:Admin:Password"] = password,
        }));

        refused.Message.ShouldStartWith(message);
        refused.Message.ShouldNotContain("\n");
    }

    [Fact]
    public void Good_settings_and_the_demo_password_in_development_pass()
    {
        Validate("Production", new Dictionary<string, string?>
        {
            ["Kedja:Admin:Email"] = "admin@kommun.se",
            ["Kedja:Admin:Password"] = "Tre-röda-äpplen-i-korgen",
            ["Kedja:Proxy:KnownProxies:0"] = "10.0.0.5",
            ["Kedja:Proxy:KnownNetworks:0"] = "10.0.0.0/24",
            ["Kedja:Accounts:FirstDelay"] = "00:00:05",
            ["Kedja:Demo:Seed"] = "true",
        });
        Validate("Development", new Dictionary<string, string?>
        {
            ["Kedja:Admin:Email"] = "admin@exempelkommun.se",
            ["Kedja:Admin:Password"] = KnownPasswords.Demo,
        });
    }

    [Fact]
    public async Task A_weak_admin_password_ends_the_start_with_one_line_before_the_database_is_touched()
    {
        var folder = Path.Combine(Path.GetTempPath(), "kedja-tests", Guid.NewGuid().ToString("N"));
        var database = Path.Combine(folder, "kedja.db");
        try
        {
            var (exitCode, output, error) = await VerbProcessTests.RunKedjaAsync(
                new Dictionary<string, string>
                {
                    ["ConnectionStrings__Kedja"] = $"Data Source={database}",
                    ["Kedja__Admin__Email"] = "admin@kommun.se",
                    ["Kedja__Admin__Password"] = KnownPasswords.Demo,
                },
                "--urls", "http://127.0.0.1:5118");

            exitCode.ShouldBe(1);
            error.Trim().ShouldBe("Kedja:Admin:Password duger inte: Lösenordet är för vanligt och gissas lätt. Välj ett annat.");
            output.ShouldNotContain("   at ");
            File.Exists(database).ShouldBeFalse();
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    private static async Task<List<string>> TenantsAsync(KedjaApp app) =>
        (await (await app.ClientAsync()).GetFromJsonAsync<List<TenantSummary>>("/api/v1/tenants"))!.Select(t => t.Slug).ToList();

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Production_gets_the_demo_tenant_only_when_asked_for(string provider)
    {
        await using (var unasked = await KedjaApp.StartAsync(provider, environment: "Production", settings: new Dictionary<string, string?> { ["Kedja:Demo:Seed"] = null }))
        {
            (await TenantsAsync(unasked)).ShouldBeEmpty();
        }

        await using var asked = await KedjaApp.StartAsync(provider, environment: "Production", settings: new Dictionary<string, string?> { ["Kedja:Demo:Seed"] = "true" });
        (await TenantsAsync(asked)).ShouldBe([DemoTenant.Slug]);
    }

    [Fact]
    public async Task Development_gets_the_demo_tenant_unless_told_not_to()
    {
        await using (var development = await KedjaApp.StartAsync("Sqlite", environment: "Development", settings: new Dictionary<string, string?> { ["Kedja:Demo:Seed"] = null }))
        {
            (await TenantsAsync(development)).ShouldBe([DemoTenant.Slug]);
        }

        await using var declined = await KedjaApp.StartAsync("Sqlite", environment: "Development", settings: new Dictionary<string, string?> { ["Kedja:Demo:Seed"] = "false" });
        (await TenantsAsync(declined)).ShouldBeEmpty();
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_new_tenant_is_created_at_the_time_of_the_apps_clock(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider);
        app.Clock.Advance(TimeSpan.FromDays(400));
        var expected = app.Clock.GetUtcNow().UtcDateTime;
        var admin = await app.ClientAsync();

        (await admin.PostAsJsonAsync("/api/v1/tenants", new { slug = "framtiden", name = "Framtida kommun", kommunkod = "1234", template = Templates.ModelTemplates.Heby }))
            .EnsureSuccessStatusCode();

        using var scope = app.Services.CreateScope();
        var created = await scope.ServiceProvider.GetRequiredService<Data.KedjaDbContext>().Tenants.AsNoTracking().SingleAsync(t => t.Slug == "framtiden");
        (created.CreatedAt - expected).Duration().ShouldBeLessThan(TimeSpan.FromMinutes(1));
    }

    [Fact]
    public void Started_from_another_folder_the_app_reads_the_settings_beside_it_unless_told_where_they_are()
    {
        var root = Directory.CreateTempSubdirectory("kedja-root-");
        try
        {
            var app = root.CreateSubdirectory("app").FullName;
            var elsewhere = root.CreateSubdirectory("elsewhere").FullName;
            var project = root.CreateSubdirectory("project").FullName;
            File.WriteAllText(Path.Combine(app, "appsettings.json"), "{}");
            File.WriteAllText(Path.Combine(project, "appsettings.json"), "{}");

            ContentRoot.Choose([], elsewhere, app).ShouldBe(app);
            ContentRoot.Choose([], project, app).ShouldBeNull("dotnet run starts in the project, whose settings are the ones to read");
            ContentRoot.Choose(["--contentRoot", elsewhere], elsewhere, app).ShouldBeNull();
            ContentRoot.Choose([], elsewhere, elsewhere).ShouldBeNull("no settings anywhere: the default stays");
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }
}
