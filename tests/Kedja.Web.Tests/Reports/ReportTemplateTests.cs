using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Kedja.Domain.Organisation;
using Kedja.Domain.Tenancy;
using Kedja.Web.Demo;
using Kedja.Web.Reports;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Tests.Reports;

/// <summary>
/// Report templates: every member reads them; administrators change a default, add their own and reset, through the API
/// and the pages alike, with every error said at once, a stale change refused, and the report built from the edited
/// template.
/// </summary>
public sealed class ReportTemplateTests
{
    private const string Base = $"/api/v1/tenants/{DemoTenant.Slug}/report-templates";

    /// <summary>The template pages, for <see cref="PagePermissionTests"/>' list of every page.</summary>
    internal static readonly string[] Routes = ["/k/{slug}/rapporter/mallar", "/k/{slug}/rapporter/mallar/{key}"];

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_administrator_changes_a_default_template_the_report_follows_it_and_a_reset_brings_the_default_back(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var admin = await app.MemberClientAsync(DemoTenant.Slug, TenantRole.Admin);
        var reader = await app.MemberClientAsync(DemoTenant.Slug, TenantRole.Reader);

        var list = await reader.GetFromJsonAsync<JsonElement>(Base);
        list.EnumerateArray().Select(t => t.GetProperty("key").GetString()).ShouldBe(["tertialrapport", "delarsrapport", "arsredovisning", "malkortsrapport", "internkontrollplan", "uppfoljning-intern-kontroll", "uppdragsredovisning"]);

        var change = new { name = "Tertialrapport till nämnden", sections = new[] { new { kind = "goals", heading = "Våra mål" }, new { kind = "summary", heading = "Kort om året" } } };
        (await reader.PutAsJsonAsync($"{Base}/tertialrapport", change)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var saved = await admin.PutAsJsonAsync($"{Base}/tertialrapport", change);
        saved.StatusCode.ShouldBe(HttpStatusCode.OK);
        var body = await saved.Content.ReadFromJsonAsync<JsonElement>();
        (body.GetProperty("isDefault").GetBoolean(), body.GetProperty("version").GetInt32()).ShouldBe((false, 0));

        var (report, _) = await ReportBuilderTests.BuildAsync(app, DemoTenant.Slug, db => db.Units.Where(u => u.Kind == UnitKind.Committee).Select(u => u.Id).FirstAsync(), null, "tertialrapport");
        report.Sections.Select(s => (s.Key, s.Heading)).ShouldBe([("goals", "Våra mål"), ("summary", "Kort om året")]);
        report.Title.ShouldStartWith("Tertialrapport till nämnden ");

        // Someone else's change since is not overwritten.
        (await admin.PutAsJsonAsync($"{Base}/tertialrapport", change with { name = "Ny" })).StatusCode.ShouldBe(HttpStatusCode.BadRequest, "a stored template is changed with its version");
        (await admin.PutAsJsonAsync($"{Base}/tertialrapport", new { change.name, change.sections, version = 0 })).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await admin.PutAsJsonAsync($"{Base}/tertialrapport", new { change.name, change.sections, version = 0 })).StatusCode.ShouldBe(HttpStatusCode.Conflict);

        (await admin.DeleteAsync($"{Base}/tertialrapport?version=1")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var back = await reader.GetFromJsonAsync<JsonElement>($"{Base}/tertialrapport");
        (back.GetProperty("name").GetString(), back.GetProperty("isDefault").GetBoolean()).ShouldBe(("Tertialrapport", true));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_template_with_many_faults_is_refused_with_every_fault_at_once_and_nothing_is_stored(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var admin = await app.MemberClientAsync(DemoTenant.Slug, TenantRole.Admin);

        var (status, problem) = await ProblemDetailsTests.ProblemAsync(await admin.PutAsJsonAsync($"{Base}/Nämnd rapport", new
        {
            name = " ",
            sections = new[] { new { kind = "goals", heading = "Mål" }, new { kind = "goals", heading = "" }, new { kind = "ekonomi", heading = "Ekonomi" } },
        }));

        status.ShouldBe(HttpStatusCode.BadRequest);
        ProblemDetailsTests.Errors(problem, "key").ShouldHaveSingleItem().ShouldStartWith("Nyckeln ska vara");
        ProblemDetailsTests.Errors(problem, "name").ShouldBe(["Ange mallens namn."]);
        ProblemDetailsTests.Errors(problem, "sections[1].kind").ShouldBe(["Avsnittet Mål och resultat finns redan i mallen."]);
        ProblemDetailsTests.Errors(problem, "sections[1].heading").ShouldBe(["Ange avsnittets rubrik."]);
        ProblemDetailsTests.Errors(problem, "sections[2].kind").ShouldHaveSingleItem().ShouldStartWith("Okänt avsnitt 'ekonomi'.");
        (await admin.GetFromJsonAsync<JsonElement>(Base)).GetArrayLength().ShouldBe(Kedja.Web.Reports.ReportTemplates.Defaults.Count, "nothing of its own was stored");
    }

    [Fact]
    public async Task On_the_page_an_administrator_makes_a_template_of_their_own_with_sections_in_the_order_numbered_and_others_may_not()
    {
        await using var app = await KedjaApp.StartAsync(nameof(Data.DatabaseProvider.Sqlite), seedDemo: true);
        var admin = await app.MemberClientAsync(DemoTenant.Slug, TenantRole.Admin);
        var editor = await app.MemberClientAsync(DemoTenant.Slug, TenantRole.Editor);
        var reader = await app.MemberClientAsync(DemoTenant.Slug, TenantRole.Reader);
        var page = $"/k/{DemoTenant.Slug}/rapporter/mallar";

        (await reader.GetStringAsync(page)).ShouldContain("Målkortsrapport");
        (await reader.GetAsync($"{page}/ny")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await (await app.ClientAsync()).PostAsJsonAsync("/api/v1/tenants", new { slug = "annan", name = "Annan kommun", template = Templates.ModelTemplates.Heby })).EnsureSuccessStatusCode();
        var stranger = await app.MemberClientAsync("annan", TenantRole.Admin);
        (await stranger.GetAsync(page)).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        var token = await TokenAsync(admin, $"{page}/ny");
        Dictionary<string, string> Form(string order) => new()
        {
            ["__RequestVerificationToken"] = token, ["Key"] = "namndrapport", ["Name"] = "Nämndrapport",
            ["Rows[0].Kind"] = "summary", ["Rows[0].Included"] = "true", ["Rows[0].Position"] = order, ["Rows[0].Heading"] = "Översikt",
            ["Rows[1].Kind"] = "budget", ["Rows[1].Included"] = "true", ["Rows[1].Position"] = "1", ["Rows[1].Heading"] = "Pengarna",
            ["Rows[2].Kind"] = "goals", ["Rows[2].Position"] = "3", ["Rows[2].Heading"] = "Mål",
        };

        var bad = await admin.PostAsync($"{page}/ny", new FormUrlEncodedContent(Form("två")));
        var html = await bad.Content.ReadAsStringAsync();
        bad.StatusCode.ShouldBe(HttpStatusCode.BadRequest, html);
        html.ShouldContain("Ange ordningen som ett heltal mellan 1 och 99.");
        html.ShouldContain("value=\"Pengarna\"", Case.Sensitive, "what was typed stays");

        // The editor's own valid token (from the sign-out form every page has): refused for the role, not the token.
        var editorToken = await TokenAsync(editor, page);
        editorToken.ShouldNotBeEmpty();
        (await editor.PostAsync($"{page}/ny", new FormUrlEncodedContent(new Dictionary<string, string>(Form("2")) { ["__RequestVerificationToken"] = editorToken })))
            .StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        var done = await admin.PostAsync($"{page}/ny", new FormUrlEncodedContent(Form("2")));
        // The client follows the redirect (and, as HttpClient does, leaves the token behind): the first hop is the list.
        done.RequestMessage!.RequestUri!.Query.ShouldContain(Uri.EscapeDataString($"{page}?klart=sparad"));
        (await admin.GetStringAsync($"{page}?klart=sparad")).ShouldContain("Mallen är sparad.");
        var stored = await admin.GetFromJsonAsync<JsonElement>($"{Base}/namndrapport");
        stored.GetProperty("sections").EnumerateArray().Select(s => s.GetProperty("heading").GetString()).ShouldBe(["Pengarna", "Översikt"]);
        (await editor.GetAsync($"{page}/namndrapport")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    private static async Task<string> TokenAsync(HttpClient client, string url)
    {
        var html = await client.GetStringAsync(url);
        return Regex.Match(html, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
    }
}
