using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Kedja.Domain.Organisation;
using Kedja.Domain.Periods;
using Kedja.Domain.Tenancy;
using Kedja.Web.Demo;
using Kedja.Web.Tests.Imports;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kedja.Web.Tests.Organisation;

/// <summary>
/// Review 16, findings 1, 4 and 16: after a reorganisation, who may write a period's values and whose follow-up holds
/// them go by the owner at the period's end; a later owner change is written into the history; applying moves only what
/// still belongs where the plan found it; a unit that history or a reorganisation names is not deleted.
/// </summary>
public class ReorganisationWriteTests
{
    private const string Tenant = $"/api/v1/tenants/{DemoTenant.Slug}";

    private static async Task<Dictionary<string, Guid>> UnitsAsync(HttpClient admin) =>
        (await admin.GetFromJsonAsync<JsonElement>($"{Tenant}/units")).EnumerateArray().ToDictionary(u => u.GetProperty("name").GetString()!, u => u.GetProperty("id").GetGuid());

    /// <summary>Plans a merge of the library and the bath house from the date; confirmed too, unless asked not to. The new unit's id and the view.</summary>
    private static async Task<(Guid Merged, JsonElement View)> MergeAsync(HttpClient admin, Guid library, Guid bath, string date, bool confirm = true)
    {
        var planned = await admin.PostAsJsonAsync($"{Tenant}/reorganisations", new
        {
            name = "Kultur och fritid samlas", effectiveDate = date,
            steps = new object[] { new { kind = "merge", sourceUnitIds = new[] { library, bath }, newName = "Kultur och fritid" } },
        });
        planned.StatusCode.ShouldBe(HttpStatusCode.Created, await planned.Content.ReadAsStringAsync());
        var view = await planned.Content.ReadFromJsonAsync<JsonElement>();
        var merged = view.GetProperty("steps")[0].GetProperty("targets")[0].GetProperty("id").GetGuid();
        if (!confirm)
        {
            return (merged, view);
        }

        var confirmed = await admin.PostAsJsonAsync($"{Tenant}/reorganisations/{view.GetProperty("id").GetGuid()}/confirm", new { version = view.GetProperty("version").GetInt32() });
        confirmed.StatusCode.ShouldBe(HttpStatusCode.OK, await confirmed.Content.ReadAsStringAsync());
        return (merged, await confirmed.Content.ReadFromJsonAsync<JsonElement>());
    }

    private static async Task<int?> OutcomeVersionAsync(HttpClient client, Guid indicator, string period)
    {
        var response = await client.GetAsync($"{Tenant}/indicators/{indicator}/outcomes/{period}");
        return response.StatusCode == HttpStatusCode.OK ? (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("version").GetInt32() : null;
    }

    private static async Task<string> ShouldBeConflictAsync(HttpResponseMessage response, string what)
    {
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.Conflict, $"{what}: {body}");
        return body;
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task After_a_merge_a_locked_year_stays_locked_to_the_new_unit_and_the_old_units_editor_obeys_the_old_units_lock(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true, settings: OutcomeImportTests.NoWorker);
        var admin = await app.ClientAsync();
        var units = await UnitsAsync(admin);
        var (library, bath) = (units["Biblioteket"], units["Badhuset"]);
        Guid indicator, goal;
        var (scope, db) = app.DbFor(DemoTenant.Slug);
        using (scope)
        {
            var found = await db.Indicators.AsNoTracking().Where(i => i.OwnerUnitId == library && i.GoalId != null && i.ProgramId == null && i.Periodicity == PeriodKind.Tertial
                    && db.Outcomes.Any(o => o.IndicatorId == i.Id && o.PeriodKey == "2025-T3") && db.Outcomes.Any(o => o.IndicatorId == i.Id && o.PeriodKey == "2026-T1"))
                .OrderBy(i => i.Name).FirstAsync();
            (indicator, goal) = (found.Id, found.GoalId!.Value);
        }

        // The demo locked every follow-up before 2026-T2; the merge comes after them.
        var oldEditor = await app.MemberClientAsync(DemoTenant.Slug, TenantRole.Editor, library);
        var (merged, view) = await MergeAsync(admin, library, bath, "2026-07-01");
        view.GetProperty("state").GetString().ShouldBe("applied");
        var newEditor = await app.MemberClientAsync(DemoTenant.Slug, TenantRole.Editor, merged);
        var outcomeBefore = await admin.GetStringAsync($"{Tenant}/indicators/{indicator}/outcomes/2025-T3");
        async Task<string> AssessmentAsync()
        {
            var response = await admin.GetAsync($"{Tenant}/goals/{goal}/assessments/2025-T3");
            return response.StatusCode == HttpStatusCode.OK ? await response.Content.ReadAsStringAsync() : response.StatusCode.ToString();
        }

        var assessmentBefore = await AssessmentAsync();

        // The new unit's editor cannot write the library's locked 2025: outcome, forecast, assessment, import row.
        var version = await OutcomeVersionAsync(admin, indicator, "2025-T3");
        (await ShouldBeConflictAsync(await newEditor.PutAsJsonAsync($"{Tenant}/indicators/{indicator}/outcomes/2025-T3", new { value = 99m, version }), "outcome"))
            .ShouldContain("Biblioteket");
        await ShouldBeConflictAsync(await newEditor.PutAsJsonAsync($"{Tenant}/indicators/{indicator}/forecasts/2025-T3", new { value = 99m }), "forecast");
        await ShouldBeConflictAsync(await newEditor.PutAsJsonAsync($"{Tenant}/goals/{goal}/assessments/2025-T3",
            new { status = "ej-uppfyllt", motivation = "Ändrat efteråt.", version = (int?)null }), "assessment");
        var import = await OutcomeImportTests.UploadAsync(app, newEditor, "efterhand.csv", OutcomeImportTests.Csv("Indikator-id;Indikator;Period;Utfall;Målvärde", $"{indicator};;2025-T3;99;"));
        import.GetProperty("preview").GetProperty("canImport").GetBoolean().ShouldBeFalse();
        import.GetProperty("preview").GetProperty("problems")[0].GetProperty("message").GetString()!.ShouldContain("Biblioteket");

        // Nor can an administrator: the library's follow-up of 2025 is locked, whoever owns the indicator today.
        (await ShouldBeConflictAsync(await admin.PutAsJsonAsync($"{Tenant}/indicators/{indicator}/outcomes/2025-T3", new { value = 99m, version }), "admin outcome"))
            .ShouldContain("låst");
        (await admin.GetStringAsync($"{Tenant}/indicators/{indicator}/outcomes/2025-T3")).ShouldBe(outcomeBefore);
        (await AssessmentAsync()).ShouldBe(assessmentBefore);
        (await admin.GetAsync($"{Tenant}/indicators/{indicator}/forecasts/2025-T3")).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        // 2026-T1 ended before the merge: it is the library's, locked by the library's follow-up; reopened, its editor
        // writes it, and the new unit's editor still does not.
        var t1 = await OutcomeVersionAsync(admin, indicator, "2026-T1");
        (await ShouldBeConflictAsync(await oldEditor.PutAsJsonAsync($"{Tenant}/indicators/{indicator}/outcomes/2026-T1", new { value = 7m, version = t1 }), "old editor, locked"))
            .ShouldContain("låst");
        // The library is inactive now and off the workflow list: its follow-up is reopened in the database.
        (scope, db) = app.DbFor(DemoTenant.Slug);
        using (scope)
        {
            (await db.UnitPeriodStatuses.Where(s => s.UnitId == library && db.Periods.Any(p => p.Id == s.PeriodId && p.Key == "2026-T1"))
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.State, WorkflowState.Open))).ShouldBe(1);
        }

        await ShouldBeConflictAsync(await newEditor.PutAsJsonAsync($"{Tenant}/indicators/{indicator}/outcomes/2026-T1", new { value = 7m, version = t1 }), "new editor, T1");
        var written = await oldEditor.PutAsJsonAsync($"{Tenant}/indicators/{indicator}/outcomes/2026-T1", new { value = 7m, version = t1 });
        written.StatusCode.ShouldBe(HttpStatusCode.OK, await written.Content.ReadAsStringAsync());

        // From the merge on the indicator is the new unit's: its editor writes 2026-T2, the library's editor does not.
        var t2 = await OutcomeVersionAsync(admin, indicator, "2026-T2");
        (await oldEditor.PutAsJsonAsync($"{Tenant}/indicators/{indicator}/outcomes/2026-T2", new { value = 8m, version = t2 })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var later = await newEditor.PutAsJsonAsync($"{Tenant}/indicators/{indicator}/outcomes/2026-T2", new { value = 8m, version = t2 });
        later.StatusCode.ShouldBe(HttpStatusCode.OK, await later.Content.ReadAsStringAsync());

        // Finding 4: an owner change after the merge is written into the history from today; the periods before keep theirs.
        var navet = units["Fritidsgården Navet"];
        var goalDoc = JsonNode.Parse(await admin.GetStringAsync($"{Tenant}/goals/{goal}"))!;
        goalDoc["ownerUnitId"] = navet.ToString();
        var moved = await admin.PutAsJsonAsync($"{Tenant}/goals/{goal}", goalDoc);
        moved.StatusCode.ShouldBe(HttpStatusCode.OK, await moved.Content.ReadAsStringAsync());
        var indicatorDoc = JsonNode.Parse(await admin.GetStringAsync($"{Tenant}/indicators/{indicator}"))!;
        indicatorDoc["ownerUnitId"] = navet.ToString();
        var movedIndicator = await admin.PutAsJsonAsync($"{Tenant}/indicators/{indicator}", indicatorDoc);
        movedIndicator.StatusCode.ShouldBe(HttpStatusCode.OK, await movedIndicator.Content.ReadAsStringAsync());
        var today = Kedja.Web.Periods.Deadlines.Today(app.Clock);
        (scope, db) = app.DbFor(DemoTenant.Slug);
        using (scope)
        {
            foreach (var id in new[] { goal, indicator })
            {
                var history = (await db.Ownerships.AsNoTracking().Where(o => o.EntityId == id).ToListAsync())
                    .Select(o => new Owner(o.UnitId, new DateSpan(o.ValidFrom, o.ValidTo))).ToList();
                Ownership.At(navet, history, today).ShouldBe(navet);
                Ownership.At(navet, history, today.AddDays(-1)).ShouldBe(merged);
                Ownership.At(navet, history, new DateOnly(2026, 4, 30)).ShouldBe(library);
            }
        }

        ScorecardJson.Goals(await admin.GetFromJsonAsync<JsonElement>($"{Tenant}/units/{merged}/scorecard?periodKey=2026-T2"))
            .Select(g => g.GetProperty("id").GetGuid()).ShouldContain(goal, "a period that ended before the change keeps its owner");
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Applying_moves_only_what_still_belongs_where_the_plan_found_it_and_says_what_it_left(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var admin = await app.ClientAsync();
        var units = await UnitsAsync(admin);
        var (library, bath, navet) = (units["Biblioteket"], units["Badhuset"], units["Fritidsgården Navet"]);
        var today = Kedja.Web.Periods.Deadlines.Today(app.Clock);
        var date = new DateOnly(today.Year, today.Month, 1).AddMonths(2);
        var (merged, view) = await MergeAsync(admin, library, bath, date.ToString("yyyy-MM-dd"));
        view.GetProperty("state").GetString().ShouldBe("confirmed");
        var goals = view.GetProperty("mappings").EnumerateArray().Where(m => m.GetProperty("entityKind").GetString() == "goal").Select(m => m.GetProperty("entityId").GetGuid()).ToList();
        var (changed, kept) = (goals[0], goals[1]);

        // Between confirming and the date an administrator gives one goal to another unit.
        var goalDoc = JsonNode.Parse(await admin.GetStringAsync($"{Tenant}/goals/{changed}"))!;
        goalDoc["ownerUnitId"] = navet.ToString();
        (await admin.PutAsJsonAsync($"{Tenant}/goals/{changed}", goalDoc)).StatusCode.ShouldBe(HttpStatusCode.OK);

        // The day's change: the worker applies it (and the demo's own merger of 2027-01-01); a read never does.
        app.Clock.Advance(TimeSpan.FromDays(date.DayNumber - today.DayNumber + 1));
        await app.Services.GetRequiredService<Kedja.Web.Organisation.ReorganisationWorker>().RunOnceAsync();
        var applied = (await admin.GetFromJsonAsync<JsonElement>($"{Tenant}/reorganisations")).EnumerateArray()
            .Single(r => r.GetProperty("id").GetGuid() == view.GetProperty("id").GetGuid());
        applied.GetProperty("state").GetString().ShouldBe("applied");
        (await admin.GetFromJsonAsync<JsonElement>($"{Tenant}/goals/{changed}")).GetProperty("ownerUnitId").GetGuid().ShouldBe(navet, "the change made after confirming stands");
        (await admin.GetFromJsonAsync<JsonElement>($"{Tenant}/goals/{kept}")).GetProperty("ownerUnitId").GetGuid().ShouldBe(merged);
        var problems = applied.GetProperty("problems").EnumerateArray().Select(p => p.GetString()!).ToList();
        problems.Count.ShouldBe(1, string.Join("\n", problems));
        problems[0].ShouldContain("flyttades inte till Kultur och fritid");
        problems[0].ShouldContain("Fritidsgården Navet");
        (await admin.GetFromJsonAsync<JsonElement>($"{Tenant}/reorganisations/{applied.GetProperty("id").GetGuid()}")).GetProperty("problems").GetArrayLength().ShouldBe(1);
        (await admin.GetStringAsync($"/k/{DemoTenant.Slug}/organisation/omorganisationer/{applied.GetProperty("id").GetGuid()}")).ShouldContain("flyttades inte");

        // The history agrees with the owner column: the goal is Navet's from the day it was changed, the other the new unit's from the date.
        var (scope, db) = app.DbFor(DemoTenant.Slug);
        using (scope)
        {
            var rows = await db.Ownerships.AsNoTracking().Where(o => o.EntityId == changed || o.EntityId == kept).ToListAsync();
            List<Owner> Of(Guid id) => [.. rows.Where(o => o.EntityId == id).Select(o => new Owner(o.UnitId, new DateSpan(o.ValidFrom, o.ValidTo)))];
            Ownership.At(navet, Of(changed), date).ShouldBe(navet);
            Ownership.At(navet, Of(changed), today.AddDays(-1)).ShouldBe(library);
            Ownership.At(merged, Of(kept), date).ShouldBe(merged);
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_unit_that_a_reorganisation_or_the_history_names_is_not_deleted(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var admin = await app.ClientAsync();
        var units = await UnitsAsync(admin);
        var (library, bath) = (units["Biblioteket"], units["Badhuset"]);
        var parent = (await admin.GetFromJsonAsync<JsonElement>($"{Tenant}/units/{library}")).GetProperty("parentId").GetGuid();

        // The inactive new unit of a planned merge: refused, kept, and the merge can still be confirmed.
        var (merged, view) = await MergeAsync(admin, library, bath, "2027-01-01", confirm: false);
        var unit = await admin.GetFromJsonAsync<JsonElement>($"{Tenant}/units/{merged}");
        (await ShouldBeConflictAsync(await admin.DeleteAsync($"{Tenant}/units/{merged}?version={unit.GetProperty("version").GetInt32()}"), "planned merge's unit"))
            .ShouldContain("omorganisation");
        (await admin.GetAsync($"{Tenant}/units/{merged}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var confirmed = await admin.PostAsJsonAsync($"{Tenant}/reorganisations/{view.GetProperty("id").GetGuid()}/confirm", new { version = view.GetProperty("version").GetInt32() });
        confirmed.StatusCode.ShouldBe(HttpStatusCode.OK, await confirmed.Content.ReadAsStringAsync());

        // Units that only the history names: one with a version of itself, one that owned a goal once.
        async Task<Guid> NewUnitAsync(string name)
        {
            var created = await admin.PostAsJsonAsync($"{Tenant}/units", new { name, kind = "unit", parentId = parent, isActive = true });
            created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
            return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        }

        var (versioned, owned) = (await NewUnitAsync("Med historik"), await NewUnitAsync("Ägde ett mål"));
        var (scope, db) = app.DbFor(DemoTenant.Slug);
        using (scope)
        {
            var goal = await db.Goals.AsNoTracking().Select(g => g.Id).FirstAsync();
            db.OrgUnitVersions.Add(new OrgUnitVersion { UnitId = versioned, ValidTo = new DateOnly(2025, 1, 1), Name = "Förr", Kind = UnitKind.Unit, IsActive = true });
            db.Ownerships.Add(new OwnershipPeriod { EntityKind = OwnedKind.Goal, EntityId = goal, UnitId = owned, ValidTo = new DateOnly(2020, 1, 1) });
            await db.SaveChangesAsync();
        }

        foreach (var id in new[] { versioned, owned })
        {
            (await ShouldBeConflictAsync(await admin.DeleteAsync($"{Tenant}/units/{id}?version=0"), "history")).ShouldContain("historik");
            (await admin.GetAsync($"{Tenant}/units/{id}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        (scope, db) = app.DbFor(DemoTenant.Slug);
        using (scope)
        {
            (await db.OrgUnitVersions.CountAsync(v => v.UnitId == versioned)).ShouldBe(1, "nothing of the history cascaded away");
        }
    }
}
