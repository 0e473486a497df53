using System.Text.RegularExpressions;
using Kedja.Domain.Periods;
using Kedja.Web.Templates;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace Kedja.Web.Tests;

/// <summary>
/// Each of the five templates set up and followed up in the browser the same way, from an empty installation: the
/// system administrator creates the municipality, adds a nämnd and its goal under a council goal with an indicator,
/// and invites a redaktör, who chooses a password, reports the outcome, assesses the goal and submits; the
/// administrator approves.
/// </summary>
[Collection(Browser.Collection)]
public sealed class TemplateJourneyTests(Browser browser)
{
    public static TheoryData<string, string> Templates => new()
    {
        { ModelTemplates.Kil, "Kil" },
        { ModelTemplates.Kumla, "Kumla" },
        { ModelTemplates.Karlskoga, "Karlskoga" },
        { ModelTemplates.Heby, "Heby" },
        { ModelTemplates.Hagfors, "Hagfors" },
    };

    private static async Task ArriveAsync(IPage page, string pattern) => await page.WaitForURLAsync(new Regex(pattern));

    [BrowserTheory]
    [MemberData(nameof(Templates))]
    public async Task A_new_municipality_from_the_template_follows_up_its_first_year_in_the_browser(string template, string town)
    {
        await using var app = await KedjaApp.StartAsync(nameof(Data.DatabaseProvider.Sqlite), kestrel: true);
        var slug = town.ToLowerInvariant() + "-kommun";
        var admin = await browser.PageAsync(app);
        await Browser.SignInAsync(admin, KedjaApp.AdminEmail, KedjaApp.AdminPassword, "/");

        // The municipality, from its template.
        await admin.GotoAsync("/ny-kommun");
        await admin.GetByLabel("Kommunens namn").FillAsync($"{town} kommun");
        await admin.GetByLabel("Kommunkod").FillAsync("1999");
        await admin.GetByLabel("Mandatperiodens första år").FillAsync("2027");
        await admin.Locator($"input[value='{template}']").CheckAsync();
        await admin.GetByRole(AriaRole.Button, new() { Name = "Skapa kommunen" }).ClickAsync();
        await ArriveAsync(admin, $"/k/{slug}\\?klart=kommun-skapad$");
        (await admin.Locator("p.done").InnerTextAsync()).ShouldStartWith("Kommunen är skapad.");

        // A nämnd under the council.
        await admin.GotoAsync($"/k/{slug}/organisation");
        await admin.GetByLabel("Ligger under").SelectOptionAsync(new SelectOptionValue { Label = "Kommunfullmäktige" });
        await admin.GetByLabel("Namn", new() { Exact = true }).FillAsync("Kultur- och fritidsnämnden");
        await admin.GetByLabel("Typ").SelectOptionAsync(new SelectOptionValue { Label = "Nämnd" });
        await admin.GetByRole(AriaRole.Button, new() { Name = "Lägg till enheten" }).ClickAsync();
        (await admin.GetByRole(AriaRole.Status).InnerTextAsync()).ShouldContain("Enheten är tillagd.");

        Guid council, committee;
        string period;
        var (scope, db) = app.DbFor(slug);
        using (scope)
        {
            council = await db.Units.Where(u => u.Name == "Kommunfullmäktige").Select(u => u.Id).SingleAsync();
            committee = await db.Units.Where(u => u.Name == "Kultur- och fritidsnämnden").Select(u => u.Id).SingleAsync();
            // The follow-up that closes the first year: a tertial, an interim or the year, as the template's calendar has it.
            period = (await db.Periods.Select(p => p.Key).ToListAsync()).Select(PeriodRef.Parse)
                .Where(p => p.Year == 2027 && p.ClosesYear).OrderByDescending(p => p.Start).First().Key;
        }

        // The council's goal at the model's first level, the nämnd's goal at the second under it.
        var councilGoal = await NewGoalAsync(admin, slug, council, "Fler deltar i kultur och fritid", level: 1, parent: null);
        var committeeGoal = await NewGoalAsync(admin, slug, committee, "Fler unga besöker biblioteket", level: 2, parent: councilGoal);

        // An indicator measured once a year with a target for the first year.
        await admin.GotoAsync($"/k/{slug}/indikator/ny?mal={committeeGoal}");
        await admin.GetByLabel("Namn", new() { Exact = true }).FillAsync("Unga besökare");
        await admin.GetByLabel("Måttenhet").FillAsync("antal");
        await admin.GetByLabel("Hur ofta mäts den?").SelectOptionAsync(new SelectOptionValue { Label = "En gång om året" });
        await admin.GetByRole(AriaRole.Button, new() { Name = "Uppdatera tabellen" }).ClickAsync();
        await admin.GetByLabel("Målvärde för Helår 2027").FillAsync("1 000");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Spara indikatorn" }).ClickAsync();
        await ArriveAsync(admin, $"/mal/{committeeGoal}");

        // A redaktör for the nämnd, invited, choosing their own password.
        var email = $"redaktor@{slug}.example";
        await admin.GotoAsync($"/k/{slug}/behorigheter");
        await admin.GetByLabel("E-postadress").FillAsync(email);
        await admin.GetByLabel("Namn").FillAsync("Rut Redaktör");
        await admin.GetByLabel("Roll").SelectOptionAsync(new SelectOptionValue { Label = "Redaktör" });
        await admin.GetByLabel("Enhet", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "Kultur- och fritidsnämnden" });
        await admin.GetByRole(AriaRole.Button, new() { Name = "Bjud in" }).ClickAsync();
        (await admin.GetByRole(AriaRole.Status).InnerTextAsync()).ShouldStartWith(email);
        var secret = KedjaApp.LinkSecret((await app.WaitForMailsAsync(email)).Last());
        var editor = await browser.PageAsync(app);
        await editor.GotoAsync($"/konto/losenord?kod={Uri.EscapeDataString(secret)}");
        await editor.GetByLabel("Nytt lösenord").FillAsync("Tre-röda-äpplen-i-korgen");
        await editor.GetByLabel("Upprepa lösenordet").FillAsync("Tre-röda-äpplen-i-korgen");
        await editor.GetByRole(AriaRole.Button, new() { Name = "Spara lösenordet" }).ClickAsync();
        (await editor.GetByRole(AriaRole.Status).InnerTextAsync()).ShouldStartWith("Lösenordet är sparat.");
        await Browser.SignInAsync(editor, email, "Tre-röda-äpplen-i-korgen");

        // The outcome: half the target, in the grid.
        await editor.GotoAsync($"/k/{slug}/utfall/{committee}?period={period}");
        await editor.Locator("input.figure").First.FillAsync("500");
        await editor.GetByRole(AriaRole.Button, new() { Name = "Spara utfallen" }).ClickAsync();
        (await editor.GetByRole(AriaRole.Status).InnerTextAsync()).ShouldBe("1 utfall sparade.");

        // The assessment shows the rule's suggestion; the redaktör agrees and writes the analysis.
        await editor.GotoAsync($"/k/{slug}/bedomning/{committeeGoal}?period={period}");
        (await editor.Locator(".suggestion").InnerTextAsync()).ShouldContain("Regelns förslag:");
        var suggested = await editor.Locator("input[name=Status]:checked").GetAttributeAsync("value");
        suggested.ShouldNotBeNullOrEmpty();
        await editor.GetByLabel("Analys").FillAsync("Hälften så många unga som målet.");
        await editor.GetByLabel("Åtgärder").FillAsync("Öppet på lördagar.");
        await editor.GetByRole(AriaRole.Button, new() { Name = "Spara bedömningen" }).ClickAsync();
        await ArriveAsync(editor, $"/malkort/{committee}");
        await editor.GetByRole(AriaRole.Button, new() { Name = "Klarmarkera" }).ClickAsync();
        (await editor.Locator("#uppfoljning + p").InnerTextAsync()).ShouldContain("Klarmarkerad");
        await Browser.ScreenshotAsync(editor, $"mall-{town}-klarmarkerad");
        (await Browser.AccessibilityAsync(editor)).ShouldBeEmpty($"axe-core on {town}'s submitted scorecard");

        // The administrator approves; the council's card shows the nämnd's goal below its own.
        await admin.GotoAsync($"/k/{slug}/malkort/{committee}?period={period}");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Godkänn" }).ClickAsync();
        (await admin.Locator("#uppfoljning + p").InnerTextAsync()).ShouldContain("Godkänd");
        var (after, afterDb) = app.DbFor(slug);
        using (after)
        {
            var periodId = await afterDb.Periods.Where(p => p.Key == period).Select(p => p.Id).SingleAsync();
            (await afterDb.UnitPeriodStatuses.SingleAsync(s => s.UnitId == committee && s.PeriodId == periodId)).State.ShouldBe(WorkflowState.Approved);
            (await afterDb.Assessments.SingleAsync(a => a.GoalId == committeeGoal && a.PeriodId == periodId)).StatusKey.ShouldBe(suggested);
        }

        await admin.GotoAsync($"/k/{slug}/mal/{councilGoal}?period={period}");
        (await admin.Locator("main").InnerTextAsync()).ShouldContain("Fler unga besöker biblioteket");
    }

    /// <summary>A goal through the goal form, at the model's level of the given depth (1 the top) or the deepest the unit is offered.</summary>
    private static async Task<Guid> NewGoalAsync(IPage page, string slug, Guid unit, string title, int level, Guid? parent)
    {
        await page.GotoAsync($"/k/{slug}/mal/ny?enhet={unit}");
        await page.GetByLabel("Titel", new() { Exact = true }).FillAsync(title);
        var levels = page.Locator("select[name=LevelId] option:not([value=''])");
        // The form offers only the levels the unit's kind may have goals at: a nämnd's list may hold its level alone.
        var offered = await levels.CountAsync();
        await page.Locator("select[name=LevelId]").SelectOptionAsync((await levels.Nth(Math.Min(level, offered) - 1).GetAttributeAsync("value"))!);
        var dimensions = page.Locator("select[name=DimensionId] option:not([value=''])");
        if (await dimensions.CountAsync() > 0)
        {
            await page.Locator("select[name=DimensionId]").SelectOptionAsync((await dimensions.First.GetAttributeAsync("value"))!);
        }

        await page.GetByLabel("Från år").FillAsync("2027");
        if (parent is { } above)
        {
            await page.GetByLabel("Mål som målet bidrar till, rad 1").SelectOptionAsync(above.ToString());
        }

        await page.GetByRole(AriaRole.Button, new() { Name = "Spara målet" }).ClickAsync();
        await ArriveAsync(page, "/mal/[0-9a-f-]{36}(\\?|$)");
        var path = new Uri(page.Url).AbsolutePath;
        return Guid.Parse(path[(path.LastIndexOf('/') + 1)..]);
    }
}
