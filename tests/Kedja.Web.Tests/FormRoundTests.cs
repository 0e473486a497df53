using System.Net;
using System.Text.RegularExpressions;
using Kedja.Domain.Tenancy;
using Kedja.Web.Demo;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Tests;

/// <summary>
/// The edit forms as a new user meets them (ADR 28): every error of a form in one round, each beside its field, with
/// nothing saved; a plain word for what to choose on the new-municipality form; a status line on the page a save leads
/// to, in both languages; units to choose from in the organisation's order.
/// </summary>
public sealed partial class FormRoundTests
{
    private const string Slug = DemoTenant.Slug;

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();

    private static async Task<(HttpStatusCode Status, string Body)> PostAsync(HttpClient client, string url, Dictionary<string, string> form, string? readable = null)
    {
        form["__RequestVerificationToken"] = TokenPattern().Match(await client.GetStringAsync(readable ?? url)).Groups[1].Value;
        var answer = await client.PostAsync(url, new FormUrlEncodedContent(form));
        return (answer.StatusCode, await answer.Content.ReadAsStringAsync());
    }

    /// <summary>A client that does not follow redirects, so the address a save leads to can be read.</summary>
    private static HttpClient Direct(KedjaApp app, HttpClient signedIn)
    {
        var direct = app.CreateClient(new() { AllowAutoRedirect = false });
        direct.DefaultRequestHeaders.Authorization = signedIn.DefaultRequestHeaders.Authorization;
        return direct;
    }

    /// <summary>The form's inputs and selected options as the page shows them, ready to post back.</summary>
    private static Dictionary<string, string> FormOf(string page)
    {
        var form = Regex.Matches(page, "<input (?:(?!>).)*?name=\"([^\"]+)\"(?:(?!>).)*?value=\"([^\"]*)\"").Where(m => !m.Groups[1].Value.StartsWith("__", StringComparison.Ordinal))
            .GroupBy(m => m.Groups[1].Value).ToDictionary(g => g.Key, g => WebUtility.HtmlDecode(g.First().Groups[2].Value));
        foreach (var select in Regex.Matches(page, "<select[^>]*name=\"([^\"]+)\"[^>]*>(.*?)</select>", RegexOptions.Singleline).ToList())
        {
            var chosen = Regex.Match(select.Groups[2].Value, "<option value=\"([^\"]*)\" selected");
            form[select.Groups[1].Value] = chosen.Success ? chosen.Groups[1].Value : "";
        }

        return form;
    }

    /// <summary>Each field's error beside it, named by the input's aria-describedby.</summary>
    private static void ShouldSayBeside(string body, params (string InputId, string Field, string Message)[] errors)
    {
        foreach (var (inputId, field, message) in errors)
        {
            WebUtility.HtmlDecode(body).ShouldContain($"<span class=\"field-error\" id=\"fel-{field}\">{message}</span>", Case.Sensitive, $"{field} in the same round");
            Regex.IsMatch(body, $"id=\"{Regex.Escape(inputId)}\"[^>]*aria-describedby=\"[^\"]*fel-{Regex.Escape(field)}").ShouldBeTrue($"{inputId} names its error");
        }
    }

    /// <summary>A select's options in order: the value and the text, the indentation kept.</summary>
    private static List<(string Value, string Text)> Options(string page, string selectId) =>
        [.. Regex.Matches(Regex.Match(page, $"<select id=\"{selectId}\".*?</select>", RegexOptions.Singleline).Value, "<option value=\"([0-9a-f-]{36})\"[^>]*>([^<]*)</option>")
            .Select(m => (m.Groups[1].Value, WebUtility.HtmlDecode(m.Groups[2].Value)))];

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_goal_and_indicator_forms_say_unreadable_figures_and_the_services_checks_in_one_round_and_save_nothing(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        Guid library, parent, level, indicator;
        int goalsBefore;
        var (scope, db) = app.DbFor(Slug);
        using (scope)
        {
            library = await db.Units.Where(u => u.Name == "Biblioteket").Select(u => u.Id).SingleAsync();
            parent = await db.Goals.Where(g => g.Title == "Fler deltar i kultur och fritid").Select(g => g.Id).SingleAsync();
            level = await db.Goals.Where(g => g.OwnerUnitId == library).Select(g => g.LevelId).FirstAsync();
            indicator = await db.Indicators.Where(i => i.OwnerUnitId == library && i.GoalId != null && i.Targets.Count > 0).Select(i => i.Id).FirstAsync();
            goalsBefore = await db.Goals.CountAsync();
        }

        var editor = await app.MemberClientAsync(Slug, TenantRole.Editor, library);
        var goalForm = new Dictionary<string, string>
        {
            ["Title"] = "", ["LevelId"] = level.ToString(), ["ValidFrom"] = "20x6", ["ValidTo"] = "2027", ["Links[0].GoalId"] = parent.ToString(), ["Links[0].Weight"] = "1,2,3",
        };
        var (status, body) = await PostAsync(editor, $"/k/{Slug}/mal/ny?enhet={library}", goalForm);
        status.ShouldBe(HttpStatusCode.BadRequest);
        ShouldSayBeside(body, ("titel", "title", "Målets titel måste anges."), ("fran", "validFromYear", "Ange ett årtal med fyra siffror, t.ex. 2027."),
            ("vikt-0", "contributes[0].weight", "Ange ett tal med decimalkomma, t.ex. 0,5."));
        body.ShouldContain("value=\"20x6\"");
        body.ShouldContain("value=\"1,2,3\"");

        var url = $"/k/{Slug}/indikator/{indicator}/andra";
        var form = FormOf(await editor.GetStringAsync(url));
        var target = form.First(f => f.Key.StartsWith("Targets[", StringComparison.Ordinal) && f.Key.EndsWith(".Value", StringComparison.Ordinal) && f.Value != "").Key;
        var row = Regex.Match(target, @"\[(\d+)\]").Groups[1].Value;
        (form[target], form["Name"], form["Weight"]) = ("12,x", "", "tung");
        (status, body) = await PostAsync(editor, url, form);
        status.ShouldBe(HttpStatusCode.BadRequest);
        ShouldSayBeside(body, ($"mv-{row}", $"targets[{row}].value", "Ange ett tal med decimalkomma, t.ex. 12,5."), ("namn", "name", "Indikatorns namn måste anges."),
            ("vikt", "weight", "Ange ett tal med decimalkomma, t.ex. 12,5."));

        var (after, afterDb) = app.DbFor(Slug);
        using (after)
        {
            (await afterDb.Goals.CountAsync()).ShouldBe(goalsBefore);
            (await afterDb.Indicators.SingleAsync(i => i.Id == indicator)).Version.ShouldBe(int.Parse(form["Version"], System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_activity_program_and_document_forms_say_every_error_in_one_round_and_save_nothing(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        Guid library, goal;
        int activities, programs, documents;
        var (scope, db) = app.DbFor(Slug);
        using (scope)
        {
            library = await db.Units.Where(u => u.Name == "Biblioteket").Select(u => u.Id).SingleAsync();
            goal = await db.Goals.Where(g => g.OwnerUnitId == library).Select(g => g.Id).FirstAsync();
            (activities, programs, documents) = (await db.Activities.CountAsync(), await db.Programs.CountAsync(), await db.Documents.CountAsync());
        }

        var admin = await app.ClientAsync();
        var (status, body) = await PostAsync(admin, $"/k/{Slug}/aktivitet/ny", new()
        {
            ["Title"] = "", ["BelongsTo"] = $"m:{goal}", ["ResponsibleUnitId"] = library.ToString(), ["StartDate"] = "31/12", ["EndDate"] = "2026-01-01",
            ["Status"] = "NotStarted", ["Progress"] = "mycket",
        });
        status.ShouldBe(HttpStatusCode.BadRequest);
        ShouldSayBeside(body, ("titel", "title", "Aktivitetens titel måste anges."), ("start", "startDate", "Ange datumet som ÅÅÅÅ-MM-DD."),
            ("framdrift", "progress", "Ange framdriften som ett heltal, 0-100."));
        body.ShouldContain("value=\"31/12\"");

        (status, body) = await PostAsync(admin, $"/k/{Slug}/program/ny", new() { ["Name"] = "", ["ValidFromYear"] = "tjugo", ["ValidToYear"] = "2026" });
        status.ShouldBe(HttpStatusCode.BadRequest);
        ShouldSayBeside(body, ("namn", "name", "Programmets namn måste anges."), ("fran", "validFromYear", "Ange året med fyra siffror, till exempel 2026."));

        (status, body) = await PostAsync(admin, $"/k/{Slug}/styrdokument/ny", new() { ["Kind"] = "Policy", ["Title"] = "", ["DecidedOn"] = "igår" });
        status.ShouldBe(HttpStatusCode.BadRequest);
        ShouldSayBeside(body, ("titel", "title", "Dokumentets titel måste anges."), ("beslutsdatum", "decidedOn", "Skriv datumet som ÅÅÅÅ-MM-DD, t.ex. 2026-01-31."));

        var (after, afterDb) = app.DbFor(Slug);
        using (after)
        {
            (await afterDb.Activities.CountAsync(), await afterDb.Programs.CountAsync(), await afterDb.Documents.CountAsync()).ShouldBe((activities, programs, documents));
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_new_municipality_form_says_what_to_choose_in_plain_words_and_keeps_an_unreadable_first_year_beside_its_field(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var system = await app.ClientAsync();
        var form = new Dictionary<string, string> { ["Name"] = "Nya kommunen", ["Slug"] = "Nya kommunen!", ["FirstYear"] = "20x6" };
        var (status, body) = await PostAsync(system, "/ny-kommun", form);
        status.ShouldBe(HttpStatusCode.BadRequest);
        ShouldSayBeside(body, ("adress", "slug", "Kortnamnet får bara innehålla a-z, 0-9 och bindestreck (2-60 tecken)."),
            ("forsta-ar", "firstYear", "Skriv första året som ett årtal med fyra siffror, till exempel 2027."));
        WebUtility.HtmlDecode(body).ShouldContain("<span class=\"field-error\" id=\"fel-template\">Välj en av mallarna ovan.");
        body.ShouldNotContain("Välj en av: ", Case.Sensitive, "no template keys for a person");
        body.ShouldContain("value=\"20x6\"");

        (status, body) = await PostAsync(system, "/ny-kommun", new() { ["Name"] = "Nya kommunen", ["Template"] = Templates.ModelTemplates.Kil, ["FirstYear"] = "1800" });
        status.ShouldBe(HttpStatusCode.BadRequest);
        ShouldSayBeside(body, ("forsta-ar", "firstYear", "Första året ska ligga mellan 1990 och 2097."));

        // The same words in English, chosen as a person chooses them.
        await PostAsync(system, "/sprak", new() { ["sprak"] = "en", ["tillbaka"] = "/ny-kommun" }, "/ny-kommun");
        (status, body) = await PostAsync(system, "/ny-kommun", form);
        status.ShouldBe(HttpStatusCode.BadRequest);
        WebUtility.HtmlDecode(body).ShouldContain("<span class=\"field-error\" id=\"fel-template\">Choose one of the templates above.");
        WebUtility.HtmlDecode(body).ShouldContain("<span class=\"field-error\" id=\"fel-firstYear\">Write the first year as a year with four digits, for example 2027.</span>");

        using var scope = app.Services.CreateScope();
        (await scope.ServiceProvider.GetRequiredService<Data.KedjaDbContext>().Tenants.CountAsync()).ShouldBe(1);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task After_saving_an_indicator_or_an_activity_the_page_says_so_in_both_languages(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        Guid library, goal, indicator;
        var (scope, db) = app.DbFor(Slug);
        using (scope)
        {
            library = await db.Units.Where(u => u.Name == "Biblioteket").Select(u => u.Id).SingleAsync();
            var found = await db.Indicators.Where(i => i.OwnerUnitId == library && i.GoalId != null).Select(i => new { i.Id, i.GoalId }).FirstAsync();
            (indicator, goal) = (found.Id, found.GoalId!.Value);
        }

        var editor = await app.MemberClientAsync(Slug, TenantRole.Editor, library);
        var direct = Direct(app, editor);
        var url = $"/k/{Slug}/indikator/{indicator}/andra";
        var answer = await direct.PostAsync(url, new FormUrlEncodedContent(new Dictionary<string, string>(FormOf(await editor.GetStringAsync(url)))
        {
            ["Description"] = "Ändrad beskrivning.", ["__RequestVerificationToken"] = TokenPattern().Match(await direct.GetStringAsync(url)).Groups[1].Value,
        }));
        answer.StatusCode.ShouldBe(HttpStatusCode.Redirect, await answer.Content.ReadAsStringAsync());
        var landing = answer.Headers.Location!.ToString();
        landing.ShouldBe($"/k/{Slug}/mal/{goal}?klart=indikator-sparad");
        (await editor.GetStringAsync(landing)).ShouldContain("<p class=\"done\" role=\"status\">Ändringarna av indikatorn är sparade.</p>");

        // The client does not carry its token through a redirect: the address is read and fetched as the browser would.
        var newActivity = $"/k/{Slug}/aktivitet/ny?mal={goal}";
        answer = await direct.PostAsync(newActivity, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Title"] = "Bokprat på fritids", ["BelongsTo"] = $"m:{goal}", ["ResponsibleUnitId"] = library.ToString(), ["Status"] = "NotStarted", ["Progress"] = "0",
            ["__RequestVerificationToken"] = TokenPattern().Match(await direct.GetStringAsync(newActivity)).Groups[1].Value,
        }));
        answer.StatusCode.ShouldBe(HttpStatusCode.Redirect, await answer.Content.ReadAsStringAsync());
        answer.Headers.Location!.ToString().ShouldBe($"/k/{Slug}/mal/{goal}?klart=aktivitet-skapad");
        var body = await editor.GetStringAsync(answer.Headers.Location.ToString());
        body.ShouldContain("<p class=\"done\" role=\"status\">Aktiviteten är sparad.</p>");
        body.ShouldContain("Bokprat på fritids");

        await PostAsync(editor, "/sprak", new() { ["sprak"] = "en", ["tillbaka"] = landing }, landing);
        (await editor.GetStringAsync(landing)).ShouldContain("<p class=\"done\" role=\"status\">Your changes to the indicator have been saved.</p>");
        (await editor.GetStringAsync($"/k/{Slug}/program?klart=program-borttaget")).ShouldContain("<p class=\"done\" role=\"status\">The program has been deleted.</p>");
        (await editor.GetStringAsync($"/k/{Slug}/mal/{goal}?klart=Allt+%C3%A4r+sparat")).ShouldNotContain("role=\"status\"", Case.Sensitive, "an address puts no words of its own on a page");
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Unit_lists_on_the_edit_forms_follow_the_organisation_each_unit_after_its_parent_and_indented_below_it(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        Dictionary<string, (string Name, string? Parent)> units;
        Guid goal;
        var (scope, db) = app.DbFor(Slug);
        using (scope)
        {
            // Active units only: the demo's planned merger has a new unit that exists from 2027-01-01 and takes nothing yet.
            units = (await db.Units.Where(u => u.IsActive).Select(u => new { u.Id, u.Name, u.ParentId }).ToListAsync()).ToDictionary(u => u.Id.ToString(), u => (u.Name, u.ParentId?.ToString()));
            goal = await db.Goals.Select(g => g.Id).FirstAsync();
        }

        var admin = await app.ClientAsync();
        foreach (var (page, select) in new[]
        {
            ($"/k/{Slug}/indikator/ny?mal={goal}", "agare"), ($"/k/{Slug}/aktivitet/ny?mal={goal}", "ansvarig"), ($"/k/{Slug}/program/ny", "agare"),
            ($"/k/{Slug}/styrdokument/ny", "beslutat-av"), ($"/k/{Slug}/behorigheter", "enhet"),
        })
        {
            var options = Options(await admin.GetStringAsync(page), select);
            options.Count.ShouldBe(units.Count, page);
            var place = options.Select((o, i) => (o.Value, i)).ToDictionary(x => x.Value, x => x.i);
            var depth = options.ToDictionary(o => o.Value, o => o.Text.TakeWhile(c => c == '\u00a0').Count() / 3);
            foreach (var (id, text) in options)
            {
                text.TrimStart('\u00a0').ShouldBe(units[id].Name);
                if (units[id].Parent is { } parent)
                {
                    place[parent].ShouldBeLessThan(place[id], $"{page}: {units[parent].Name} before {units[id].Name}");
                    depth[id].ShouldBe(depth[parent] + 1, $"{page}: {units[id].Name} indented below {units[parent].Name}");
                    options.Skip(place[parent] + 1).Take(place[id] - place[parent] - 1).ShouldAllBe(o => depth[o.Value] > depth[parent], $"{page}: nothing outside {units[parent].Name} between it and {units[id].Name}");
                }
            }

            options.Select(o => o.Text.TrimStart('\u00a0')).ShouldNotBe(options.Select(o => o.Text.TrimStart('\u00a0')).Order(StringComparer.Create(new("sv-SE"), true)), $"{page} is not alphabetical");
        }
    }
}
