using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Kedja.Domain;
using Kedja.Domain.Tenancy;
using Kedja.Web.Demo;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace Kedja.Web.Tests;

/// <summary>
/// Governing documents and budget in the browser: an administrator adds a document serving two goals and finds it on
/// the goal's page, changes it against someone else's change and removes it; an editor reports a budget outcome and
/// forecast for their unit, the administrator sees the total above, and a locked period refuses the next report.
/// axe-core on every page and state.
/// </summary>
[Collection(Browser.Collection)]
public sealed class DocumentBudgetJourneyTests(Browser browser)
{
    private const string Slug = DemoTenant.Slug;

    private static async Task AccessibleAsync(IPage page, string name)
    {
        await Browser.ScreenshotAsync(page, name);
        (await Browser.AccessibilityAsync(page)).ShouldBeEmpty($"axe-core on {name}");
    }

    [BrowserFact]
    public async Task An_administrator_adds_a_document_serving_two_goals_sees_it_on_the_goal_page_keeps_their_words_in_a_conflict_and_removes_it()
    {
        await using var app = await KedjaApp.StartAsync(nameof(Data.DatabaseProvider.Sqlite), seedDemo: true, kestrel: true);
        Guid libraryGoal;
        var (scope, db) = app.DbFor(Slug);
        using (scope)
        {
            libraryGoal = await db.Goals.Where(g => g.Title == "Biblioteket når fler barn och unga").Select(g => g.Id).SingleAsync();
        }

        var admin = await browser.PageAsync(app);
        await Browser.SignInAsync(admin, KedjaApp.AdminEmail, KedjaApp.AdminPassword);
        await admin.GotoAsync($"/k/{Slug}/styrdokument");
        (await admin.Locator("h1").InnerTextAsync()).ShouldBe("Styrdokument");
        (await admin.Locator("#slag-Guideline + article").InnerTextAsync()).ShouldContain("Riktlinje för ekonomistyrning");
        await AccessibleAsync(admin, "styrdokument");

        await admin.GetByRole(AriaRole.Link, new() { Name = "Nytt styrdokument" }).ClickAsync();
        (await admin.Locator("h1").InnerTextAsync()).ShouldBe("Nytt styrdokument");
        await AccessibleAsync(admin, "styrdokument-ny");
        await admin.GetByLabel("Slag av dokument").SelectOptionAsync(new SelectOptionValue { Label = "Plan" });
        await admin.GetByLabel("Titel").FillAsync("Läsfrämjandeplan 2026-2027");
        await admin.GetByLabel("Beslutat av").SelectOptionAsync(new SelectOptionValue { Label = "Kultur- och fritidsnämnden" });
        await admin.GetByLabel("Gäller från").FillAsync("2027-01-01");
        await admin.GetByLabel("Gäller till").FillAsync("2026-12-31");
        await admin.GetByLabel("Webbadress").FillAsync("javascript:alert(1)");
        await admin.GetByLabel("Biblioteket når fler barn och unga").CheckAsync();
        await admin.GetByLabel("Fler deltar i kultur och fritid").CheckAsync();
        await admin.GetByRole(AriaRole.Button, new() { Name = "Spara styrdokumentet" }).ClickAsync();

        // Each refusal beside its field, in Swedish; nothing typed is lost.
        (await admin.Locator("#fel-url").InnerTextAsync()).ShouldBe("Dokumentets adress ska vara en webbadress som börjar med https:// eller http://.");
        (await admin.Locator("#fel-validTo").InnerTextAsync()).ShouldBe("Dokumentet kan inte sluta gälla innan det börjar gälla.");
        (await admin.GetByLabel("Titel").InputValueAsync()).ShouldBe("Läsfrämjandeplan 2026-2027");
        (await admin.GetByLabel("Fler deltar i kultur och fritid").IsCheckedAsync()).ShouldBeTrue();
        await AccessibleAsync(admin, "styrdokument-ny-fel");
        await admin.GetByLabel("Gäller från").FillAsync("2026-01-01");
        await admin.GetByLabel("Webbadress").FillAsync("https://exempelkommun.se/lasframjande");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Spara styrdokumentet" }).ClickAsync();
        (await admin.GetByRole(AriaRole.Status).InnerTextAsync()).ShouldBe("Styrdokumentet är sparat.");
        var plans = await admin.Locator("section[aria-labelledby='slag-Plan']").InnerTextAsync();
        plans.ShouldContain("Läsfrämjandeplan 2026-2027");
        plans.ShouldContain("Beslutat av Kultur- och fritidsnämnden");
        (await admin.Locator("section[aria-labelledby='slag-Plan'] article li a").AllInnerTextsAsync()).ShouldBe(["Biblioteket når fler barn och unga", "Fler deltar i kultur och fritid"]);
        await AccessibleAsync(admin, "styrdokument-sparat");

        // On the goal's page, in its documents section, with the way to all documents.
        await admin.GotoAsync($"/k/{Slug}/mal/{libraryGoal}");
        (await admin.Locator("main").InnerTextAsync()).ShouldContain("Läsfrämjandeplan 2026-2027");
        await admin.GetByRole(AriaRole.Link, new() { Name = "Alla styrdokument" }).ClickAsync();

        // Someone else changes the title while the administrator edits: their title is shown beside what was typed.
        await admin.GetByRole(AriaRole.Link, new() { Name = "Ändra Läsfrämjandeplan 2026-2027" }).ClickAsync();
        (await admin.Locator("h1").InnerTextAsync()).ShouldBe("Ändra styrdokument: Läsfrämjandeplan 2026-2027");
        await AccessibleAsync(admin, "styrdokument-andra");
        var api = await app.ClientAsync();
        var id = admin.Url.Split('/')[^2];
        var current = (await api.GetFromJsonAsync<JsonObject>($"/api/v1/tenants/{Slug}/documents/{id}"))!;
        current["title"] = "Plan för läsfrämjande";
        (await api.PutAsJsonAsync($"/api/v1/tenants/{Slug}/documents/{id}", current)).EnsureSuccessStatusCode();
        await admin.GetByLabel("Titel").FillAsync("Läsfrämjandeplan 2026-2028");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Spara styrdokumentet" }).ClickAsync();
        (await admin.GetByRole(AriaRole.Alert).InnerTextAsync()).ShouldStartWith("Någon annan har ändrat dokumentet medan du skrev.");
        (await admin.GetByLabel("Titel").InputValueAsync()).ShouldBe("Läsfrämjandeplan 2026-2028");
        (await admin.Locator(".theirs").First.InnerTextAsync()).ShouldBe("Sparat av någon annan: Plan för läsfrämjande");
        await AccessibleAsync(admin, "styrdokument-konflikt");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Spara styrdokumentet" }).ClickAsync();
        (await admin.Locator("main").InnerTextAsync()).ShouldContain("Läsfrämjandeplan 2026-2028");

        // Removed after a confirmation; the goals stay.
        await admin.GetByRole(AriaRole.Link, new() { Name = "Ändra Läsfrämjandeplan 2026-2028" }).ClickAsync();
        await admin.GetByRole(AriaRole.Link, new() { Name = "Ta bort dokumentet …" }).ClickAsync();
        (await admin.Locator("#ta-bort").InnerTextAsync()).ShouldBe("Vill du ta bort Läsfrämjandeplan 2026-2028?");
        await AccessibleAsync(admin, "styrdokument-ta-bort");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Ja, ta bort dokumentet" }).ClickAsync();
        (await admin.GetByRole(AriaRole.Status).InnerTextAsync()).ShouldBe("Styrdokumentet är borttaget.");
        (await admin.Locator("main").InnerTextAsync()).ShouldNotContain("Läsfrämjandeplan");
    }

    [BrowserFact]
    public async Task An_editor_reports_budget_outcome_and_forecast_the_administrator_sees_the_total_and_a_locked_period_refuses_the_next_report()
    {
        await using var app = await KedjaApp.StartAsync(nameof(Data.DatabaseProvider.Sqlite), seedDemo: true, kestrel: true);
        Guid kfn, council;
        var (scope, db) = app.DbFor(Slug);
        using (scope)
        {
            kfn = await db.Units.Where(u => u.Name == "Kultur- och fritidsnämnden").Select(u => u.Id).SingleAsync();
            council = await db.Units.Where(u => u.ParentId == null).Select(u => u.Id).SingleAsync();
        }

        var (email, password) = await app.MemberAsync(Slug, TenantRole.Editor, kfn);
        var editor = await browser.PageAsync(app);
        await Browser.SignInAsync(editor, email, password);
        await editor.GotoAsync($"/k/{Slug}/malkort/{kfn}?period=2026-T2");
        await editor.GetByRole(AriaRole.Link, new() { Name = "Budget och prognos" }).ClickAsync();
        (await editor.Locator("h1").InnerTextAsync()).ShouldBe("Budget: Kultur- och fritidsnämnden");
        (await editor.Locator(".figure-lead").InnerTextAsync()).ShouldBe("68\u00a0900 tkr");
        await AccessibleAsync(editor, "budget");

        // Only the open period takes a report; the figures in Swedish, with the deviation as amount and per cent.
        (await editor.GetByRole(AriaRole.Button, new() { Name = "Spara T2 2026" }).CountAsync()).ShouldBe(0);
        await editor.GetByRole(AriaRole.Region, new() { Name = "Rapportera T3" }).GetByLabel("Utfall hittills i år (tkr)").FillAsync("51 250,5");
        await editor.GetByRole(AriaRole.Region, new() { Name = "Rapportera T3" }).GetByLabel("Helårsprognos (tkr)").FillAsync("70 000");
        await editor.GetByRole(AriaRole.Button, new() { Name = "Spara T3 2026" }).ClickAsync();
        (await editor.GetByRole(AriaRole.Status).InnerTextAsync()).ShouldBe("Utfall och prognos är sparade.");
        var row = await editor.Locator("table.budget tbody tr", new() { HasText = "T3 2026" }).InnerTextAsync();
        row.ShouldContain("51\u00a0250,5");
        row.ShouldContain("70\u00a0000");
        row.ShouldContain("-1\u00a0100");
        row.ShouldContain("-1,6\u00a0%");
        await AccessibleAsync(editor, "budget-rapporterad");

        // The administrator sees the committees' frames and latest forecasts, and their total.
        var admin = await browser.PageAsync(app);
        await Browser.SignInAsync(admin, KedjaApp.AdminEmail, KedjaApp.AdminPassword);
        await admin.GotoAsync($"/k/{Slug}/budget/{council}?ar=2026");
        var api = await app.ClientAsync();
        var frames = (await api.GetFromJsonAsync<JsonArray>($"/api/v1/tenants/{Slug}/budget?year=2026"))!;
        var forecasts = frames.Where(f => f!["unitId"]!.GetValue<Guid>() != council).Select(f => f!["outcomes"]!.AsArray().Last()!["forecast"]!.GetValue<decimal>()).ToList();
        forecasts.ShouldContain(70_000m);
        var total = await admin.Locator("table.budget tfoot").InnerTextAsync();
        total.ShouldContain(forecasts.Sum().ToString("#,0.##", SwedishFormat.Culture));
        (await admin.Locator("table.budget tbody tr", new() { HasText = "Kultur- och fritidsnämnden" }).InnerTextAsync()).ShouldContain("T3 2026");
        await AccessibleAsync(admin, "budget-totalt");

        // The administrator locks the period while the editor has the form open: the report is refused and kept as typed.
        await editor.GotoAsync($"/k/{Slug}/budget/{kfn}?ar=2026");
        (await api.PostAsync($"/api/v1/tenants/{Slug}/periods/2026-T3/lock", null)).EnsureSuccessStatusCode();
        await editor.GetByRole(AriaRole.Region, new() { Name = "Rapportera T3" }).GetByLabel("Helårsprognos (tkr)").FillAsync("71 500");
        await editor.GetByRole(AriaRole.Button, new() { Name = "Spara T3 2026" }).ClickAsync();
        (await editor.GetByRole(AriaRole.Alert).InnerTextAsync()).ShouldBe("Uppföljningen för T3 2026 är låst. Den måste öppnas igen innan något ändras.");
        (await editor.GetByRole(AriaRole.Region, new() { Name = "Rapportera T3" }).GetByLabel("Helårsprognos (tkr)").InputValueAsync()).ShouldBe("71 500");
        await AccessibleAsync(editor, "budget-last");
        var after = (await api.GetFromJsonAsync<JsonObject>($"/api/v1/tenants/{Slug}/budget/{kfn}/2026"))!["outcomes"]!.AsArray().Last()!;
        after["forecast"]!.GetValue<decimal>().ShouldBe(70_000m);
    }
}
