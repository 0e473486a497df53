using System.Text.RegularExpressions;
using System.Xml.Linq;
using Kedja.Domain.Tenancy;
using Kedja.Web.Demo;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace Kedja.Web.Tests.InternalControl;

/// <summary>
/// The risk register in the browser (issue 15): a controller sets the municipality's risk scale, builds a committee's
/// register of three risks, assesses them and sees them in the matrix and its table; a reader sees the same without a
/// form. axe-core finds nothing on any of the pages at 1366 and at 320 pixels.
/// </summary>
[Collection(Browser.Collection)]
public sealed class RiskJourneyTests(Browser browser)
{
    private const string Slug = DemoTenant.Slug;

    /// <remarks>A refused post answers on the URL it was sent to, so only the navigation itself tells that the answer has arrived.</remarks>
    private static async Task SubmitAsync(IPage page, string button)
    {
#pragma warning disable CS0612
        await page.RunAndWaitForNavigationAsync(() => page.GetByRole(AriaRole.Button, new() { Name = button }).ClickAsync());
#pragma warning restore CS0612
    }

    /// <summary>axe-core at a laptop's width and at a phone's, with a screenshot of each.</summary>
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

    /// <summary>The register's row of the risk named exactly so: the demo's own risks in the register have names that begin alike.</summary>
    private static ILocator Row(IPage page, string title) =>
        page.Locator(".risk-table tbody tr").Filter(new() { Has = page.GetByRole(AriaRole.Link, new() { Name = title, Exact = true }) });

    [BrowserFact]
    public async Task A_controller_sets_the_scale_builds_a_register_of_three_risks_assesses_them_and_sees_the_matrix()
    {
        await using var app = await KedjaApp.StartAsync(nameof(Data.DatabaseProvider.Sqlite), seedDemo: true, kestrel: true);
        Guid committee;
        var (scope, db) = app.DbFor(Slug);
        using (scope)
        {
            committee = await db.Units.Where(u => u.Name == "Kommunstyrelsen").Select(u => u.Id).SingleAsync();
        }

        var (email, password) = await app.MemberAsync(Slug, TenantRole.Admin);
        var page = await browser.PageAsync(app);
        await Browser.SignInAsync(page, email, password);

        // The scale: every error of the form at once, what was typed kept; then saved.
        await page.GotoAsync($"/k/{Slug}/intern-kontroll/skala");
        (await page.Locator("h1").InnerTextAsync()).ShouldBe("Riskskala");
        await NoViolationsAsync(page, "riskskala");
        await page.Locator("#likelihood-3").FillAsync("Mycket sannolik");
        await page.Locator("#likelihood-5").FillAsync("Nästan säker");
        await page.GetByLabel("Gräns för förslag till internkontrollplanen").FillAsync("hög");
        await page.GetByLabel("Band 2: namn").FillAsync("");
        await SubmitAsync(page, "Spara riskskalan");
        (await page.Locator("#fel-likelihood\\[4\\]").InnerTextAsync()).ShouldBe("Stegets namn måste anges.");
        (await page.Locator("#fel-planThreshold").InnerTextAsync()).ShouldBe("Skriv gränsen som ett heltal.");
        (await page.Locator("#fel-bands\\[1\\]\\.name").InnerTextAsync()).ShouldBe("Bandets namn måste anges.");
        (await page.GetByLabel("Gräns för förslag till internkontrollplanen").GetAttributeAsync("aria-describedby"))!.ShouldContain("fel-planThreshold");
        (await page.Locator("#likelihood-5").InputValueAsync()).ShouldBe("Nästan säker");
        await NoViolationsAsync(page, "riskskala-fel");

        await page.Locator("#likelihood-5").FillAsync("");
        await page.GetByLabel("Gräns för förslag till internkontrollplanen").FillAsync("9");
        await page.GetByLabel("Band 2: namn").FillAsync("Måttlig");
        await page.GetByLabel("Kategorier").FillAsync("Ekonomi och redovisning\nIT och informationssäkerhet\nOegentligheter");
        await SubmitAsync(page, "Spara riskskalan");
        (await page.GetByRole(AriaRole.Status).InnerTextAsync()).ShouldBe("Riskskalan är sparad.");
        (await page.Locator("#likelihood-3").InputValueAsync()).ShouldBe("Mycket sannolik");
        (await page.GetByLabel("Gräns för förslag till internkontrollplanen").InputValueAsync()).ShouldBe("9");

        // Three risks in the executive board's register, each from the register's link.
        (string Title, string Category, string Process, int L, int C, int? LAfter, int? CAfter)[] risks =
        [
            ("Felaktiga utbetalningar", "Ekonomi och redovisning", "Utbetalningar", 4, 4, 2, 3),
            ("Brister i informationssäkerhet", "IT och informationssäkerhet", "Drift", 3, 4, null, null),
            ("Jäv vid upphandling", "Oegentligheter", "Inköp", 2, 2, null, null),
        ];
        var numbers = new List<int>();
        foreach (var risk in risks)
        {
            await page.GotoAsync($"/k/{Slug}/intern-kontroll/risker?enhet={committee}&ar=2026");
            await page.GetByRole(AriaRole.Link, new() { Name = "Lägg till en risk" }).ClickAsync();
            await page.WaitForURLAsync(new Regex("/risker/ny"));
            (await page.GetByLabel("Enhet").InputValueAsync()).ShouldBe(committee.ToString());
            if (numbers.Count == 0)
            {
                await NoViolationsAsync(page, "risk-ny");
                // Only spaces for a name (the browser itself asks for something): refused beside the field, what was typed kept.
                await page.GetByLabel("Riskens namn").FillAsync("   ");
                await page.GetByLabel("Process").FillAsync(risk.Process);
                await page.GetByLabel("Första året i registret").FillAsync("tjugotjugosex");
                await SubmitAsync(page, "Lägg till risken");
                (await page.Locator("#fel-title").InnerTextAsync()).ShouldBe("Riskens titel måste anges.");
                (await page.Locator("#fel-firstYear").InnerTextAsync()).ShouldBe("Skriv året med fyra siffror, till exempel 2026.");
                (await page.GetByLabel("Process").InputValueAsync()).ShouldBe(risk.Process);
                await NoViolationsAsync(page, "risk-ny-fel");
            }

            await page.GetByLabel("Riskens namn").FillAsync(risk.Title);
            await page.GetByLabel("Kategori").SelectOptionAsync(risk.Category);
            await page.GetByLabel("Process").FillAsync(risk.Process);
            await page.GetByLabel("Riskägare").FillAsync("Kommundirektör");
            await page.GetByLabel("Första året i registret").FillAsync("2026");
            await SubmitAsync(page, "Lägg till risken");
            (await page.GetByRole(AriaRole.Status).InnerTextAsync()).ShouldBe("Risken är tillagd i registret.");
            var heading = await page.Locator("h1").InnerTextAsync();
            var match = Regex.Match(heading, @"^Risk (\d+): (.+)$");
            match.Success.ShouldBeTrue(heading);
            match.Groups[2].Value.ShouldBe(risk.Title);
            numbers.Add(int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));

            // The assessment for 2026 with the scale's step labels.
            (await page.Locator("#bedomning").InnerTextAsync()).ShouldBe("Bedömning 2026");
            (await page.Locator("#sannolikhet option").AllInnerTextsAsync()).ShouldBe(["Välj ett steg", "1 – Osannolik", "2 – Mindre sannolik", "3 – Möjlig", "4 – Mycket sannolik"]);
            await page.Locator("#sannolikhet").SelectOptionAsync($"{risk.L}");
            await page.Locator("#konsekvens").SelectOptionAsync($"{risk.C}");
            await page.GetByLabel("Befintliga kontroller").FillAsync("Attest av två personer.");
            if (numbers.Count == 1)
            {
                // After existing controls higher than before: refused, the steps chosen kept.
                await page.Locator("#sannolikhet-efter").SelectOptionAsync("4");
                await page.Locator("#konsekvens-efter").SelectOptionAsync("4");
                await page.Locator("#sannolikhet").SelectOptionAsync("1");
                await SubmitAsync(page, "Spara bedömningen för 2026");
                (await page.Locator("#fel-likelihoodAfter").InnerTextAsync()).ShouldBe("Riskvärdet efter befintliga kontroller kan inte vara högre än före.");
                (await page.Locator("#sannolikhet").InputValueAsync()).ShouldBe("1");
                await NoViolationsAsync(page, "risk-bedomning-fel");
                await page.Locator("#sannolikhet").SelectOptionAsync($"{risk.L}");
            }

            await page.Locator("#sannolikhet-efter").SelectOptionAsync(risk.LAfter is { } la ? $"{la}" : "");
            await page.Locator("#konsekvens-efter").SelectOptionAsync(risk.CAfter is { } ca ? $"{ca}" : "");
            await page.GetByLabel("Motivering").FillAsync($"Bedömd av internkontrollgruppen: {risk.Title}.");
            await SubmitAsync(page, "Spara bedömningen för 2026");
            (await page.GetByRole(AriaRole.Status).InnerTextAsync()).ShouldBe("Bedömningen är sparad.");
            var history = page.Locator("section[aria-labelledby=historik] tbody tr");
            (await history.CountAsync()).ShouldBe(1);
            (await history.First.Locator("th").InnerTextAsync()).ShouldBe("2026");
        }

        await NoViolationsAsync(page, "risk");
        numbers.ShouldBe([numbers[0], numbers[0] + 1, numbers[0] + 2]);

        // The register: the matrix with each number in its cell, and the same risks as a table.
        await page.GotoAsync($"/k/{Slug}/intern-kontroll/risker?enhet={committee}&ar=2026");
        (await page.Locator("h1").InnerTextAsync()).ShouldBe("Riskregister för Kommunstyrelsen 2026");
        var svg = XElement.Parse(await page.Locator("svg.risk-matrix").EvaluateAsync<string>("e => e.outerHTML"));
        XNamespace ns = svg.Name.Namespace;
        string Cell(int l, int c) => string.Join(" ", svg.Elements(ns + "text")
            .Where(t => t.Attribute("data-likelihood")?.Value == $"{l}" && t.Attribute("data-consequence")?.Value == $"{c}").SelectMany(t => t.Elements(ns + "tspan")).Select(t => t.Value));
        // (The demo's own risks may share the cells: each of ours is looked for among the numbers there.)
        Cell(2, 3).Split(' ').ShouldContain($"{numbers[0]}", "after existing controls");
        Cell(4, 4).Split(' ').ShouldNotContain($"{numbers[0]}", "not before them");
        Cell(3, 4).Split(' ').ShouldContain($"{numbers[1]}");
        Cell(2, 2).Split(' ').ShouldContain($"{numbers[2]}");
        svg.Element(ns + "desc")!.Value.ShouldMatch($@"Mycket hög: \d+ risk(er)? \(nr ([0-9]+, )*{numbers[1]}[,)]");
        (await page.Locator("svg.risk-matrix").GetAttributeAsync("role")).ShouldBe("img");
        (await Row(page, "Felaktiga utbetalningar").Locator("td").AllInnerTextsAsync()).Select(t => t.Trim()).ShouldBe([$"{numbers[0]}", "Ekonomi och redovisning", "Utbetalningar", "Kommundirektör", "16", "6", "Måttlig"]);
        (await Row(page, "Brister i informationssäkerhet").Locator("td").Last.InnerTextAsync()).Trim().ShouldBe("Mycket hög");
        (await page.Locator("main").InnerTextAsync()).ShouldContain("Risker med värde 9 eller högre");
        await NoViolationsAsync(page, "riskregister");

        // The year before: none of them was in the register yet, though the demo's own risk of that year is.
        await page.GetByLabel("År", new() { Exact = true }).SelectOptionAsync("2025");
        await SubmitAsync(page, "Visa");
        (await page.Locator("h1").InnerTextAsync()).ShouldBe("Riskregister för Kommunstyrelsen 2025");
        (await Row(page, "Felaktiga utbetalningar till leverantörer").CountAsync()).ShouldBe(1);
        foreach (var risk in risks)
        {
            (await Row(page, risk.Title).CountAsync()).ShouldBe(0, risk.Title);
        }

        await page.GotoAsync($"/k/{Slug}/intern-kontroll/risker?enhet={committee}&ar=2026");
        await page.GetByRole(AriaRole.Link, new() { Name = "Jäv vid upphandling", Exact = true }).ClickAsync();
        // The address, not the load event, which a full suite on two cores was seen to wait a minute for (as Browser.SignInAsync).
        await page.WaitForURLAsync(new Regex("/risker/[0-9a-f-]{36}"), new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        var riskPage = page.Url;

        // A reader sees the register and the risk, and no form.
        var (readerEmail, readerPassword) = await app.MemberAsync(Slug, TenantRole.Reader);
        var reader = await browser.PageAsync(app);
        await Browser.SignInAsync(reader, readerEmail, readerPassword);
        await reader.GotoAsync($"/k/{Slug}/intern-kontroll/risker?enhet={committee}&ar=2026");
        (await Row(reader, "Jäv vid upphandling").CountAsync()).ShouldBe(1);
        (await reader.GetByRole(AriaRole.Link, new() { Name = "Lägg till en risk" }).CountAsync()).ShouldBe(0);
        await reader.GotoAsync(riskPage);
        (await reader.Locator("h1").InnerTextAsync()).ShouldBe($"Risk {numbers[2]}: Jäv vid upphandling");
        (await reader.Locator("main form[method=post]").CountAsync()).ShouldBe(0);
        (await reader.Locator("section[aria-labelledby=historik] tbody tr").CountAsync()).ShouldBe(1);
        await NoViolationsAsync(reader, "risk-lasare");
        await reader.GotoAsync($"/k/{Slug}/intern-kontroll/skala");
        (await reader.Locator("main form[method=post]").CountAsync()).ShouldBe(0);
        (await reader.Locator("main").InnerTextAsync()).ShouldContain("Mycket sannolik");
        await NoViolationsAsync(reader, "riskskala-lasare");
    }
}
