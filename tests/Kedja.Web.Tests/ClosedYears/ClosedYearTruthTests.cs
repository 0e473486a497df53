using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kedja.Domain.Tenancy;
using Kedja.Web.Budget;
using Kedja.Web.Cli;
using Kedja.Web.Infrastructure;
using Kedja.Web.Demo;
using Kedja.Web.Periods;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Kedja.Web.Tests.ClosedYears.ClosedYearTests;

namespace Kedja.Web.Tests.ClosedYears;

/// <summary>
/// Review 16, findings 2, 7, 8, 9 and 22, and the verb take-locked-cards: a closed year stays as reported, to the
/// public too, and only the administrator who opened a correction changes it.
/// </summary>
public class ClosedYearTruthTests
{
    private const string PublicBase = $"/api/v1/public/{DemoTenant.Slug}";

    /// <summary>Reopens the unit's follow-up of the period, lets the action run on it, and locks it again.</summary>
    private static async Task ReportAndLockAsync(HttpClient admin, Guid unit, string period, Func<Task> report)
    {
        var reopened = await admin.PostAsJsonAsync($"{Base}/units/{unit}/periods/{period}/workflow",
            new { action = "reopen", reason = "Ett utfall saknas", version = await WorkflowVersion(admin, unit, period) });
        reopened.StatusCode.ShouldBe(HttpStatusCode.OK, await reopened.Content.ReadAsStringAsync());
        await report();
        var locked = await admin.PostAsJsonAsync($"{Base}/units/{unit}/periods/{period}/workflow", new { action = "lock", version = await WorkflowVersion(admin, unit, period) });
        locked.StatusCode.ShouldBe(HttpStatusCode.OK, await locked.Content.ReadAsStringAsync());
    }

    private static async Task PublishAsync(HttpClient admin, string key)
    {
        var period = (await admin.GetFromJsonAsync<JsonElement>($"{Base}/periods")).EnumerateArray().Single(p => p.GetProperty("key").GetString() == key);
        if (!period.GetProperty("isPublished").GetBoolean())
        {
            (await admin.PutAsJsonAsync($"{Base}/periods/{key}/publication", new { isPublished = true, version = period.GetProperty("version").GetInt32() }))
                .StatusCode.ShouldBe(HttpStatusCode.OK);
        }
    }

    private static async Task<HttpResponseMessage> CorrectAsync(HttpClient admin, Guid unit, string reason, bool finish = false) =>
        await admin.PostAsJsonAsync($"{Base}/corrections{(finish ? "/finish" : "")}",
            new { unitId = unit, periodKey = Closed, reason, version = await WorkflowVersion(admin, unit, Closed) });

    private static async Task<(HttpStatusCode Status, string Body)> AsTextAsync(Task<HttpResponseMessage> request)
    {
        var response = await request;
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_published_locked_card_hands_the_public_no_forecast_and_no_name(string provider)
    {
        const string period = "2025-T2";
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var (indicator, unit) = UnitIndicator(app);
        var admin = await app.ClientAsync();
        var editor = await app.MemberClientAsync(DemoTenant.Slug, TenantRole.Editor, unit);
        await ReportAndLockAsync(admin, unit, period, async () =>
        {
            var put = await editor.PutAsJsonAsync($"{Base}/indicators/{indicator}/forecasts/{period}", new { value = 3.5m, comment = "Hemlig bedömning inför hösten." });
            put.StatusCode.ShouldBe(HttpStatusCode.OK, await put.Content.ReadAsStringAsync());
        });
        await PublishAsync(admin, period);

        // Inside, the locked card keeps the forecast as reported.
        Line(await Card(admin, unit, period), indicator).GetProperty("forecast").ValueKind.ShouldBe(JsonValueKind.Object);

        var anonymous = app.CreateClient();
        var published = await anonymous.GetStringAsync($"{PublicBase}/periods/{period}/scorecard?unitId={unit}");
        published.ShouldNotContain("recordedBy", Case.Insensitive);
        published.ShouldNotContain("Hemlig bedömning");
        var line = Line(JsonDocument.Parse(published).RootElement, indicator);
        (!line.TryGetProperty("forecast", out var forecast) || forecast.ValueKind == JsonValueKind.Null).ShouldBeTrue();
        var page = await anonymous.GetStringAsync($"/p/{DemoTenant.Slug}/enhet/{unit}?period={period}");
        page.ShouldNotContain("Hemlig bedömning");
        page.ShouldNotContain("@test.kedja");
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_open_correction_stays_inside_until_finished_and_the_latest_correction_is_what_was_reported(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var (indicator, unit) = UnitIndicator(app);
        var admin = await app.ClientAsync();
        var editor = await app.MemberClientAsync(DemoTenant.Slug, TenantRole.Editor, unit);
        await ReportAndLockAsync(admin, unit, Closed, async () =>
            (await PutOutcome(editor, indicator, Closed, 41m, await OutcomeVersion(editor, indicator, Closed))).StatusCode.ShouldBe(HttpStatusCode.OK));
        await PublishAsync(admin, Closed);
        var anonymous = app.CreateClient();

        async Task<decimal?> PublicOutcome() => (await anonymous.GetFromJsonAsync<JsonElement>($"{PublicBase}/indicators?unitId={unit}")).EnumerateArray()
            .Single(i => i.GetProperty("id").GetGuid() == indicator).GetProperty("outcomes").EnumerateArray()
            .Where(o => o.GetProperty("periodKey").GetString() == Closed).Select(o => (decimal?)o.GetProperty("value").GetDecimal()).SingleOrDefault();
        async Task<List<string>> OpenData() => [.. (await anonymous.GetFromJsonAsync<JsonElement>($"/p/{DemoTenant.Slug}/oppna-data/alla.json")).GetProperty("outcomes")
            .EnumerateArray().Where(o => o.GetProperty("indicatorId").GetGuid() == indicator && o.GetProperty("period").GetString() == Closed)
            .Select(o => o.GetProperty("value").ToString())];
        async Task<string> Page() => await anonymous.GetStringAsync($"/p/{DemoTenant.Slug}/indikator/{indicator}?period={Closed}");

        (await PublicOutcome()).ShouldBe(41m);
        (await OpenData()).ShouldContain("41");

        // While the correction is open, what it changes stays inside: the public API, open data and the portal.
        var started = await CorrectAsync(admin, unit, "Fel siffra i september");
        started.StatusCode.ShouldBe(HttpStatusCode.OK, await started.Content.ReadAsStringAsync());
        (await PutOutcome(admin, indicator, Closed, 13.37m, await OutcomeVersion(admin, indicator, Closed))).StatusCode.ShouldBe(HttpStatusCode.OK);
        Line(await Card(admin, unit, Closed), indicator).GetProperty("outcome").GetDecimal().ShouldBe(13.37m);
        (await PublicOutcome()).ShouldNotBe(13.37m);
        (await OpenData()).ShouldNotContain("13.37");
        (await Page()).ShouldNotContain("13,37");
        Line(await anonymous.GetFromJsonAsync<JsonElement>($"{PublicBase}/periods/{Closed}/scorecard?unitId={unit}"), indicator)
            .GetProperty("outcome").GetDecimal().ShouldBe(41m);

        // Finished, the correction is public, and marked.
        (await CorrectAsync(admin, unit, "", finish: true)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await PublicOutcome()).ShouldBe(13.37m);
        (await OpenData()).ShouldContain("13.37");
        (await Page()).ShouldContain("13,37");
        var published = await anonymous.GetFromJsonAsync<JsonElement>($"{PublicBase}/periods/{Closed}/scorecard?unitId={unit}");
        Line(published, indicator).GetProperty("outcome").GetDecimal().ShouldBe(13.37m);
        published.GetProperty("corrections").EnumerateArray().Single().GetProperty("marker").GetString()!.ShouldStartWith("Rättad 20");

        // A second correction. Its card is what was reported even when another node's clock put it before the first (finding 22).
        (await CorrectAsync(admin, unit, "Fel igen")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await PutOutcome(admin, indicator, Closed, 88m, await OutcomeVersion(admin, indicator, Closed))).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await CorrectAsync(admin, unit, "", finish: true)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var (scope, db) = app.DbFor(DemoTenant.Slug);
        using (scope)
        {
            var first = await db.LockedScorecards.Where(s => s.UnitId == unit && s.CorrectionNumber == 1).SingleAsync();
            await db.LockedScorecards.Where(s => s.UnitId == unit && s.CorrectionNumber == 2)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.LockedAt, first.LockedAt.AddMinutes(-5)));
        }

        var reader = await app.MemberClientAsync(DemoTenant.Slug, TenantRole.Reader);
        Line(await Card(reader, unit, Closed), indicator).GetProperty("outcome").GetDecimal().ShouldBe(88m);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Only_the_account_that_opened_a_correction_writes_through_it_while_it_is_an_administrator(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var (indicator, unit) = UnitIndicator(app);
        var (adminEmail, password) = await app.MemberAsync(DemoTenant.Slug, TenantRole.Admin);
        var admin = await app.ClientAsync(adminEmail, password);
        var (editorEmail, editorPassword) = await app.MemberAsync(DemoTenant.Slug, TenantRole.Editor, unit);
        var editor = await app.ClientAsync(editorEmail, editorPassword);
        var started = await CorrectAsync(admin, unit, "Fel siffra i september");
        started.StatusCode.ShouldBe(HttpStatusCode.OK, await started.Content.ReadAsStringAsync());
        (await PutOutcome(admin, indicator, Closed, 50m, await OutcomeVersion(admin, indicator, Closed))).StatusCode.ShouldBe(HttpStatusCode.OK);

        // An editor who goes by the same name as the correcting administrator (or an import run in that name) is someone else.
        var (scope, db) = app.DbFor(DemoTenant.Slug);
        using (scope)
        {
            await db.Corrections.Where(c => c.UnitId == unit && c.ClosedAt == null).ExecuteUpdateAsync(s => s.SetProperty(c => c.OpenedBy, editorEmail));
        }

        (await PutOutcome(editor, indicator, Closed, 51m, await OutcomeVersion(editor, indicator, Closed))).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await PutOutcome(admin, indicator, Closed, 52m, await OutcomeVersion(admin, indicator, Closed))).StatusCode.ShouldBe(HttpStatusCode.OK);

        // Demoted since opening it, the same account is refused.
        (scope, db) = app.DbFor(DemoTenant.Slug);
        using (scope)
        {
            var user = await db.Users.Where(u => u.Email == adminEmail).Select(u => u.Id).SingleAsync();
            await db.Memberships.Where(m => m.UserId == user).ExecuteUpdateAsync(s => s.SetProperty(m => m.Role, TenantRole.Editor));
        }

        var (status, body) = await AsTextAsync(PutOutcome(admin, indicator, Closed, 53m, await OutcomeVersion(admin, indicator, Closed)));
        status.ShouldBe(HttpStatusCode.Conflict, body);
        body.ShouldContain("låst");
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_locked_years_budget_stays_as_reported_unless_its_administrator_corrects_it(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var (_, unit) = UnitIndicator(app);
        var admin = await app.ClientAsync();
        var framePath = $"{Base}/budget/{unit}/2025";
        async Task<JsonElement?> Frame() => await admin.GetAsync(framePath) is { StatusCode: HttpStatusCode.OK } ok ? await ok.Content.ReadFromJsonAsync<JsonElement>() : null;

        // Reported with a frame of 1 000 tkr, and locked: the card keeps it.
        await ReportAndLockAsync(admin, unit, Closed, async () =>
        {
            var frame = await Frame();
            var put = await admin.PutAsJsonAsync(framePath, new { unitId = unit, year = 2025, outcomes = Array.Empty<object>(), amount = 1000m, version = frame?.GetProperty("version").GetInt32() });
            put.StatusCode.ShouldBe(HttpStatusCode.OK, await put.Content.ReadAsStringAsync());
        });
        var version = (await Frame())!.Value.GetProperty("version").GetInt32();
        var (status, body) = await AsTextAsync(admin.PutAsJsonAsync(framePath, new { unitId = unit, year = 2025, outcomes = Array.Empty<object>(), amount = 2000m, version }));
        status.ShouldBe(HttpStatusCode.Conflict, body);
        body.ShouldContain("Budgeten för 2025 är låst");
        await using (var services = app.Services.CreateAsyncScope())
        {
            (await services.ServiceProvider.GetRequiredService<TenantAccess>().EnterAsSystemAsync(DemoTenant.Slug)).Error.ShouldBeNull();
            var batch = await services.ServiceProvider.GetRequiredService<BudgetEditing>().SaveAllAsync(new BudgetBatch([new BudgetFrameEntry(unit, 2025, 2000m)], []));
            batch.Error!.Message.ShouldContain("Budgeten för 2025 är låst");
        }

        (await Frame())!.Value.GetProperty("amount").GetDecimal().ShouldBe(1000m);

        // What the locked card shows stays as reported, whatever happens to the frame underneath.
        var (scope, db) = app.DbFor(DemoTenant.Slug);
        using (scope)
        {
            await db.BudgetFrames.Where(f => f.UnitId == unit && f.Year == 2025).ExecuteUpdateAsync(s => s.SetProperty(f => f.Amount, 5000m));
        }

        (await admin.GetFromJsonAsync<JsonElement>($"{Base}/budget/{unit}/card/{Closed}")).GetProperty("frame").GetDecimal().ShouldBe(1000m);

        // The administrator who opens a correction changes it, and the finished correction's card shows the change.
        (await CorrectAsync(admin, unit, "Ramen beslutades om")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var corrected = await admin.PutAsJsonAsync(framePath, new { unitId = unit, year = 2025, outcomes = Array.Empty<object>(), amount = 1500m, version = (await Frame())!.Value.GetProperty("version").GetInt32() });
        corrected.StatusCode.ShouldBe(HttpStatusCode.OK, await corrected.Content.ReadAsStringAsync());
        (await CorrectAsync(admin, unit, "", finish: true)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await admin.GetFromJsonAsync<JsonElement>($"{Base}/budget/{unit}/card/{Closed}")).GetProperty("frame").GetDecimal().ShouldBe(1500m);
        (await AsTextAsync(admin.PutAsJsonAsync(framePath, new { unitId = unit, year = 2025, outcomes = Array.Empty<object>(), amount = 1600m, version = (await Frame())!.Value.GetProperty("version").GetInt32() }))).Status
            .ShouldBe(HttpStatusCode.Conflict);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Take_locked_cards_keeps_the_cards_of_follow_ups_locked_before_they_were_kept_once_and_says_so(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        async Task<(int ExitCode, string Output, string Error)> Run(params string[] args)
        {
            using var output = new StringWriter();
            using var error = new StringWriter();
            var exit = await Verbs.RunAsync(args, output, error, new Dictionary<string, string?>
            {
                ["Kedja:Database:Provider"] = app.Provider.ToString(), ["ConnectionStrings:Kedja"] = app.ConnectionString, ["Kedja:Demo:Seed"] = "false",
                ["Kedja:Imports:RunWorker"] = "false", ["Kedja:Reports:RunWorker"] = "false",
            });
            return (exit, output.ToString(), error.ToString());
        }

        async Task<int> Kept()
        {
            var (scope, db) = app.DbFor(DemoTenant.Slug);
            using (scope)
            {
                return await db.LockedScorecards.CountAsync();
            }
        }

        var before = await Kept();
        (await Run("take-locked-cards", "--tenant", "finns-inte")).ExitCode.ShouldBe(Verbs.Usage);

        var dry = await Run("take-locked-cards", "--tenant", DemoTenant.Slug, "--dry-run");
        dry.ExitCode.ShouldBe(0, dry.Error);
        dry.Error.ShouldContain("Provkörning");
        var listed = dry.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        listed.Length.ShouldBeGreaterThan(0);
        (await Kept()).ShouldBe(before);

        var run = await Run("take-locked-cards", "--tenant", DemoTenant.Slug);
        run.ExitCode.ShouldBe(0, run.Error);
        run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).ShouldBe(listed);
        (await Kept()).ShouldBe(before + listed.Length);
        var (scope, db) = app.DbFor(DemoTenant.Slug);
        using (scope)
        {
            (await db.LockedScorecards.CountAsync(s => s.LockedBy == LockedCardBackfill.TakenAfterwards)).ShouldBe(listed.Length);
            (await db.UnitPeriodStatuses.CountAsync(s => s.State == Domain.Periods.WorkflowState.Locked
                && !db.LockedScorecards.Any(c => c.UnitId == s.UnitId && c.PeriodId == s.PeriodId))).ShouldBeLessThanOrEqualTo(await db.UnitPeriodStatuses.CountAsync());
        }

        var again = await Run("take-locked-cards", "--tenant", DemoTenant.Slug);
        again.ExitCode.ShouldBe(0);
        again.Output.ShouldBeEmpty();
        again.Error.ShouldContain("inget sparades");
        (await Kept()).ShouldBe(before + listed.Length);
    }
}
