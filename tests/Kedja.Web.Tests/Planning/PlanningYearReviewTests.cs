using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kedja.Domain.FollowUp;
using Kedja.Domain.Model;
using Kedja.Domain.Periods;
using Kedja.Domain.Planning;
using Kedja.Domain.Tenancy;
using Kedja.Web.Demo;
using Kedja.Web.Tests.DeadlineTests;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Tests.Planning;

/// <summary>
/// Review 16 on the planning year: activation follows the model's delår month (5); undo refuses, changing nothing, when
/// a row it wrote was changed or a created period holds a forecast (6); planned frames follow the budget rules (21);
/// a draft frame is no budget to readers, the card, the start page or the live editor (13).
/// </summary>
public class PlanningYearReviewTests
{
    private const string Slug = DemoTenant.Slug;

    private const string Api = $"/api/v1/tenants/{Slug}/planning-years/2027";

    private static async Task<JsonElement> OpenAsync(HttpClient admin)
    {
        var opened = await admin.PostAsync(Api, null);
        opened.StatusCode.ShouldBe(HttpStatusCode.Created, await opened.Content.ReadAsStringAsync());
        return await admin.GetFromJsonAsync<JsonElement>(Api);
    }

    private static Task<HttpResponseMessage> ChooseAsync(HttpClient admin, JsonElement view, object[] targets, object[] frames) =>
        admin.PutAsJsonAsync($"{Api}/choices", new
        {
            extendModel = true, extendGoals = Array.Empty<Guid>(), targets, activities = Array.Empty<Guid>(), controlActions = Array.Empty<Guid>(),
            budgetFrames = frames, version = view.GetProperty("version").GetInt32(),
        });

    private static async Task<JsonElement> ActivateAsync(HttpClient admin)
    {
        var view = await admin.GetFromJsonAsync<JsonElement>(Api);
        var activated = await admin.PostAsJsonAsync($"{Api}/activate", new { version = view.GetProperty("version").GetInt32() });
        activated.StatusCode.ShouldBe(HttpStatusCode.OK, await activated.Content.ReadAsStringAsync());
        return await admin.GetFromJsonAsync<JsonElement>(Api);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Activation_creates_the_delar_of_the_month_the_model_chose(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        await PlanningYearTests.ForgetDemoDraftAsync(app);
        var admin = await app.ClientAsync();
        var (scope, db) = app.DbFor(Slug);
        using (scope)
        {
            var model = await db.Models.SingleAsync();
            (model.Cadence, model.InterimEndMonth) = (FollowUpCadence.InterimAndAnnual, 4);
            await db.SaveChangesAsync();
        }

        var view = await OpenAsync(admin);
        view.GetProperty("periodsToCreate").EnumerateArray().Select(p => p.GetString()).ShouldBe([PeriodRef.Interim(2027, 4).Label, PeriodRef.ForYear(2027).Label]);
        (await ChooseAsync(admin, view, [], [])).StatusCode.ShouldBe(HttpStatusCode.OK);
        await ActivateAsync(admin);

        (scope, db) = app.DbFor(Slug);
        using (scope)
        {
            (await db.Periods.Where(p => p.Year == 2027).Select(p => p.Key).OrderBy(k => k).ToListAsync()).ShouldBe(["2027", "2027-D04"]);
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Undo_is_refused_and_changes_nothing_after_a_forecast_in_the_year_or_an_edit_of_a_written_target(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        await PlanningYearTests.ForgetDemoDraftAsync(app);
        var admin = await app.ClientAsync();
        var view = await OpenAsync(admin);
        var indicator = view.GetProperty("indicators").EnumerateArray()
            .First(i => i.GetProperty("proposals").GetArrayLength() > 0 && i.GetProperty("direction").GetString() != "targetRange");
        var id = indicator.GetProperty("id").GetGuid();
        var name = indicator.GetProperty("name").GetString()!;
        var value = indicator.GetProperty("proposals")[0].GetProperty("value").GetDecimal();
        var saved = await ChooseAsync(admin, view, [new { indicatorId = id, value, source = "Manual" }], []);
        saved.StatusCode.ShouldBe(HttpStatusCode.OK, await saved.Content.ReadAsStringAsync());

        // Plain undo and activation again: what activation wrote is untouched, so undo goes through.
        view = await ActivateAsync(admin);
        view.GetProperty("undoBlocked").ValueKind.ShouldBe(JsonValueKind.Null);
        (await admin.PostAsJsonAsync($"{Api}/undo", new { version = view.GetProperty("version").GetInt32() })).StatusCode.ShouldBe(HttpStatusCode.OK);
        view = await ActivateAsync(admin);

        // A forecast in a period activation created: the undo would have to delete the period under it.
        Guid forecastId;
        var (scope, db) = app.DbFor(Slug);
        using (scope)
        {
            var period = await db.Periods.OrderBy(p => p.EndDate).FirstAsync(p => p.Year == 2027);
            var forecast = new IndicatorForecast { IndicatorId = id, PeriodId = period.Id, Year = 2027, Value = value, RecordedBy = "test", RecordedAt = DateTime.UtcNow };
            db.IndicatorForecasts.Add(forecast);
            await db.SaveChangesAsync();
            forecastId = forecast.Id;
        }

        view = await admin.GetFromJsonAsync<JsonElement>(Api);
        view.GetProperty("undoBlocked").GetString()!.ShouldContain("prognoser för mått");
        var refused = await admin.PostAsJsonAsync($"{Api}/undo", new { version = view.GetProperty("version").GetInt32() });
        refused.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await refused.Content.ReadAsStringAsync()).ShouldContain("prognoser för mått");
        await UnchangedAsync(app, id, value);

        // The forecast goes; the written target is changed by hand: undo names it and neither deletes nor restores it.
        (scope, db) = app.DbFor(Slug);
        using (scope)
        {
            db.IndicatorForecasts.Remove(await db.IndicatorForecasts.SingleAsync(f => f.Id == forecastId));
            (await db.Targets.SingleAsync(t => t.PeriodKey == "2027" && t.IndicatorId == id)).Value = value + 1;
            await db.SaveChangesAsync();
        }

        view = await admin.GetFromJsonAsync<JsonElement>(Api);
        refused = await admin.PostAsJsonAsync($"{Api}/undo", new { version = view.GetProperty("version").GetInt32() });
        refused.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        var problem = (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString()!;
        problem.ShouldContain($"målvärdet för {name} 2027");
        problem.ShouldContain("ändrats efteråt");
        await UnchangedAsync(app, id, value + 1);
    }

    /// <summary>The activation stands as it was: the year active, the model extended, its periods there, the target as given.</summary>
    private static async Task UnchangedAsync(KedjaApp app, Guid indicator, decimal target)
    {
        var (scope, db) = app.DbFor(Slug);
        using (scope)
        {
            (await db.PlanningYears.SingleAsync(p => p.Year == 2027)).State.ShouldBe(PlanningYearState.Active);
            (await db.Models.SingleAsync()).LastYear.ShouldBe(2027);
            (await db.Periods.CountAsync(p => p.Year == 2027)).ShouldBeGreaterThan(0);
            (await db.Targets.SingleAsync(t => t.PeriodKey == "2027" && t.IndicatorId == indicator)).Value.ShouldBe(target);
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_planned_frame_follows_the_budget_rules_so_a_revenue_unit_may_be_below_zero(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        await PlanningYearTests.ForgetDemoDraftAsync(app);
        var admin = await app.ClientAsync();
        var view = await OpenAsync(admin);
        var unit = view.GetProperty("budget").EnumerateArray().First(b => !b.GetProperty("hasFrame").GetBoolean()).GetProperty("unitId").GetGuid();

        var bad = await ChooseAsync(admin, view, [], [new { unitId = unit, amount = 2_000_000_000_000m }]);
        bad.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        ProblemDetailsTests.Errors(await bad.Content.ReadFromJsonAsync<JsonElement>(), "budgetFrames[0].amount").ShouldBe([Domain.Values.Message]);

        var revenue = await ChooseAsync(admin, view, [], [new { unitId = unit, amount = -1_500m }]);
        revenue.StatusCode.ShouldBe(HttpStatusCode.OK, await revenue.Content.ReadAsStringAsync());
        var (scope, db) = app.DbFor(Slug);
        using (scope)
        {
            var draft = await db.BudgetFrames.SingleAsync(f => f.UnitId == unit && f.Year == 2027);
            (draft.Amount, draft.IsDraft).ShouldBe((-1_500m, true));
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_draft_frame_is_no_budget_on_the_card_the_lists_or_the_start_page_and_the_live_editor_refuses_it(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        await PlanningYearTests.ForgetDemoDraftAsync(app);
        var admin = await app.ClientAsync();
        var view = await OpenAsync(admin);
        var unit = view.GetProperty("budget").EnumerateArray().First(b => !b.GetProperty("hasFrame").GetBoolean()).GetProperty("unitId").GetGuid();
        (await ChooseAsync(admin, view, [], [new { unitId = unit, amount = 636_363m }])).StatusCode.ShouldBe(HttpStatusCode.OK);

        // The mandate period covers 2027 and 2027 has a period (templates make four years), the draft an outcome far over it, unexplained.
        var (scope, db) = app.DbFor(Slug);
        using (scope)
        {
            (await db.Models.SingleAsync()).LastYear = 2027;
            var t1 = new PeriodRef(2027, PeriodKind.Tertial, 1);
            db.Periods.Add(new FollowUpPeriod { Key = t1.Key, Year = 2027, Kind = t1.Kind, Name = t1.Label, StartDate = t1.Start, EndDate = t1.End, Deadline = t1.End.AddDays(20) });
            var draft = await db.BudgetFrames.SingleAsync(f => f.UnitId == unit && f.Year == 2027);
            db.BudgetOutcomes.Add(new Domain.Budget.BudgetOutcome { FrameId = draft.Id, PeriodKey = t1.Key, Actual = 900_000m, Forecast = 979_797m });
            await db.SaveChangesAsync();
        }

        StartPageDeadlineTests.MoveTo(app, new DateOnly(2027, 5, 10));
        var reader = await app.MemberClientAsync(Slug, TenantRole.Reader);
        (await reader.GetAsync($"/api/v1/tenants/{Slug}/budget/{unit}/card/2027-T1")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await reader.GetStringAsync($"/api/v1/tenants/{Slug}/budget?year=2027")).ShouldNotContain("636363");
        (await (await reader.GetAsync($"/k/{Slug}/malkort/{unit}?period=2027-T1")).Content.ReadAsStringAsync()).ShouldNotContain("id=\"budget-kort\"");
        var tenantAdmin = await app.MemberClientAsync(Slug, TenantRole.Admin);
        (await tenantAdmin.GetStringAsync($"/k/{Slug}")).ShouldNotContain($"/budget/{unit}?ar=2027");

        // The live editor neither changes the draft nor sets a second frame beside it (a client signed in after the clock moved).
        var set = await tenantAdmin.PutAsJsonAsync($"/api/v1/tenants/{Slug}/budget/{unit}/2027", new { unitId = unit, year = 2027, amount = 1m, outcomes = Array.Empty<object>() });
        set.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await set.Content.ReadAsStringAsync()).ShouldContain("utkast i planeringen");
        (scope, db) = app.DbFor(Slug);
        using (scope)
        {
            var frames = await db.BudgetFrames.Where(f => f.UnitId == unit && f.Year == 2027).ToListAsync();
            frames.Count.ShouldBe(1);
            (frames[0].Amount, frames[0].IsDraft).ShouldBe((636_363m, true));
        }
    }
}
