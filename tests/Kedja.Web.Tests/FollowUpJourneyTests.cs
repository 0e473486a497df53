using Kedja.Domain.Periods;
using Kedja.Domain.Tenancy;
using Kedja.Web.Demo;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace Kedja.Web.Tests;

/// <summary>
/// The follow-up of a tertial in the browser: a redaktör reports a unit's outcomes, assesses a goal against the rule's
/// suggestion and submits; an administrator approves; the level above sees the deviation.
/// </summary>
[Collection(Browser.Collection)]
public sealed class FollowUpJourneyTests(Browser browser)
{
    private const string Slug = DemoTenant.Slug;
    private const string Period = "2026-T2";


    [BrowserFact]
    public async Task An_editor_reports_assesses_and_submits_an_administrator_approves_and_the_level_above_sees_the_deviation()
    {
        await using var app = await KedjaApp.StartAsync(nameof(Data.DatabaseProvider.Sqlite), seedDemo: true, kestrel: true);
        Guid library, goalId, parentOwner, parentGoal;
        var (scope, db) = app.DbFor(Slug);
        using (scope)
        {
            library = await db.Units.Where(u => u.Name == "Biblioteket").Select(u => u.Id).SingleAsync();
            goalId = await db.Goals.Where(g => g.OwnerUnitId == library && g.Title == "Biblioteket når fler barn och unga").Select(g => g.Id).SingleAsync();
            parentGoal = await db.GoalLinks.Where(l => l.ChildGoalId == goalId).Select(l => l.ParentGoalId).FirstAsync();
            parentOwner = await db.Goals.Where(g => g.Id == parentGoal).Select(g => g.OwnerUnitId).SingleAsync();
        }

        var (email, password) = await app.MemberAsync(Slug, TenantRole.Editor, library);
        var editor = await browser.PageAsync(app);
        await Browser.SignInAsync(editor, email, password);
        var card = $"/k/{Slug}/malkort/{library}?period={Period}";
        var above = $"/k/{Slug}/malkort/{parentOwner}?period={Period}";

        // The level above shows no deviation from the library before.
        var admin = await browser.PageAsync(app);
        await Browser.SignInAsync(admin, KedjaApp.AdminEmail, KedjaApp.AdminPassword);
        await admin.GotoAsync(above);
        (await admin.Locator("main").InnerTextAsync()).ShouldNotContain("Biblioteket: Biblioteket når fler barn och unga");

        // Outcomes.
        await editor.GotoAsync($"/k/{Slug}/utfall/{library}?period={Period}");
        await editor.Locator("input.figure").First.FillAsync("20 000");
        await editor.GetByRole(AriaRole.Button, new() { Name = "Spara utfallen" }).ClickAsync();
        (await editor.GetByRole(AriaRole.Status).InnerTextAsync()).ShouldBe("1 utfall sparade.");

        // The assessment: the rule's suggestion is shown; deviating from it needs a motivation.
        await editor.GotoAsync(card);
        await editor.GetByRole(AriaRole.Link, new() { Name = "Bedöm: Biblioteket når fler barn och unga" }).ClickAsync();
        (await editor.Locator("h1").InnerTextAsync()).ShouldBe("Bedöm målet");
        var suggestion = await editor.Locator(".suggestion").InnerTextAsync();
        suggestion.ShouldContain("Regelns förslag:");
        await Browser.ScreenshotAsync(editor, "bedomning");
        (await Browser.AccessibilityAsync(editor)).ShouldBeEmpty("axe-core on the assessment");
        var notMet = editor.GetByRole(AriaRole.Radio, new() { Name = "Ej uppfyllt", Exact = true });
        await notMet.CheckAsync();
        await editor.GetByLabel("Analys").FillAsync("Färre lån under sommaren än planerat.");
        await editor.GetByLabel("Åtgärder").FillAsync("Bokbussen kör till fritidsgårdarna i höst.");
        await editor.GetByRole(AriaRole.Button, new() { Name = "Spara bedömningen" }).ClickAsync();
        (await editor.Locator(".field-error").InnerTextAsync()).ShouldNotBeEmpty();
        (await editor.GetByLabel("Analys").InputValueAsync()).ShouldBe("Färre lån under sommaren än planerat.");
        (await Browser.AccessibilityAsync(editor)).ShouldBeEmpty("axe-core on the assessment with an error");
        await editor.GetByLabel("Motivering").FillAsync("Sommarens lån räknas inte in förrän i december.");
        await editor.GetByRole(AriaRole.Button, new() { Name = "Spara bedömningen" }).ClickAsync();
        await editor.WaitForURLAsync(new System.Text.RegularExpressions.Regex($"/malkort/{library}"));
        var goal = editor.Locator($"article#m-{goalId}, article[aria-labelledby='m-{goalId}']");
        (await goal.InnerTextAsync()).ShouldContain("Ej uppfyllt");

        // Submitted by the unit; the editor cannot approve their own.
        await editor.GetByRole(AriaRole.Button, new() { Name = "Klarmarkera" }).ClickAsync();
        (await editor.Locator("#uppfoljning + p").InnerTextAsync()).ShouldContain("Klarmarkerad");
        // Only the steps the editor may take are offered (approving is the level above's, locking the administrator's);
        // a post of them anyway is refused on the server (PagePermissionTests).
        (await editor.GetByRole(AriaRole.Button, new() { Name = "Godkänn" }).CountAsync()).ShouldBe(0);
        (await editor.GetByRole(AriaRole.Button, new() { Name = "Lås" }).CountAsync()).ShouldBe(0);
        await Browser.ScreenshotAsync(editor, "malkort-klarmarkerad");
        (await Browser.AccessibilityAsync(editor)).ShouldBeEmpty("axe-core on the scorecard with its workflow");

        // Approved by the administrator.
        await admin.GotoAsync(card);
        await admin.GetByRole(AriaRole.Button, new() { Name = "Godkänn" }).ClickAsync();
        (await admin.Locator("#uppfoljning + p").InnerTextAsync()).ShouldContain("Godkänd");
        var (after, afterDb) = app.DbFor(Slug);
        using (after)
        {
            var periodId = await afterDb.Periods.Where(p => p.Key == Period).Select(p => p.Id).SingleAsync();
            (await afterDb.UnitPeriodStatuses.SingleAsync(s => s.UnitId == library && s.PeriodId == periodId)).State.ShouldBe(WorkflowState.Approved);
        }

        // The level above sees what the library will do about it.
        await admin.GotoAsync(above);
        var main = await admin.Locator("main").InnerTextAsync();
        main.ShouldContain("Biblioteket: Biblioteket når fler barn och unga");
        main.ShouldContain("Bokbussen kör till fritidsgårdarna i höst.");

        // The report has gone to the committee: the administrator locks the period, and nothing more is saved in it.
        await admin.GotoAsync($"/k/{Slug}");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Lås uppföljningen för T2 2026" }).ClickAsync();
        (await admin.GetByRole(AriaRole.Status).InnerTextAsync()).ShouldContain("enheter låstes");
        (await Browser.AccessibilityAsync(admin)).ShouldBeEmpty("axe-core on the start page after locking");
        // The grid says so before anyone types (a save from a form kept open is refused: WalkTests).
        await editor.GotoAsync($"/k/{Slug}/utfall/{library}?period={Period}");
        (await editor.GetByRole(AriaRole.Status).InnerTextAsync()).ShouldContain("är låst");
        (await editor.Locator("input.figure").CountAsync()).ShouldBe(0);

        // And on the goal's own page, with the analysis too.
        await admin.GotoAsync($"/k/{Slug}/mal/{parentGoal}?period={Period}");
        var goalPage = await admin.Locator("main").InnerTextAsync();
        goalPage.ShouldContain("Färre lån under sommaren än planerat.");
        goalPage.ShouldContain("Bokbussen kör till fritidsgårdarna i höst.");
    }

    [BrowserFact]
    public async Task An_administrator_invites_an_editor_for_a_unit_who_chooses_a_password_signs_in_and_reports_for_that_unit_only()
    {
        await using var app = await KedjaApp.StartAsync(nameof(Data.DatabaseProvider.Sqlite), seedDemo: true, kestrel: true);
        var admin = await browser.PageAsync(app);
        await Browser.SignInAsync(admin, KedjaApp.AdminEmail, KedjaApp.AdminPassword);
        await admin.GetByRole(AriaRole.Link, new() { Name = "Behörigheter" }).ClickAsync();
        (await admin.Locator("h1").InnerTextAsync()).ShouldBe("Behörigheter");
        await Browser.ScreenshotAsync(admin, "behorigheter");
        (await Browser.AccessibilityAsync(admin)).ShouldBeEmpty("axe-core on the members page");

        const string email = "bibliotekarie@exempelkommun.se";
        await admin.GetByLabel("E-postadress").FillAsync(email);
        await admin.GetByLabel("Namn").FillAsync("Berit Bibliotekarie");
        await admin.GetByLabel("Roll").SelectOptionAsync(new SelectOptionValue { Label = "Redaktör" });
        await admin.GetByLabel("Enhet", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "Biblioteket" });
        await admin.GetByRole(AriaRole.Button, new() { Name = "Bjud in" }).ClickAsync();
        (await admin.GetByRole(AriaRole.Status).InnerTextAsync()).ShouldStartWith(email + " har fått en roll");
        (await admin.Locator("tbody").InnerTextAsync()).ShouldContain("Berit Bibliotekarie");

        // The invited person chooses their own password through the link in the mail; nobody else sees it.
        var secret = KedjaApp.LinkSecret((await app.WaitForMailsAsync(email)).Last());
        var editor = await browser.PageAsync(app);
        await editor.GotoAsync($"/konto/losenord?kod={Uri.EscapeDataString(secret)}");
        await Browser.ScreenshotAsync(editor, "valj-losenord");
        (await Browser.AccessibilityAsync(editor)).ShouldBeEmpty("axe-core on choosing a password");
        await editor.GetByLabel("Nytt lösenord").FillAsync("Sju-blå-böcker-på-hyllan");
        await editor.GetByLabel("Upprepa lösenordet").FillAsync("Sju-blå-böcker-på-hyllan");
        await editor.GetByRole(AriaRole.Button, new() { Name = "Spara lösenordet" }).ClickAsync();
        (await editor.GetByRole(AriaRole.Status).InnerTextAsync()).ShouldStartWith("Lösenordet är sparat.");

        await Browser.SignInAsync(editor, email, "Sju-blå-böcker-på-hyllan");
        var units = await editor.Locator("tbody th").AllInnerTextsAsync();
        units.ShouldHaveSingleItem().ShouldStartWith("Biblioteket");
        (await editor.Locator("main").InnerTextAsync()).ShouldContain("Du rapporterar för din enhet");
        (await editor.GetByRole(AriaRole.Link, new() { Name = "Behörigheter" }).CountAsync()).ShouldBe(0);
        await editor.GetByRole(AriaRole.Link, new() { Name = "Utfall för Biblioteket" }).ClickAsync();
        (await editor.Locator("input.figure").CountAsync()).ShouldBeGreaterThan(0);
    }
}
