using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Kedja.Domain.Tenancy;
using Kedja.Web.Demo;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Tests.Forecasts;

/// <summary>
/// The model's forecast settings on its pages (issue 16): the switch for indicator forecasts on /styrmodell/andra and each
/// scale step's forecast phrase on /styrmodell/skala, saved through the API's service with antiforgery, from the version
/// read, audited; readers and editors cannot post them.
/// </summary>
public partial class ForecastSettingsPageTests
{
    private const string Slug = DemoTenant.Slug;

    private const string General = $"/k/{Slug}/styrmodell/andra";

    private const string Scale = $"/k/{Slug}/styrmodell/skala";

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Token();

    [GeneratedRegex("name=\"Version\" value=\"(\\d+)\"")]
    private static partial Regex Version();

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_administrator_switches_forecasts_off_and_words_a_step_and_others_cannot(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var admin = await app.MemberClientAsync(Slug, TenantRole.Admin);
        var html = await admin.GetStringAsync(General);
        html.ShouldContain("Måtten tar helårsprognoser");
        html.ShouldContain("name=\"AllowsIndicatorForecasts\" value=\"true\" checked");
        var version = Version().Match(html).Groups[1].Value;

        // Without a token nothing is saved; a reader and an editor are refused even with a valid form.
        (await admin.PostAsync($"{General}?handler=Forecasts", new FormUrlEncodedContent(new Dictionary<string, string> { ["Version"] = version })))
            .StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        foreach (var role in new[] { TenantRole.Reader, TenantRole.Editor })
        {
            var member = await app.MemberClientAsync(Slug, role);
            var token = Token().Match(await member.GetStringAsync($"/k/{Slug}/styrmodell")).Groups[1].Value;
            foreach (var url in new[] { $"{General}?handler=Forecasts", $"{Scale}?handler=Phrases" })
            {
                var refused = await member.PostAsync(url, new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["__RequestVerificationToken"] = token, ["Version"] = version, ["Phrases[0].Key"] = "uppfyllt", ["Phrases[0].ForecastPhrase"] = "Kapad",
                }));
                refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden, $"{role} {url}");
            }

            (await member.PutAsJsonAsync($"/api/v1/tenants/{Slug}/model/{await ModelIdAsync(app)}/forecast-settings", new { allowsIndicatorForecasts = false, version = int.Parse(version) }))
                .StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        }

        var (scope, db) = app.DbFor(Slug);
        int audits;
        using (scope)
        {
            (await db.Models.SingleAsync()).AllowsIndicatorForecasts.ShouldBeTrue();
            (await db.ScaleLevels.AnyAsync(s => s.ForecastPhrase == "Kapad")).ShouldBeFalse();
            audits = await db.AuditEntries.CountAsync();
        }

        // The switch, unticked (a checkbox not sent), from the version read.
        var saved = await admin.PostAsync($"{General}?handler=Forecasts", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = Token().Match(html).Groups[1].Value, ["Version"] = version,
        }));
        saved.IsSuccessStatusCode.ShouldBeTrue(await saved.Content.ReadAsStringAsync());
        (await admin.GetStringAsync(General)).ShouldNotContain("name=\"AllowsIndicatorForecasts\" value=\"true\" checked");

        // The same stale form again is refused: someone (here: oneself) saved since.
        var stale = await admin.PostAsync($"{General}?handler=Forecasts", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = Token().Match(html).Groups[1].Value, ["Version"] = version, ["AllowsIndicatorForecasts"] = "true",
        }));
        stale.StatusCode.ShouldBe(HttpStatusCode.Conflict);

        // A step's phrase on the scale page; too long a phrase is refused beside its field.
        var scale = await admin.GetStringAsync(Scale);
        scale.ShouldContain("Prognosfras för");
        scale.ShouldContain("Nu: uppfylls delvis");
        var form = new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = Token().Match(scale).Groups[1].Value, ["Version"] = Version().Match(scale).Groups[1].Value,
            ["Phrases[0].Key"] = Domain.FollowUp.StandardScale.PartlyMet, ["Phrases[0].ForecastPhrase"] = new string('x', 401),
        };
        var tooLong = await admin.PostAsync($"{Scale}?handler=Phrases", new FormUrlEncodedContent(form));
        tooLong.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var api = await admin.PutAsJsonAsync($"/api/v1/tenants/{Slug}/model/{await ModelIdAsync(app)}/forecast-settings",
            new { scale = new[] { new { key = Domain.FollowUp.StandardScale.PartlyMet, forecastPhrase = new string('x', 401) } }, version = int.Parse(form["Version"]) });
        api.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        ProblemDetailsTests.Errors(await api.Content.ReadFromJsonAsync<JsonElement>(), "scale[0].forecastPhrase").ShouldBe(["Prognosfrasen får vara högst 400 tecken, men har 401."]);
        form["Phrases[0].ForecastPhrase"] = "når nästan ända fram";
        (await admin.PostAsync($"{Scale}?handler=Phrases", new FormUrlEncodedContent(form))).IsSuccessStatusCode.ShouldBeTrue();

        var settings = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/tenants/{Slug}/model/{await ModelIdAsync(app)}/forecast-settings");
        settings.GetProperty("allowsIndicatorForecasts").GetBoolean().ShouldBeFalse();
        var step = settings.GetProperty("scale").EnumerateArray().Single(s => s.GetProperty("key").GetString() == Domain.FollowUp.StandardScale.PartlyMet);
        step.GetProperty("forecastPhrase").GetString().ShouldBe("når nästan ända fram");
        step.GetProperty("words").GetString().ShouldBe("når nästan ända fram");
        (scope, db) = app.DbFor(Slug);
        using (scope)
        {
            (await db.AuditEntries.CountAsync()).ShouldBeGreaterThan(audits, "the changes are audited");
        }
    }

    private static async Task<Guid> ModelIdAsync(KedjaApp app)
    {
        var (scope, db) = app.DbFor(Slug);
        using (scope)
        {
            return await db.Models.Select(m => m.Id).SingleAsync();
        }
    }
}
