using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Kedja.Domain.Tenancy;
using Kedja.Web.Demo;
using Microsoft.Playwright;

namespace Kedja.Web.Tests.InternalControl;

/// <summary>
/// Internal control in the browser (ADR 46): a committee's controller proposes and decides a plan and changes it with a
/// reason; a school reports its control action with a deviation and a measure; the executive board sees the summary.
/// </summary>
[Collection(Browser.Collection)]
public sealed class ControlPlanJourneyTests(Browser browser)
{
    private const string Slug = DemoTenant.Slug;

    /// <remarks>As ActivityProgramJourneyTests: a refused post answers on the URL it was sent to, so only the navigation tells that the answer has arrived.</remarks>
    private static async Task SubmitAsync(IPage page, string button)
    {
#pragma warning disable CS0612
        await page.RunAndWaitForNavigationAsync(() => page.GetByRole(AriaRole.Button, new() { Name = button, Exact = true }).ClickAsync());
#pragma warning restore CS0612
    }

    /// <summary>axe-core with no violations at a laptop's width and at a phone's 320 px.</summary>
    private static async Task NoViolationsAsync(IPage page, string name)
    {
        foreach (var width in new[] { 1366, 320 })
        {
            await page.SetViewportSizeAsync(width, 900);
            await Browser.ScreenshotAsync(page, $"{name}-{width}");
            (await Browser.AccessibilityAsync(page)).ShouldBeEmpty($"axe-core on {name} at {width} px ({page.Url})");
        }

        await page.SetViewportSizeAsync(1366, 900);
    }

    /// <summary>Test day in the autumn of 2026, when the demo's second tertial is the one being followed up.</summary>
    private static void Autumn(KedjaApp app)
    {
        app.Clock.Freeze();
        app.Clock.Advance(new DateTimeOffset(2026, 10, 1, 8, 0, 0, TimeSpan.Zero) - app.Clock.GetUtcNow());
    }

    [BrowserFact]
    public async Task A_controller_proposes_and_decides_a_plan_and_a_school_reports_a_deviation_with_a_measure()
    {
        await using var app = await KedjaApp.StartAsync(nameof(Data.DatabaseProvider.Sqlite), seedDemo: true, kestrel: true);
        Autumn(app);
        var units = ControlPlanTests.DemoUnits(app);
        var school = units.Workplace; // a workplace under the administration, as a school is under BUF

        var high = ControlPlanTests.AddRisk(app, units.Department, "Felaktiga utbetalningar", 2026, 4, 3);
        var low = ControlPlanTests.AddRisk(app, school, "Försenade betygsbeslut", 2026, 1, 2);
        var (email, password) = await app.MemberAsync(Slug, TenantRole.Editor, units.Committee);
        var controller = await browser.PageAsync(app);
        await Browser.SignInAsync(controller, email, password);
        await controller.GetByRole(AriaRole.Link, new() { Name = "Intern kontroll", Exact = true }).ClickAsync();
        (await controller.Locator("h1").InnerTextAsync()).ShouldBe("Intern kontroll");
        await controller.GetByRole(AriaRole.Link, new() { Name = units.CommitteeName, Exact = true }).ClickAsync();
        (await controller.Locator("h1").InnerTextAsync()).ShouldBe($"Internkontrollplan 2026 – {units.CommitteeName}");

        // The proposal: the risk above the threshold is chosen, the one below is offered unchosen.
        (await controller.Locator($"#ny-risk-{high}").IsCheckedAsync()).ShouldBeTrue();
        (await controller.Locator($"#ny-risk-{low}").IsCheckedAsync()).ShouldBeFalse();
        await NoViolationsAsync(controller, "ik-plan-forslag");
        await controller.GetByLabel("Beskrivning").FillAsync("Nämndens plan för 2026.");
        await SubmitAsync(controller, "Skapa förslaget");
        (await controller.Locator("p.done").InnerTextAsync()).ShouldBe("Ändringen är sparad.");
        (await controller.Locator("#risker + ul").InnerTextAsync()).ShouldContain("Felaktiga utbetalningar");

        await controller.GetByLabel("Kontrollmoment", new() { Exact = true }).FillAsync("Stickprov på utbetalningar");
        await controller.GetByLabel("Risk", new() { Exact = true }).SelectOptionAsync(high.ToString());
        await controller.GetByLabel("Metod").FillAsync("Stickprov");
        await controller.GetByLabel("Ansvarig enhet").SelectOptionAsync(school.ToString());
        await controller.GetByLabel("Period").SelectOptionAsync("2026-T2");
        await SubmitAsync(controller, "Lägg till kontrollmoment");
        (await controller.Locator("#kontrollmoment ~ div table").InnerTextAsync()).ShouldContain("Stickprov på utbetalningar");

        await controller.GetByLabel("Beslutsdag").FillAsync("2026-02-18");
        await controller.GetByLabel("Paragraf (§)").FillAsync("§ 12");
        await SubmitAsync(controller, "Registrera beslutet");
        (await controller.Locator("main").InnerTextAsync()).ShouldContain("Beslutad 2026-02-18 § 12");

        // Locked: a change without a reason is refused beside the field and nothing changes; with one it is kept.
        await controller.Locator("#plan-beskrivning").FillAsync("Nämndens reviderade plan för 2026.");
        await SubmitAsync(controller, "Spara planen");
        (await controller.Locator("#fel-changeReason").InnerTextAsync()).ShouldBe("Planen är beslutad. Ange skälet till ändringen.");
        await NoViolationsAsync(controller, "ik-plan-skal-saknas");
        await controller.Locator("#plan-skal").FillAsync("Revisionens påpekande");
        await SubmitAsync(controller, "Spara planen");
        (await controller.Locator("main").InnerTextAsync()).ShouldContain("Skäl till senaste ändringen: Revisionens påpekande");
        await NoViolationsAsync(controller, "ik-plan-beslutad");

        // The school finds the control action among what it has to follow up and reports a deviation.
        var (schoolEmail, schoolPassword) = await app.MemberAsync(Slug, TenantRole.Editor, school);
        var department = await browser.PageAsync(app);
        await Browser.SignInAsync(department, schoolEmail, schoolPassword);
        await department.GotoAsync($"/k/{Slug}/intern-kontroll");
        await department.GetByRole(AriaRole.Link, new() { Name = "Stickprov på utbetalningar" }).ClickAsync();
        (await department.Locator("h1").InnerTextAsync()).ShouldBe("Uppföljning av kontrollmoment: Stickprov på utbetalningar");
        await department.GetByLabel("Med avvikelse").CheckAsync();
        await SubmitAsync(department, "Spara resultatet");
        (await department.Locator("#fel-findings").InnerTextAsync()).ShouldBe("Beskriv avvikelsen: vad kontrollen visade.");
        await NoViolationsAsync(department, "ik-uppfoljning-fel");
        await department.GetByLabel("Iakttagelser").FillAsync("2 av 15 utbetalningar saknade underlag.");
        await SubmitAsync(department, "Spara resultatet");
        (await department.Locator("p.done").InnerTextAsync()).ShouldBe("Ändringen är sparad.");
        await department.GetByLabel("Åtgärd", new() { Exact = true }).FillAsync("Rutin för underlag vid utbetalning");
        await department.GetByLabel("Ägare").FillAsync("Rektor");
        await department.GetByLabel("Sista dag").FillAsync("2026-12-15");
        await SubmitAsync(department, "Lägg till åtgärd");
        (await department.Locator("#periodens-atgarder ~ ul").InnerTextAsync()).ShouldContain("Rutin för underlag vid utbetalning");
        await NoViolationsAsync(department, "ik-uppfoljning");

        await department.GetByRole(AriaRole.Link, new() { Name = "← Stickprov på utbetalningar" }).ClickAsync();
        var detail = await department.Locator("main").InnerTextAsync();
        detail.ShouldContain("Med avvikelse");
        detail.ShouldContain("Ej påbörjad");
        await department.GetByLabel("Status för Rutin för underlag vid utbetalning", new() { Exact = true }).SelectOptionAsync("InProgress");
        await SubmitAsync(department, "Spara status för Rutin för underlag vid utbetalning");
        (await department.Locator("#atgarder ~ div table").InnerTextAsync()).ShouldContain("Pågår");
        await NoViolationsAsync(department, "ik-kontrollmoment");

        // The school sees its control action but not the committee's plan.
        var plan = await department.GotoAsync($"/k/{Slug}/intern-kontroll/planer/{units.Committee}/2026");
        plan!.Status.ShouldBe(404);
    }

    [BrowserFact]
    public async Task The_executive_board_sees_every_committees_summary_and_another_committee_sees_none_of_it()
    {
        await using var app = await KedjaApp.StartAsync(nameof(Data.DatabaseProvider.Sqlite), seedDemo: true, kestrel: true);
        Autumn(app);
        var units = ControlPlanTests.DemoUnits(app);
        const string api = $"/api/v1/tenants/{Slug}";
        var committee = await app.MemberClientAsync(Slug, TenantRole.Editor, units.Committee);
        var made = await committee.PostAsJsonAsync($"{api}/control-plans", new
        {
            unitId = units.Committee, year = 2026,
            actions = new[] { new { title = "Avstämning av kassa", method = "Avstämning", responsibleUnitId = units.Department, periodKey = "2026-T3" } },
        });
        var plan = await made.Content.ReadFromJsonAsync<JsonElement>();
        (await committee.PostAsJsonAsync($"{api}/control-plans/{plan.GetProperty("id").GetGuid()}/decision", new { decidedOn = "2026-02-18", decisionParagraph = "§ 12", version = plan.GetProperty("version").GetInt32() }))
            .EnsureSuccessStatusCode();
        var action = plan.GetProperty("actions")[0].GetProperty("id").GetGuid();
        (await committee.PutAsJsonAsync($"{api}/control-actions/{action}/results/2026-T3", new { outcome = "withDeviation", findings = "Differens på 300 kronor." })).EnsureSuccessStatusCode();
        (await committee.PostAsJsonAsync($"{api}/control-actions/{action}/measures", new { periodKey = "2026-T3", text = "Daglig avstämning", deadline = "2026-09-30", status = "notStarted" }))
            .EnsureSuccessStatusCode();

        var (email, password) = await app.MemberAsync(Slug, TenantRole.Editor, units.Board);
        var board = await browser.PageAsync(app);
        await Browser.SignInAsync(board, email, password);
        await board.GotoAsync($"/k/{Slug}/intern-kontroll?ar=2026");
        var row = board.Locator("tr", new() { Has = board.GetByRole(AriaRole.Link, new() { Name = units.CommitteeName, Exact = true }) });
        var cells = await row.Locator("td").AllInnerTextsAsync();
        cells[0].ShouldStartWith("Beslutad");
        cells.Skip(1).Select(c => c.Trim()).ShouldBe(["1", "0", "1", "0", "0", "1", "1"]);
        (await board.Locator("tbody tr").CountAsync()).ShouldBeGreaterThan(5);
        (await board.Locator("tbody").InnerTextAsync()).ShouldContain("Ingen plan");
        await NoViolationsAsync(board, "ik-sammanstallning");

        // The board reads the committee's plan but changes nothing in it.
        await board.GetByRole(AriaRole.Link, new() { Name = units.CommitteeName, Exact = true }).ClickAsync();
        (await board.Locator("main").InnerTextAsync()).ShouldContain("Avstämning av kassa");
        (await board.GetByRole(AriaRole.Button, new() { Name = "Spara planen" }).CountAsync()).ShouldBe(0);
        await NoViolationsAsync(board, "ik-plan-styrelsen");

        var (otherEmail, otherPassword) = await app.MemberAsync(Slug, TenantRole.Editor, units.Neighbour);
        var other = await browser.PageAsync(app);
        await Browser.SignInAsync(other, otherEmail, otherPassword);
        await other.GotoAsync($"/k/{Slug}/intern-kontroll?ar=2026");
        (await other.Locator("main").InnerTextAsync()).ShouldNotContain(units.CommitteeName);
        (await other.GotoAsync($"/k/{Slug}/intern-kontroll/planer/{units.Committee}/2026"))!.Status.ShouldBe(404);
        (await other.GotoAsync($"/k/{Slug}/intern-kontroll/kontrollmoment/{action}"))!.Status.ShouldBe(404);
        Regex.IsMatch(await other.Locator("main").InnerTextAsync(), "Kontrollmomentet finns inte").ShouldBeTrue();
    }
}
