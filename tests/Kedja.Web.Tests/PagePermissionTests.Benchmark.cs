using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Kedja.Domain.Tenancy;
using Kedja.Kolada.Tests;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Tests;

/// <summary>The comparison with Kolada in the permission matrix: every member reads it, only the indicator's editors take a suggestion.</summary>
public partial class PagePermissionTests
{
    /// <summary>Checked by their own matrix below, with a Kolada to compare against.</summary>
    private static string[] BenchmarkRoutes => ["/k/{slug}/indikator/{indicatorId:guid}/jamforelse"];

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Every_member_reads_a_comparison_only_the_indicators_editors_take_a_suggestion_and_strangers_are_not_told_it_exists(string provider)
    {
        await using var kolada = await FakeKolada.StartAsync();
        Kolada.BenchmarkingTests.Fill(kolada);
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true, settings: new Dictionary<string, string?> { ["Kedja:Kolada:BaseUrl"] = kolada.BaseUrl });
        Guid indicator, committee, library;
        var (scope, db) = app.DbFor(Slug);
        using (scope)
        {
            var linked = await db.Indicators.Where(i => i.KoladaKpiId == "N09803").Select(i => new { i.Id, i.OwnerUnitId }).SingleAsync();
            (indicator, committee) = (linked.Id, linked.OwnerUnitId);
            library = await db.Units.Where(u => u.Name == "Biblioteket").Select(u => u.Id).SingleAsync();
        }

        var admin = await app.ClientAsync();
        (await admin.PostAsJsonAsync("/api/v1/tenants", new { slug = "annan", name = "Annan kommun", template = Templates.ModelTemplates.Heby })).EnsureSuccessStatusCode();
        var clients = new Dictionary<string, HttpClient>
        {
            ["reader"] = await app.MemberClientAsync(Slug, TenantRole.Reader),
            ["editor"] = await app.MemberClientAsync(Slug, TenantRole.Editor, committee),
            ["other editor"] = await app.MemberClientAsync(Slug, TenantRole.Editor, library),
            ["admin"] = await app.MemberClientAsync(Slug, TenantRole.Admin),
            ["system"] = admin,
            ["stranger"] = await app.MemberClientAsync("annan", TenantRole.Admin),
        };

        var url = $"/k/{Slug}/indikator/{indicator}/jamforelse?grupp=G1";
        foreach (var (who, client) in clients)
        {
            var answer = await client.GetAsync(url);
            var body = await answer.Content.ReadAsStringAsync();
            if (who == "stranger")
            {
                answer.StatusCode.ShouldBe(HttpStatusCode.NotFound, who);
                body.ShouldContain(Infrastructure.TenantAccess.NotFoundMessage);
                body.ShouldNotContain("Deltagartillfällen");
                continue;
            }

            answer.StatusCode.ShouldBe(HttpStatusCode.OK, who);
            body.ShouldContain("Exempelkommun (egen kommun)", Case.Sensitive, who);
            body.Contains("Använd som målvärde", StringComparison.Ordinal).ShouldBe(who is "editor" or "admin" or "system", who);
        }

        var anonymous = await app.CreateClient(new() { AllowAutoRedirect = false }).GetAsync(url);
        anonymous.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        anonymous.Headers.Location!.ToString().ShouldContain("/logga-in?tillbaka=");

        // A post with a valid antiforgery token from whoever may not change the indicator changes nothing.
        var version = (await admin.GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>($"/api/v1/tenants/{Slug}/indicators/{indicator}"))!["version"]!.GetValue<int>();
        foreach (var who in new[] { "reader", "other editor" })
        {
            var form = new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = await TokenAsync(clients[who], $"/k/{Slug}/utfall/{library}"),
                ["year"] = (app.Clock.GetUtcNow().Year + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), ["value"] = "32.5", ["kind"] = "BetterQuartile",
                ["fromYear"] = "2024", ["version"] = version.ToString(System.Globalization.CultureInfo.InvariantCulture),
            };
            (await clients[who].PostAsync(url + "&handler=Accept", new FormUrlEncodedContent(form))).StatusCode.ShouldBe(HttpStatusCode.Forbidden, who);
        }

        var after = (await admin.GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>($"/api/v1/tenants/{Slug}/indicators/{indicator}"))!;
        after["version"]!.GetValue<int>().ShouldBe(version);
        Regex.IsMatch(after.ToJsonString(), "Kolada-jämförelse|jämförelse i Kolada").ShouldBeFalse();
    }
}
