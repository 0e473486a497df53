using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Kedja.Domain.Activities;
using Kedja.Domain.Goals;
using Kedja.Domain.Indicators;
using Kedja.Web.Demo;
using Kedja.Web.Public;
using Kedja.Web.Tests.Reports;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Tests.Portal;

/// <summary>
/// The portal's activities, Agenda 2030, frozen reports and search (issue 13): what anyone reads without signing in, of
/// published periods only, and never a cookie. The demo has published every period up to T1 2026, not T2 2026.
/// </summary>
public sealed partial class PortalPagesTests
{
    private const string Slug = DemoTenant.Slug;
    private const string Portal = $"/p/{Slug}";
    private const string Api = $"/api/v1/tenants/{Slug}";
    private const string Published = "2026-T1";
    private const string Unpublished = "2026-T2";

    [GeneratedRegex("<h2 id=\"g(\\d+)\">(.*?)</h2>")]
    private static partial Regex GlobalGoalHeading();

    [GeneratedRegex("<ol class=\"portal-hits\">(.*?)</ol>", RegexOptions.Singleline)]
    private static partial Regex HitList();

    /// <summary>A page of the portal, answered 200 without a cookie; its HTML.</summary>
    private static async Task<string> PageAsync(HttpClient anonymous, string url)
    {
        var response = await anonymous.GetAsync(url);
        var html = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, $"{url}: {html}");
        response.Headers.Contains("Set-Cookie").ShouldBeFalse($"{url} sets a cookie");
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
        html.ShouldContain("<html lang=\"sv\">");
        html.ShouldNotContain("__RequestVerificationToken");
        return html;
    }

    private static async Task NotFoundAsync(HttpClient anonymous, string url, string why)
    {
        var response = await anonymous.GetAsync(url);
        response.StatusCode.ShouldBe(HttpStatusCode.NotFound, why);
        response.Headers.Contains("Set-Cookie").ShouldBeFalse($"{url} sets a cookie");
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Every_page_has_the_menu_with_the_current_page_marked_and_a_search_form_that_takes_no_token(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var anonymous = app.CreateClient();
        var pages = new Dictionary<string, string>
        {
            [Portal] = "Start", [$"{Portal}/aktiviteter"] = "Aktiviteter", [$"{Portal}/agenda-2030"] = "Agenda 2030", [$"{Portal}/rapporter"] = "Rapporter",
            [$"{Portal}/sok?q=skola"] = "",
        };
        foreach (var (url, current) in pages)
        {
            var html = await PageAsync(anonymous, url);
            var nav = html[html.IndexOf("<nav class=\"portal-nav\"", StringComparison.Ordinal)..];
            nav = nav[..nav.IndexOf("</nav>", StringComparison.Ordinal)];
            foreach (var (href, name) in new[] { ("", "Start"), ("/aktiviteter", "Aktiviteter"), ("/agenda-2030", "Agenda 2030"), ("/rapporter", "Rapporter"), ("/oppna-data", "Öppna data") })
            {
                var marked = name == current ? " aria-current=\"page\"" : "";
                nav.ShouldContain($"<a href=\"{Portal}{href}\"{marked}>{name}</a>", Case.Sensitive, url);
            }

            Regex.Count(nav, "aria-current").ShouldBe(current.Length == 0 ? 0 : 1, url);
            // A GET form: it works without JavaScript, and ASP.NET adds no antiforgery token (so no cookie) to it.
            html.ShouldContain($"<form class=\"portal-search\" role=\"search\" method=\"get\" action=\"{Portal}/sok\">", Case.Sensitive, url);
            html.ShouldContain("<label for=\"sokord\">Sök bland mål och indikatorer</label>");
            html.ShouldContain("name=\"q\" type=\"search\" maxlength=\"100\"");
        }

        (await PageAsync(anonymous, $"{Portal}/sok?q=skola")).ShouldContain("value=\"skola\"", Case.Sensitive, "the search field keeps the query");
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Activities_show_under_their_goal_what_was_reported_for_the_chosen_published_period_only(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var anonymous = app.CreateClient();
        string goalTitle, unitName;
        Guid goalId;
        var (scope, db) = app.DbFor(Slug);
        using (scope)
        {
            var periods = await db.Periods.ToDictionaryAsync(p => p.Key);
            var activity = await db.Activities.SingleAsync(a => a.Title == "Trygghetsvandringar med elevråden");
            var goal = await db.Goals.SingleAsync(g => g.Id == activity.GoalId);
            (goalTitle, goalId, unitName) = (goal.Title, goal.Id, await db.Units.Where(u => u.Id == activity.ResponsibleUnitId).Select(u => u.Name).SingleAsync());
            foreach (var (key, marker, status, progress) in new[] { (Published, "PUBLICERAD-rapport", ActivityStatus.Delayed, 41), ("2025-T3", "ÄLDRE-rapport", ActivityStatus.InProgress, 33),
                         (Unpublished, "HEMLIG-rapport", ActivityStatus.Cancelled, 97) })
            {
                var comment = await db.ActivityComments.SingleAsync(c => c.ActivityId == activity.Id && c.PeriodId == periods[key].Id);
                (comment.Text, comment.Status, comment.Progress) = (marker, status, progress);
            }

            // Its current state is the unpublished period's: never shown.
            (activity.Status, activity.Progress) = (ActivityStatus.Cancelled, 97);
            await db.SaveChangesAsync();
        }

        var html = await PageAsync(anonymous, $"{Portal}/aktiviteter");
        html.ShouldContain("<h1>Aktiviteter</h1>");
        html.ShouldContain("för T1 2026.");
        html.ShouldContain($"<h3><a href=\"{Portal}/mal/{goalId}\">{goalTitle}</a></h3>");
        html.ShouldContain("<h2 id=\"grupp-0\">Invånare</h2>", Case.Sensitive, "grouped by perspective as the start page groups the goals");
        var item = html[html.IndexOf("Trygghetsvandringar med elevråden", StringComparison.Ordinal)..];
        item = item[..item.IndexOf("</li>", StringComparison.Ordinal)];
        item.ShouldContain($"Ansvarig: {unitName}. 15 januari 2025 – 12 juni 2026");
        item.ShouldContain("<strong>Försenad</strong>, 41 % klart");
        item.ShouldContain("PUBLICERAD-rapport");
        html.ShouldNotContain("HEMLIG");
        html.ShouldNotContain("Avbruten");
        html.ShouldNotContain("97 %");
        // Programmes: under their own heading, said not to count toward the goals.
        html.ShouldContain("<h2 id=\"program\">Program</h2>");
        html.ShouldContain("<h3>Miljöprogram 2023-2026</h3>");
        html.ShouldContain("Laddinfrastruktur vid kommunens arbetsplatser");
        // An activity that ended the year before is not among this year's.
        html.ShouldNotContain("Ny ventilation i badhuset");
        // The published periods to choose among, the one shown marked.
        html.ShouldContain($"<a href=\"{Portal}/aktiviteter?period=2026-T1\" aria-current=\"page\">T1 2026</a>");
        html.ShouldContain($"<a href=\"{Portal}/aktiviteter?period=2025-T3\">");
        html.ShouldNotContain($"?period={Unpublished}");

        var earlier = await PageAsync(anonymous, $"{Portal}/aktiviteter?period=2025-T3");
        earlier.ShouldContain("ÄLDRE-rapport");
        earlier.ShouldContain("<strong>Pågår</strong>, 33 % klart");
        earlier.ShouldNotContain("PUBLICERAD-rapport");
        earlier.ShouldContain("Ny ventilation i badhuset", Case.Sensitive, "it ran in 2025");
        await NotFoundAsync(anonymous, $"{Portal}/aktiviteter?period={Unpublished}", "an unpublished period is as unknown as a missing one");
        await NotFoundAsync(anonymous, $"{Portal}/aktiviteter?period=1999-T1", "a period that does not exist");
        await NotFoundAsync(anonymous, "/p/finns-inte/aktiviteter", "a municipality that does not exist");
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Agenda_2030_lists_the_17_global_goals_with_the_published_goals_that_support_each_and_their_status(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var anonymous = app.CreateClient();
        Goal supporting;
        var (scope, db) = app.DbFor(Slug);
        using (scope)
        {
            supporting = (await db.Goals.AsNoTracking().ToListAsync()).First(g => g.Agenda2030.Contains(4) && g.ValidFromYear is null or <= 2026);
            // A goal planned for 2027, a year nothing is published of: a draft the public does not see.
            db.Goals.Add(new Goal { ModelId = supporting.ModelId, LevelId = supporting.LevelId, OwnerUnitId = supporting.OwnerUnitId, Title = "Framtidsmålet om utbildning",
                ValidFromYear = 2027, ValidToYear = 2030, Agenda2030 = [4] });
            await db.SaveChangesAsync();
        }

        var html = await PageAsync(anonymous, $"{Portal}/agenda-2030");
        html.ShouldContain("<h1>Agenda 2030</h1>");
        var headings = GlobalGoalHeading().Matches(html).Select(m => (Number: int.Parse(m.Groups[1].Value), Title: m.Groups[2].Value)).ToList();
        headings.Select(h => h.Number).ShouldBe(Enumerable.Range(1, 17));
        headings.Select(h => h.Title).ShouldBe(Agenda2030.Goals.Select(g => $"{g.Number}. {g.Title}"));
        html.ShouldContain("4. God utbildning för alla");
        var fourth = html[html.IndexOf("<h2 id=\"g4\">", StringComparison.Ordinal)..html.IndexOf("<h2 id=\"g5\">", StringComparison.Ordinal)];
        fourth.ShouldContain($"<a href=\"{Portal}/mal/{supporting.Id}\">{supporting.Title}</a>");
        fourth.ShouldContain("class=\"status\"", Case.Sensitive, "each goal's status, with symbol and words");
        fourth.ShouldNotContain("Framtidsmålet om utbildning");
        html.ShouldContain("Inget av kommunens mål är kopplat till det här globala målet.", Case.Sensitive, "the demo's goals leave some global goals without one");
        html.ShouldContain($"<a href=\"{Portal}/agenda-2030?period=2026-T1\" aria-current=\"page\">T1 2026</a>");

        (await PageAsync(anonymous, $"{Portal}/agenda-2030?period=2024-T3")).ShouldContain("uppföljningen för T3 2024");
        await NotFoundAsync(anonymous, $"{Portal}/agenda-2030?period={Unpublished}", "an unpublished period is as unknown as a missing one");
        await NotFoundAsync(anonymous, "/p/finns-inte/agenda-2030", "a municipality that does not exist");
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Frozen_reports_of_published_periods_are_listed_and_download_as_frozen_while_those_of_an_unpublished_period_are_not_there(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var anonymous = app.CreateClient();
        var admin = await app.ClientAsync();
        var council = await ReportJobTests.UnitAsync(app);

        var empty = await PageAsync(anonymous, $"{Portal}/rapporter");
        empty.ShouldContain("Kommunen har inte lagt ut några rapporter ännu.");

        async Task<(JsonElement Frozen, byte[] Bytes)> FreezeAsync(string period, string format)
        {
            var id = (await ReportJobTests.OrderAsync(admin, new { unitId = council, periodKey = period, templateKey = "tertialrapport", format })).GetProperty("id").GetGuid();
            (await ReportJobTests.WaitAsync(admin, id)).GetProperty("state").GetString().ShouldBe("done");
            var bytes = await (await admin.GetAsync($"{Api}/reports/{id}/file")).Content.ReadAsByteArrayAsync();
            var frozen = await admin.PostAsync($"{Api}/reports/{id}/freeze", null);
            frozen.StatusCode.ShouldBe(HttpStatusCode.Created, await frozen.Content.ReadAsStringAsync());
            return (await frozen.Content.ReadFromJsonAsync<JsonElement>(), bytes);
        }

        var html = await FreezeAsync(Published, "html");
        var word = await FreezeAsync(Published, "docx");
        var secret = await FreezeAsync(Unpublished, "html");
        var older = await FreezeAsync("2025-T3", "html");

        var page = await PageAsync(anonymous, $"{Portal}/rapporter");
        page.ShouldNotContain("Kommunen har inte lagt ut några rapporter ännu.");
        page.ShouldContain("<h2 id=\"period-2026-T1\">T1 2026</h2>");
        page.ShouldContain("<h2 id=\"period-2025-T3\">T3 2025</h2>");
        page.IndexOf("period-2026-T1", StringComparison.Ordinal).ShouldBeLessThan(page.IndexOf("period-2025-T3", StringComparison.Ordinal), "the latest period first");
        foreach (var (frozen, bytes) in new[] { html, word, older })
        {
            page.ShouldContain($"<a href=\"{Portal}/rapporter/{frozen.GetProperty("id").GetGuid()}\">{frozen.GetProperty("title").GetString()}</a>");
        }

        page.ShouldContain("(webbsida, ");
        page.ShouldContain($"(Word, {Kedja.Web.Portal.Pages.ReportsModel.Size(word.Bytes.Length)})");
        page.ShouldNotContain(secret.Frozen.GetProperty("id").GetGuid().ToString());
        page.ShouldNotContain("T2 2026");
        page.ShouldNotContain(KedjaApp.AdminEmail, Case.Insensitive, "who froze a report is not said");

        foreach (var (frozen, bytes, type) in new[] { (html.Frozen, html.Bytes, "text/html"), (word.Frozen, word.Bytes, "application/vnd.openxmlformats-officedocument.wordprocessingml.document") })
        {
            var url = $"{Portal}/rapporter/{frozen.GetProperty("id").GetGuid()}";
            var download = await anonymous.GetAsync(url);
            download.StatusCode.ShouldBe(HttpStatusCode.OK, url);
            download.Headers.Contains("Set-Cookie").ShouldBeFalse();
            download.Content.Headers.ContentType!.MediaType.ShouldBe(type);
            download.Content.Headers.ContentDisposition!.FileNameStar.ShouldBe(frozen.GetProperty("fileName").GetString());
            var body = await download.Content.ReadAsByteArrayAsync();
            body.ShouldBe(bytes, "the bytes exactly as frozen");
            Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(body)).ShouldBe(frozen.GetProperty("sha256").GetString());
        }

        await NotFoundAsync(anonymous, $"{Portal}/rapporter/{secret.Frozen.GetProperty("id").GetGuid()}", "a report of an unpublished period is not there");
        await NotFoundAsync(anonymous, $"{Portal}/rapporter/{Guid.NewGuid()}", "a report that does not exist");
        await NotFoundAsync(anonymous, $"/p/beta/rapporter/{html.Frozen.GetProperty("id").GetGuid()}", "another municipality's report");
        await NotFoundAsync(anonymous, $"/p/finns-inte/rapporter/{html.Frozen.GetProperty("id").GetGuid()}", "a municipality that does not exist");
        // The signed-in side still has it: the portal hides it because its period is unpublished, not because it is gone.
        (await admin.GetAsync($"{Api}/frozen-reports/{secret.Frozen.GetProperty("id").GetGuid()}/file")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Search_finds_published_goals_and_indicators_by_Swedish_words_in_any_case_and_never_a_draft(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var anonymous = app.CreateClient();
        Guid goal, indicator;
        var (scope, db) = app.DbFor(Slug);
        using (scope)
        {
            var any = await db.Goals.FirstAsync();
            goal = await db.Goals.Where(g => g.Title == "Äldre har inflytande över sin vardag").Select(g => g.Id).SingleAsync();
            indicator = await db.Indicators.Where(i => i.Name == "Brukarbedömning hemtjänst äldreomsorg – helhetssyn").Select(i => i.Id).SingleAsync();
            // Drafts for 2027, a year nothing is published of: a goal and an indicator under it.
            var draft = new Goal { ModelId = any.ModelId, LevelId = any.LevelId, OwnerUnitId = any.OwnerUnitId, Title = "Ökad ålderdomsglädje i Zebrastaden",
                Description = "Zebrastadens äldre ska må bra.", ValidFromYear = 2027, ValidToYear = 2030 };
            db.Goals.Add(draft);
            db.Indicators.Add(new Indicator { Name = "Zebrastadens nöjdhetsindex", OwnerUnitId = any.OwnerUnitId, GoalId = draft.Id });
            await db.SaveChangesAsync();
        }

        // Upper case finds lower, å ä ö included: "ÄLDRE" finds "Äldre …" (a goal) and "… äldreomsorg …" (an indicator).
        var html = await PageAsync(anonymous, $"{Portal}/sok?q={Uri.EscapeDataString("ÄLDRE")}");
        html.ShouldContain("<h1>Sök bland mål och indikatorer</h1>");
        var count = Regex.Match(html, "<p role=\"status\">(\\d+) träffar för ”ÄLDRE”.</p>");
        count.Success.ShouldBeTrue(html);
        var hits = Regex.Count(HitList().Match(html).Groups[1].Value, "<li>");
        hits.ShouldBe(int.Parse(count.Groups[1].Value), "the count says how many are listed");
        html.ShouldContain($"<a href=\"{Portal}/mal/{goal}\">Äldre har inflytande över sin vardag</a>");
        html.ShouldContain($"<a href=\"{Portal}/indikator/{indicator}\">Brukarbedömning hemtjänst äldreomsorg – helhetssyn</a>");
        html.ShouldContain("Mål för Vård- och omsorgsnämnden");
        html.IndexOf($"/mal/{goal}", StringComparison.Ordinal).ShouldBeLessThan(html.IndexOf($"/indikator/{indicator}", StringComparison.Ordinal));

        // Every word must be there, in title, code or description: å is not a.
        var both = await PageAsync(anonymous, $"{Portal}/sok?q={Uri.EscapeDataString("inflytande VARDAG")}");
        both.ShouldContain("<p role=\"status\">1 träff för ”inflytande VARDAG”.</p>");
        (await PageAsync(anonymous, $"{Portal}/sok?q=aldre")).ShouldNotContain($"/mal/{goal}\"", Case.Sensitive, "a is not ä");

        // Never a draft, though the signed-in search finds it.
        var draftSearch = await PageAsync(anonymous, $"{Portal}/sok?q=zebrastaden");
        draftSearch.ShouldContain("<p role=\"status\">Inga träffar för ”zebrastaden”.</p>");
        draftSearch.ShouldNotContain("ålderdomsglädje");
        (await PageAsync(anonymous, $"{Portal}/sok?q=Zebrastadens")).ShouldNotContain("nöjdhetsindex");
        var signedIn = await (await app.ClientAsync()).GetStringAsync($"/k/{Slug}/sok?q=zebrastaden");
        signedIn.ShouldContain("Ökad ålderdomsglädje i Zebrastaden", Case.Sensitive, "the draft exists and is found where drafts may be seen");

        // The query comes back encoded, in the page and in the search field.
        var script = await PageAsync(anonymous, $"{Portal}/sok?q={Uri.EscapeDataString("<script>alert(1)</script>")}");
        script.ShouldNotContain("<script>alert(1)</script>");
        script.ShouldContain("Inga träffar för ”&lt;script&gt;alert(1)&lt;/script&gt;”.");
        script.ShouldContain("value=\"&lt;script&gt;alert(1)&lt;/script&gt;\"");

        (await PageAsync(anonymous, $"{Portal}/sok")).ShouldContain("Skriv ett eller flera ord i <a href=\"#sokord\">sökfältet</a>");
        (await PageAsync(anonymous, $"{Portal}/sok?q=+++")).ShouldContain("Skriv ett eller flera ord");
        (await PageAsync(anonymous, $"{Portal}/sok?q=e")).ShouldContain("Skriv minst två bokstäver för att söka.");
        var tooLong = await PageAsync(anonymous, $"{Portal}/sok?q={new string('ö', 101)}");
        tooLong.ShouldContain("<div class=\"alert\" role=\"alert\"><p>Skriv högst 100 tecken i sökfältet.</p></div>");
        tooLong.ShouldNotContain("portal-hits");
        (await PageAsync(anonymous, $"{Portal}/sok?q={new string('ö', 100)}")).ShouldContain("Inga träffar");

        // Many hits: at most 50 listed, the count says how many there were.
        var many = await PageAsync(anonymous, $"{Portal}/sok?q=er");
        var total = int.Parse(Regex.Match(many, "<p role=\"status\">(\\d+) träffar för ”er”.</p>").Groups[1].Value);
        total.ShouldBeGreaterThan(50);
        many.ShouldContain("Här visas de 50 första.");
        Regex.Count(HitList().Match(many).Groups[1].Value, "<li>").ShouldBe(50);

        await NotFoundAsync(anonymous, "/p/finns-inte/sok?q=skola", "a municipality that does not exist");

        // "ä" typed as "a" and two dots is ä.
        (await PageAsync(anonymous, $"{Portal}/sok?q={Uri.EscapeDataString("a\u0308ldre har")}")).ShouldContain($"/mal/{goal}\"");

        // The rows searched are read once per data version, and read again after a change: a renamed goal is found by its new name.
        var rows = app.Services.GetRequiredService<PortalSearchRows>();
        var before = rows.Computations;
        await PageAsync(anonymous, $"{Portal}/sok?q=skola");
        await PageAsync(anonymous, $"{Portal}/sok?q=omsorg");
        rows.Computations.ShouldBe(before, "no change, no new read");
        (await PageAsync(anonymous, $"{Portal}/sok?q=gnuvardag")).ShouldContain("Inga träffar");
        (scope, db) = app.DbFor(Slug);
        using (scope)
        {
            var renamed = await db.Goals.SingleAsync(g => g.Id == goal);
            renamed.Title = "Äldre har inflytande över sin gnuvardag";
            await db.SaveChangesAsync();
        }

        var renamedHit = await PageAsync(anonymous, $"{Portal}/sok?q=GNUVARDAG");
        renamedHit.ShouldContain($"<a href=\"{Portal}/mal/{goal}\">Äldre har inflytande över sin gnuvardag</a>");
        renamedHit.ShouldContain("Mål för Vård- och omsorgsnämnden");
        rows.Computations.ShouldBe(before + 1);

        // A renamed unit (a change the record does not name) reads every row again.
        (scope, db) = app.DbFor(Slug);
        using (scope)
        {
            var unit = await db.Units.SingleAsync(u => u.Name == "Vård- och omsorgsnämnden");
            unit.Name = "Omsorgsnämnden";
            await db.SaveChangesAsync();
        }

        var unitRenamed = await PageAsync(anonymous, $"{Portal}/sok?q=gnuvardag");
        unitRenamed.ShouldContain("Mål för Omsorgsnämnden");
        unitRenamed.ShouldNotContain("Vård- och omsorgsnämnden");

        // A goal moved to years not published takes its indicators out of the search with it, and back.
        async Task MoveIndicatorsGoalAsync(int? from)
        {
            (scope, db) = app.DbFor(Slug);
            using (scope)
            {
                var goalOf = await db.Indicators.Where(i => i.Id == indicator).Select(i => i.GoalId).SingleAsync();
                var moved = await db.Goals.SingleAsync(g => g.Id == goalOf);
                moved.ValidFromYear = from;
                await db.SaveChangesAsync();
            }
        }

        (await PageAsync(anonymous, $"{Portal}/sok?q=helhetssyn")).ShouldContain($"/indikator/{indicator}\"");
        await MoveIndicatorsGoalAsync(2099);
        (await PageAsync(anonymous, $"{Portal}/sok?q=helhetssyn")).ShouldNotContain($"/indikator/{indicator}\"");
        await MoveIndicatorsGoalAsync(null);
        (await PageAsync(anonymous, $"{Portal}/sok?q=helhetssyn")).ShouldContain($"/indikator/{indicator}\"");
    }

    [Fact]
    public void The_search_folds_texts_as_a_Swedish_reader_reads_them()
    {
        Tenants.Search.Matches(["verksamhetsplan"], "Kommunens verksamhets\u00ADplan").ShouldBeTrue("a soft hyphen from Word is not there to a reader");
        Tenants.Search.Matches(["finansiering"], "\uFB01nansiering").ShouldBeTrue("the fi ligature of a PDF is f and i");
        Tenants.Search.Matches(["ÅLDER"], "a\u030Alder").ShouldBeTrue("å typed as a and a ring");
        Tenants.Search.Matches(["aldre"], "äldre").ShouldBeFalse("a is not ä");
        Tenants.Search.Matches(["cafe"], "café").ShouldBeFalse("é is not e");
    }
}
