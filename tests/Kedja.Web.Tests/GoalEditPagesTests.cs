using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Kedja.Domain.Tenancy;
using Kedja.Web.Demo;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Tests;

/// <summary>The goal and indicator forms on the server: what a refused save says, where, and that nothing typed or stored is lost.</summary>
public sealed partial class GoalEditPagesTests
{
    private const string Slug = DemoTenant.Slug;

    private static async Task<string> TokenAsync(HttpClient client, string url)
    {
        var html = await client.GetStringAsync(url);
        return TokenPattern().Match(html).Groups[1].Value;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();

    private static async Task<(HttpStatusCode Status, string Body)> PostAsync(HttpClient client, string url, Dictionary<string, string> form)
    {
        form["__RequestVerificationToken"] = await TokenAsync(client, url);
        var answer = await client.PostAsync(url, new FormUrlEncodedContent(form));
        return (answer.StatusCode, await answer.Content.ReadAsStringAsync());
    }

    /// <summary>The error beside its field, named by the field's aria-describedby.</summary>
    private static void ShouldSayBeside(string body, string inputId, string field, string message)
    {
        var error = $"<span class=\"field-error\" id=\"fel-{field}\">{message}</span>";
        WebUtility.HtmlDecode(body).ShouldContain(error);
        Regex.IsMatch(body, $"id=\"{Regex.Escape(inputId)}\"[^>]*aria-describedby=\"[^\"]*fel-{Regex.Escape(field)}").ShouldBeTrue($"{inputId} names its error");
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_empty_title_and_a_weight_of_1_2_3_are_said_in_Swedish_beside_their_fields_and_nothing_is_saved(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        Guid library, parent, level;
        int goalsBefore;
        var (scope, db) = app.DbFor(Slug);
        using (scope)
        {
            library = await db.Units.Where(u => u.Name == "Biblioteket").Select(u => u.Id).SingleAsync();
            parent = await db.Goals.Where(g => g.Title == "Fler deltar i kultur och fritid").Select(g => g.Id).SingleAsync();
            level = await db.Goals.Where(g => g.OwnerUnitId == library).Select(g => g.LevelId).FirstAsync();
            goalsBefore = await db.Goals.CountAsync();
        }

        var editor = await app.MemberClientAsync(Slug, TenantRole.Editor, library);
        var url = $"/k/{Slug}/mal/ny?enhet={library}";
        var form = new Dictionary<string, string>
        {
            ["Title"] = "  ", ["LevelId"] = level.ToString(), ["ValidFrom"] = "2026", ["ValidTo"] = "2027", ["Links[0].GoalId"] = parent.ToString(), ["Links[0].Weight"] = "0,5",
            ["Description"] = "Det här ska stå kvar.",
        };
        var (status, body) = await PostAsync(editor, url, new(form));
        status.ShouldBe(HttpStatusCode.BadRequest);
        ShouldSayBeside(body, "titel", "title", "Målets titel måste anges.");
        body.ShouldContain("Det här ska stå kvar.");
        body.ShouldContain("value=\"0,5\"");

        form["Title"] = "Fler unga lånar e-böcker";
        form["Links[0].Weight"] = "1,2,3";
        (status, body) = await PostAsync(editor, url, new(form));
        status.ShouldBe(HttpStatusCode.BadRequest);
        ShouldSayBeside(body, "vikt-0", "contributes[0].weight", "Ange ett tal med decimalkomma, t.ex. 0,5.");
        body.ShouldContain("value=\"1,2,3\"");
        body.ShouldContain("value=\"Fler unga lånar e-böcker\"");

        // A weight with a decimal comma is taken as Swedes write it.
        form["Links[0].Weight"] = "0,5";
        var direct = app.CreateClient(new() { AllowAutoRedirect = false });
        direct.DefaultRequestHeaders.Authorization = editor.DefaultRequestHeaders.Authorization;
        var saved = await direct.PostAsync(url, new FormUrlEncodedContent(new Dictionary<string, string>(form) { ["__RequestVerificationToken"] = await TokenAsync(direct, url) }));
        saved.StatusCode.ShouldBe(HttpStatusCode.Redirect, await saved.Content.ReadAsStringAsync());
        var (after, afterDb) = app.DbFor(Slug);
        using (after)
        {
            (await afterDb.Goals.CountAsync()).ShouldBe(goalsBefore + 1);
            var created = await afterDb.Goals.SingleAsync(g => g.Title == "Fler unga lånar e-böcker");
            saved.Headers.Location!.ToString().ShouldBe($"/k/{Slug}/mal/{created.Id}?klart=mal-skapat", "the goal's own page after saving, saying so");
            (await afterDb.GoalLinks.SingleAsync(l => l.ChildGoalId == created.Id)).Weight.ShouldBe(0.5m);
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_target_of_1_2_3_and_an_empty_name_are_said_beside_their_fields_and_the_indicator_keeps_its_targets(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        Guid library, indicator;
        var (scope, db) = app.DbFor(Slug);
        using (scope)
        {
            library = await db.Units.Where(u => u.Name == "Biblioteket").Select(u => u.Id).SingleAsync();
            indicator = await db.Indicators.Where(i => i.OwnerUnitId == library && i.GoalId != null && i.Targets.Count > 0).Select(i => i.Id).FirstAsync();
        }

        var editor = await app.MemberClientAsync(Slug, TenantRole.Editor, library);
        var url = $"/k/{Slug}/indikator/{indicator}/andra";
        var page = await editor.GetStringAsync(url);
        var form = Regex.Matches(page, "<input (?:(?!>).)*?name=\"([^\"]+)\"(?:(?!>).)*?value=\"([^\"]*)\"").Where(m => !m.Groups[1].Value.StartsWith("__", StringComparison.Ordinal))
            .GroupBy(m => m.Groups[1].Value).ToDictionary(g => g.Key, g => WebUtility.HtmlDecode(g.First().Groups[2].Value));
        foreach (var select in Regex.Matches(page, "<select[^>]*name=\"([^\"]+)\"[^>]*>(.*?)</select>", RegexOptions.Singleline).ToList())
        {
            var chosen = Regex.Match(select.Groups[2].Value, "<option value=\"([^\"]*)\" selected");
            form[select.Groups[1].Value] = chosen.Success ? chosen.Groups[1].Value : "";
        }

        var firstTarget = form.First(f => f.Key.EndsWith(".Value", StringComparison.Ordinal) && f.Key.StartsWith("Targets[", StringComparison.Ordinal) && f.Value != "");
        var row = Regex.Match(firstTarget.Key, @"\[(\d+)\]").Groups[1].Value;
        form[firstTarget.Key] = "1,2,3";
        var (status, body) = await PostAsync(editor, url, new(form));
        status.ShouldBe(HttpStatusCode.BadRequest);
        ShouldSayBeside(body, $"mv-{row}", $"targets[{row}].value", "Ange ett tal med decimalkomma, t.ex. 12,5.");
        body.ShouldContain("value=\"1,2,3\"");

        form[firstTarget.Key] = firstTarget.Value;
        form["Name"] = "";
        (status, body) = await PostAsync(editor, url, new(form));
        status.ShouldBe(HttpStatusCode.BadRequest);
        ShouldSayBeside(body, "namn", "name", "Indikatorns namn måste anges.");

        var (after, afterDb) = app.DbFor(Slug);
        using (after)
        {
            var stored = await afterDb.Indicators.Include(i => i.Targets).SingleAsync(i => i.Id == indicator);
            stored.Name.ShouldNotBeEmpty();
            stored.Version.ShouldBe(int.Parse(form["Version"], System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_program_gets_an_indicator_from_its_own_link_owned_by_the_program_s_unit(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        Guid program, owner;
        var (scope, db) = app.DbFor(Slug);
        using (scope)
        {
            var found = await db.Programs.SingleAsync(p => p.Name == "Miljöprogram 2023-2026");
            (program, owner) = (found.Id, found.OwnerUnitId!.Value);
        }

        var admin = await app.MemberClientAsync(Slug, TenantRole.Admin);
        var url = $"/k/{Slug}/indikator/ny?program={program}";
        var page = await admin.GetStringAsync(url);
        WebUtility.HtmlDecode(page).ShouldContain("Hör till programmet: Miljöprogram 2023-2026");
        var (status, body) = await PostAsync(admin, url, new()
        {
            ["Name"] = "Andel fossilfria fordon", ["UnitOfMeasure"] = "%", ["OwnerUnitId"] = owner.ToString(), ["Direction"] = "HigherIsBetter", ["Periodicity"] = "Year",
            ["Source"] = "Manual", ["Weight"] = "1", ["Decimals"] = "1", ["Targets[0].PeriodKey"] = "2026", ["Targets[0].Value"] = "87,5",
        });
        status.ShouldBe(HttpStatusCode.OK, body);
        var (after, afterDb) = app.DbFor(Slug);
        using (after)
        {
            var saved = await afterDb.Indicators.Include(i => i.Targets).SingleAsync(i => i.Name == "Andel fossilfria fordon");
            (saved.ProgramId, saved.GoalId, saved.OwnerUnitId, saved.Decimals).ShouldBe((program, (Guid?)null, owner, 1));
            saved.Targets.Single().Value.ShouldBe(87.5m);
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Through_the_api_too_an_editor_creates_goals_and_indicators_for_their_own_units_and_no_others(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        Guid library, pool, parent, level;
        var (scope, db) = app.DbFor(Slug);
        using (scope)
        {
            library = await db.Units.Where(u => u.Name == "Biblioteket").Select(u => u.Id).SingleAsync();
            pool = await db.Units.Where(u => u.Name == "Badhuset").Select(u => u.Id).SingleAsync();
            parent = await db.Goals.Where(g => g.Title == "Fler deltar i kultur och fritid").Select(g => g.Id).SingleAsync();
            level = await db.Goals.Where(g => g.OwnerUnitId == library).Select(g => g.LevelId).FirstAsync();
        }

        var editor = await app.MemberClientAsync(Slug, TenantRole.Editor, library);
        object Goal(Guid unit) => new { levelId = level, ownerUnitId = unit, title = "Simkunniga barn", validFromYear = 2026, validToYear = 2027, contributes = new[] { new { goalId = parent, weight = 1 } } };
        var outside = await editor.PostAsJsonAsync($"/api/v1/tenants/{Slug}/goals", Goal(pool));
        outside.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await outside.Content.ReadAsStringAsync()).ShouldContain(Goals.GoalEditing.OutsideUnits);
        var own = await editor.PostAsJsonAsync($"/api/v1/tenants/{Slug}/goals", Goal(library));
        own.StatusCode.ShouldBe(HttpStatusCode.Created, await own.Content.ReadAsStringAsync());
        var goal = (await own.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>())!;

        object Indicator(Guid unit) => new { name = "Simkunniga i åk 4", ownerUnitId = unit, goalId = goal["id"]!.GetValue<Guid>(), periodicity = "year", direction = "higherIsBetter", weight = 1 };
        (await editor.PostAsJsonAsync($"/api/v1/tenants/{Slug}/indicators", Indicator(pool))).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await editor.PostAsJsonAsync($"/api/v1/tenants/{Slug}/indicators", Indicator(library))).StatusCode.ShouldBe(HttpStatusCode.Created);

        // Moving their goal to another unit is not theirs to do; a reader changes nothing at all.
        goal["ownerUnitId"] = pool;
        (await editor.PutAsJsonAsync($"/api/v1/tenants/{Slug}/goals/{goal["id"]}", goal)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var reader = await app.MemberClientAsync(Slug, TenantRole.Reader);
        (await reader.DeleteAsync($"/api/v1/tenants/{Slug}/goals/{goal["id"]}?version={goal["version"]}")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }
}
