using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kedja.Domain.Indicators;
using Kedja.Domain.Tenancy;
using Kedja.Web.Demo;
using Kedja.Web.FollowUp;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Tests.Organisation;

/// <summary>
/// Reorganisations with an effective date (issue 16, ADR 47 section 5): the demo's library and bath house merge from
/// 1 July 2026; the cards of periods ending before keep both units as they were, the later ones show the new unit with
/// both's goals, outcomes roll up to the owner at each period's end, and the incremental statuses equal a computation
/// from scratch. One journey per database, as the web suite's time asks (ADR 18).
/// </summary>
public class ReorganisationTests
{
    private const string Tenant = $"/api/v1/tenants/{DemoTenant.Slug}";

    private static string Card(Guid unit, string period) => $"{Tenant}/units/{unit}/scorecard?periodKey={period}";

    /// <summary>Every goal's and indicator's status on a card, by id: what a rollup gives.</summary>
    private static Dictionary<Guid, string> Statuses(JsonElement card) =>
        ScorecardJson.Goals(card).SelectMany(g => g.GetProperty("indicators").EnumerateArray().Select(i => (Id: i.GetProperty("id").GetGuid(), Status: i.GetProperty("status").GetProperty("key").GetString()!))
                .Prepend((Id: g.GetProperty("id").GetGuid(), Status: g.GetProperty("status").GetProperty("key").GetString()!)))
            .ToDictionary(x => x.Id, x => x.Status);

    /// <summary>A planned rename of the library from next year, for the pages that show one reorganisation (nothing changes until it is confirmed).</summary>
    public static async Task<Guid> SomeReorganisationAsync(KedjaApp app)
    {
        var admin = await app.ClientAsync();
        var library = (await admin.GetFromJsonAsync<JsonElement>($"{Tenant}/units")).EnumerateArray()
            .Single(u => u.GetProperty("name").GetString() == "Biblioteket").GetProperty("id").GetGuid();
        var planned = await admin.PostAsJsonAsync($"{Tenant}/reorganisations", new
        {
            name = "Biblioteket 2027", effectiveDate = "2027-01-01",
            steps = new object[] { new { kind = "rename", sourceUnitIds = new[] { library }, newName = "Biblioteket och kulturhuset" } },
        });
        planned.StatusCode.ShouldBe(HttpStatusCode.Created, await planned.Content.ReadAsStringAsync());
        return (await planned.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_merge_keeps_earlier_cards_gives_later_ones_to_the_new_unit_and_the_update_equals_a_computation_from_scratch(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var admin = await app.ClientAsync();
        var units = (await admin.GetFromJsonAsync<JsonElement>($"{Tenant}/units")).EnumerateArray().ToList();
        Guid Named(string name) => units.Single(u => u.GetProperty("name").GetString() == name).GetProperty("id").GetGuid();
        var (library, bath) = (Named("Biblioteket"), Named("Badhuset"));
        var parent = units.Single(u => u.GetProperty("id").GetGuid() == library).GetProperty("parentId").GetGuid();

        // Before: the cards as reported, and the period's statuses held by this node (so that what follows is an update).
        var before = new Dictionary<string, string>();
        foreach (var (unit, period) in new[] { (library, "2025-T3"), (bath, "2025-T3"), (library, "2026-T1"), (bath, "2026-T1"), (parent, "2026-T1"), (parent, "2026-T2") })
        {
            before[$"{unit} {period}"] = await admin.GetStringAsync(Card(unit, period));
        }

        var libraryT2 = await admin.GetFromJsonAsync<JsonElement>(Card(library, "2026-T2"));
        var bathT2 = await admin.GetFromJsonAsync<JsonElement>(Card(bath, "2026-T2"));
        var movedGoals = ScorecardJson.Goals(libraryT2).Concat(ScorecardJson.Goals(bathT2)).Select(g => g.GetProperty("id").GetGuid()).ToList();
        movedGoals.Count.ShouldBeGreaterThan(1);
        Domain.Periods.FollowUpPeriod t2;
        var (scope, db) = app.DbFor(DemoTenant.Slug);
        using (scope)
        {
            t2 = await db.Periods.AsNoTracking().SingleAsync(p => p.Key == "2026-T2");
            await scope.ServiceProvider.GetRequiredService<StatusService>().ForPeriodAsync(t2);
        }

        var cache = app.Services.GetRequiredService<StatusCache>();
        var updates = cache.Updates;

        // Only an administrator plans; a reader and an editor are refused, and nothing of it is found by another id.
        var reader = await app.MemberClientAsync(DemoTenant.Slug, TenantRole.Reader);
        (await reader.GetAsync($"{Tenant}/reorganisations")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var editor = await app.MemberClientAsync(DemoTenant.Slug, TenantRole.Editor, library);
        var plan = new
        {
            name = "Kultur och fritid samlas", effectiveDate = "2026-07-01",
            steps = new object[] { new { kind = "merge", sourceUnitIds = new[] { library, bath }, newName = "Kultur och fritid" } },
        };
        (await editor.PostAsJsonAsync($"{Tenant}/reorganisations", plan)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await admin.GetAsync($"{Tenant}/reorganisations/{Guid.NewGuid()}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        // Bad input: every problem at once, in Swedish, and nothing saved.
        var bad = await admin.PostAsJsonAsync($"{Tenant}/reorganisations", new
        {
            name = "", effectiveDate = "2026-03-01",
            steps = new object[]
            {
                new { kind = "merge", sourceUnitIds = new[] { library } , newName = "X" },
                new { kind = "move", sourceUnitIds = new[] { parent }, newParentId = library },
                new { kind = "rename", sourceUnitIds = new[] { library }, newName = "Y" },
            },
        });
        bad.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var problems = await bad.Content.ReadAsStringAsync();
        foreach (var expected in new[] { "Ange ett namn", "låst år", "minst två olika enheter", "kan inte flyttas under sig själv", "Biblioteket ingår redan i steg 1" })
        {
            problems.ShouldContain(expected, Case.Sensitive, problems);
        }

        (await admin.GetFromJsonAsync<JsonElement>($"{Tenant}/reorganisations")).EnumerateArray().Select(r => r.GetProperty("name").GetString())
            .ShouldBe(["En gemensam hemtjänst"], "nothing saved beside the demo's planned merger");

        // Planned: the new unit exists (inactive), and every goal of both units is proposed to go to it.
        var planned = await admin.PostAsJsonAsync($"{Tenant}/reorganisations", plan);
        planned.StatusCode.ShouldBe(HttpStatusCode.Created, await planned.Content.ReadAsStringAsync());
        var view = await planned.Content.ReadFromJsonAsync<JsonElement>();
        var id = view.GetProperty("id").GetGuid();
        var merged = view.GetProperty("steps")[0].GetProperty("targets")[0].GetProperty("id").GetGuid();
        var mappings = view.GetProperty("mappings").EnumerateArray().ToList();
        mappings.Where(m => m.GetProperty("entityKind").GetString() == "goal").Select(m => m.GetProperty("entityId").GetGuid()).ShouldBe(movedGoals, ignoreOrder: true);
        mappings.ShouldAllBe(m => m.GetProperty("to").GetProperty("id").GetGuid() == merged);
        view.GetProperty("summary")[0].GetString().ShouldBe("Biblioteket och Badhuset slås ihop till Kultur och fritid");
        var version = view.GetProperty("version").GetInt32();

        // A stale version is refused; a mapping to a unit outside the step too.
        (await admin.PostAsJsonAsync($"{Tenant}/reorganisations/{id}/confirm", new { version = version + 1 })).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        var outside = await admin.PutAsJsonAsync($"{Tenant}/reorganisations/{id}/mappings",
            new { version, mappings = new[] { new { mappingId = mappings[0].GetProperty("id").GetGuid(), toUnitId = (Guid?)parent } } });
        outside.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await outside.Content.ReadAsStringAsync()).ShouldContain("stegets nya enheter");

        // Confirmed: the date has passed, so it is applied at once.
        var confirmed = await admin.PostAsJsonAsync($"{Tenant}/reorganisations/{id}/confirm", new { version });
        confirmed.StatusCode.ShouldBe(HttpStatusCode.OK, await confirmed.Content.ReadAsStringAsync());
        (await confirmed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("state").GetString().ShouldBe("applied");
        (await admin.PostAsJsonAsync($"{Tenant}/reorganisations/{id}/cancel", new { version = version + 1 })).StatusCode.ShouldBe(HttpStatusCode.BadRequest);

        // Earlier periods read exactly as before, the nämnd's rollup included.
        foreach (var (key, card) in before)
        {
            var (unit, period) = (Guid.Parse(key.Split(' ')[0]), key.Split(' ')[1]);
            (await admin.GetStringAsync(Card(unit, period))).ShouldBe(card, key);
        }

        // From the date, the new unit holds both's goals with their outcomes, statuses as before; the old units none.
        var newCard = await admin.GetFromJsonAsync<JsonElement>(Card(merged, "2026-T2"));
        ScorecardJson.Goals(newCard).Select(g => g.GetProperty("id").GetGuid()).ShouldBe(movedGoals, ignoreOrder: true);
        var expectedStatuses = Statuses(libraryT2).Concat(Statuses(bathT2)).ToDictionary();
        Statuses(newCard).ShouldBe(expectedStatuses);
        newCard.GetProperty("unitName").GetString().ShouldBe("Kultur och fritid");
        newCard.GetProperty("reorganisations")[0].GetProperty("text").GetString()
            .ShouldBe("Jämförelsen spänner över omorganisationen 2026-07-01 (Biblioteket och Badhuset slogs ihop till Kultur och fritid).");
        ScorecardJson.Goals(await admin.GetFromJsonAsync<JsonElement>(Card(library, "2026-T2"))).ShouldBeEmpty();
        (await admin.GetStringAsync(Card(parent, "2026-T2"))).ShouldBe(before[$"{parent} 2026-T2"].Replace("\"unitId\":\"" + library, "\"unitId\":\"" + merged)
            .Replace("\"unitId\":\"" + bath, "\"unitId\":\"" + merged).Replace("\"unit\":\"Biblioteket\"", "\"unit\":\"Kultur och fritid\"").Replace("\"unit\":\"Badhuset\"", "\"unit\":\"Kultur och fritid\""));

        // An outcome entered after the merge rolls up under the new unit; the held statuses, brought up to date, equal a
        // computation from scratch, for the period and for the new unit's chain.
        var indicator = ScorecardJson.Goals(newCard).SelectMany(g => g.GetProperty("indicators").EnumerateArray()).First(i => i.GetProperty("outcomePeriod").GetString() == "2026-T2");
        var outcomes = await admin.GetFromJsonAsync<JsonElement>($"{Tenant}/indicators/{indicator.GetProperty("id").GetGuid()}/outcomes");
        var outcomeVersion = outcomes.EnumerateArray().Single(o => o.GetProperty("periodKey").GetString() == "2026-T2").GetProperty("version").GetInt32();
        (await admin.PutAsJsonAsync($"{Tenant}/indicators/{indicator.GetProperty("id").GetGuid()}/outcomes/2026-T2", new { value = 4711m, version = outcomeVersion }))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
        ScorecardJson.Goals(await admin.GetFromJsonAsync<JsonElement>(Card(merged, "2026-T2"))).SelectMany(g => g.GetProperty("indicators").EnumerateArray())
            .Single(i => i.GetProperty("id").GetGuid() == indicator.GetProperty("id").GetGuid()).GetProperty("outcome").GetDecimal().ShouldBe(4711m);
        (scope, db) = app.DbFor(DemoTenant.Slug);
        using (scope)
        {
            var statuses = scope.ServiceProvider.GetRequiredService<StatusService>();
            var updated = await statuses.ForPeriodAsync(t2);
            cache.Updates.ShouldBeGreaterThan(updates, "the held period was brought up to date after the reorganisation, not computed afresh");
            var fresh = await statuses.ComputeAsync(t2);
            JsonSerializer.Serialize(updated.Goals.OrderBy(g => g.Key)).ShouldBe(JsonSerializer.Serialize(fresh.Goals.OrderBy(g => g.Key)));
            JsonSerializer.Serialize(updated.Indicators.OrderBy(g => g.Key)).ShouldBe(JsonSerializer.Serialize(fresh.Indicators.OrderBy(g => g.Key)));
            JsonSerializer.Serialize(updated.GoalFacts.OrderBy(g => g.Key)).ShouldBe(JsonSerializer.Serialize(fresh.GoalFacts.OrderBy(g => g.Key)));
            movedGoals.ShouldAllBe(g => fresh.GoalFacts[g].OwnerUnitId == merged);
            var t1 = await db.Periods.AsNoTracking().SingleAsync(p => p.Key == "2026-T1");
            movedGoals.ShouldAllBe(g => new[] { library, bath }.Contains(statuses.ComputeAsync(t1).Result.GoalFacts[g].OwnerUnitId));
        }

        // A change planned ahead is read by date before anyone applies it: the unit keeps its name until the date.
        var rename = await admin.PostAsJsonAsync($"{Tenant}/reorganisations", new
        {
            name = "Nytt namn", effectiveDate = "2027-01-01",
            steps = new object[] { new { kind = "rename", sourceUnitIds = new[] { parent }, newName = "Kultur- och fritidsnämnden 2027" } },
        });
        rename.StatusCode.ShouldBe(HttpStatusCode.Created, await rename.Content.ReadAsStringAsync());
        var renameView = await rename.Content.ReadFromJsonAsync<JsonElement>();
        var renamed = await admin.PostAsJsonAsync($"{Tenant}/reorganisations/{renameView.GetProperty("id").GetGuid()}/confirm", new { version = renameView.GetProperty("version").GetInt32() });
        (await renamed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("state").GetString().ShouldBe("confirmed");
        var parentName = units.Single(u => u.GetProperty("id").GetGuid() == parent).GetProperty("name").GetString();
        (await admin.GetFromJsonAsync<JsonElement>($"{Tenant}/units/{parent}")).GetProperty("name").GetString().ShouldBe(parentName);
        app.Clock.Advance(TimeSpan.FromDays(45));
        // The day's change: the worker applies it and the demo's merger of 2027-01-01 (a read never does, review 16 finding 14).
        (await app.Services.GetRequiredService<Kedja.Web.Organisation.ReorganisationWorker>().RunOnceAsync()).ShouldBe(2);
        (await admin.GetFromJsonAsync<JsonElement>($"{Tenant}/reorganisations")).EnumerateArray().Select(r => r.GetProperty("state").GetString()).ShouldBe(["applied", "applied", "applied"], "the demo's merger of 2027-01-01 too");
        (await admin.GetFromJsonAsync<JsonElement>($"{Tenant}/units/{parent}")).GetProperty("name").GetString().ShouldBe("Kultur- och fritidsnämnden 2027");
        (await admin.GetFromJsonAsync<JsonElement>(Card(parent, "2026-T2"))).GetProperty("unitName").GetString().ShouldBe(parentName, "a period is read with the names of its end date");

        // The pages are the administrator's: a reader is refused (and sees no form), a reader's post is refused, strangers
        // are sent to sign in, and what people write is written as text.
        var pages = new[] { "/k/{0}/organisation/omorganisationer", "/k/{0}/organisation/omorganisationer/ny", $"/k/{{0}}/organisation/omorganisationer/{id}" }
            .Select(p => string.Format(System.Globalization.CultureInfo.InvariantCulture, p, DemoTenant.Slug)).ToList();
        foreach (var url in pages)
        {
            (await admin.GetAsync(url)).StatusCode.ShouldBe(HttpStatusCode.OK, url);
            (await reader.GetAsync(url)).StatusCode.ShouldBe(HttpStatusCode.Forbidden, url);
            var anonymous = app.CreateClient(new() { AllowAutoRedirect = false });
            (await anonymous.GetAsync(url)).Headers.Location!.ToString().ShouldContain("/logga-in?tillbaka=", Case.Sensitive, url);
        }

        var form = await admin.GetStringAsync(pages[1]);
        var token = System.Text.RegularExpressions.Regex.Match(form, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
        (await reader.PostAsync(pages[1], new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token, ["Name"] = "x" })))
            .StatusCode.ShouldBeOneOf(HttpStatusCode.Forbidden, HttpStatusCode.BadRequest);
        var hostile = await admin.PostAsJsonAsync($"{Tenant}/reorganisations", new
        {
            name = "<script>alert(1)</script>", effectiveDate = "2027-01-01",
            steps = new object[] { new { kind = "rename", sourceUnitIds = new[] { Named("Badhuset") == bath ? Named("Fritidsgården Navet") : bath }, newName = "<img src=x onerror=alert(2)>" } },
        });
        hostile.StatusCode.ShouldBe(HttpStatusCode.Created, await hostile.Content.ReadAsStringAsync());
        var list = await admin.GetStringAsync(pages[0]);
        list.ShouldContain("&lt;script&gt;alert(1)&lt;/script&gt;");
        list.ShouldNotContain("<script>alert(1)");
        list.ShouldNotContain("<img src=x");

        // Audited, as every write.
        (await admin.GetFromJsonAsync<JsonElement>($"{Tenant}/audit?entity=Reorganisation")).GetArrayLength().ShouldBeGreaterThanOrEqualTo(4);
    }
}
