using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using Kedja.Domain.Periods;
using Kedja.Domain.Tenancy;
using Kedja.Web.Demo;
using Kedja.Web.Templates;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Tests;

/// <summary>What a walk through Karlskoga, Heby and Kil as new users in Production found (ADR 29), each as it would have been caught.</summary>
public class WalkTests
{
    private const string Slug = DemoTenant.Slug;

    private static async Task<string> TokenAsync(HttpClient client, string url)
    {
        var html = await client.GetStringAsync(url);
        return Regex.Match(html, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
    }

    /// <summary>The table row of the page that names <paramref name="name"/>.</summary>
    /// <summary>The first table row naming the indicator: in the outcome grid, the outcome's (the full-year forecasts below name it again).</summary>
    private static string Row(string html, string name) =>
        Regex.Matches(html, "<tr[ >].*?</tr>", RegexOptions.Singleline).Select(m => m.Value).First(r => r.Contains(name, StringComparison.Ordinal));

    private static async Task<Guid> UnitAsync(KedjaApp app, string name)
    {
        var (scope, db) = app.DbFor(Slug);
        using (scope)
        {
            return await db.Units.Where(u => u.Name == name).Select(u => u.Id).SingleAsync();
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_outcome_grid_shows_beside_each_outcome_the_target_it_is_measured_against(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var library = await UnitAsync(app, "Biblioteket");
        string name, expected;
        var (scope, db) = app.DbFor(Slug);
        using (scope)
        {
            // A tertial indicator of the library and its target for T2 2026: the period's own, else the year's (as the engine reads it).
            var indicators = await db.Indicators.Include(i => i.Targets).Where(i => i.OwnerUnitId == library && i.Periodicity == PeriodKind.Tertial).ToListAsync();
            var (indicator, target) = indicators.Select(i => (i, i.Targets.FirstOrDefault(t => t.PeriodKey == "2026-T2") ?? i.Targets.FirstOrDefault(t => t.PeriodKey == "2026")))
                .First(x => x.Item2?.Value is not null);
            name = indicator.Name;
            expected = target!.Value!.Value.ToString("0.############", CultureInfo.GetCultureInfo("sv-SE"));
        }

        var html = await (await app.MemberClientAsync(Slug, TenantRole.Editor, library)).GetStringAsync($"/k/{Slug}/utfall/{library}?period=2026-T2");

        html.ShouldContain("<th scope=\"col\" class=\"num\">Målvärde</th>");
        Row(html, name).ShouldContain($"<td class=\"num\">{expected}</td>");
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_new_municipality_is_not_late_for_deadlines_before_it_existed_and_only_units_with_goals_are_late_after_one(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider);
        var admin = await app.ClientAsync();
        // Karlskoga's pyramid, with a calendar that began years before the municipality came to Kedja.
        var firstYear = ModelTemplates.MandateStart(app.Clock.GetUtcNow().Year - 1);
        (await admin.PostAsJsonAsync("/api/v1/tenants", new { slug = "karlskoga", name = "Karlskoga kommun", template = ModelTemplates.Karlskoga, firstYear }))
            .StatusCode.ShouldBe(HttpStatusCode.Created);
        var start = await admin.GetStringAsync("/k/karlskoga");
        start.ShouldContain("Kommunfullmäktige");
        start.ShouldNotContain("Försenad");
        start.ShouldNotContain("class=\"late\"");

        // A goal for the council; then the last ended period gets a deadline after the municipality was created, and passes.
        var model = (await admin.GetFromJsonAsync<JsonElement>("/api/v1/tenants/karlskoga/model"))[0];
        var units = await admin.GetFromJsonAsync<JsonElement>("/api/v1/tenants/karlskoga/units");
        var council = units.EnumerateArray().Single(u => u.GetProperty("name").GetString() == "Kommunfullmäktige").GetProperty("id").GetGuid();
        (await admin.PostAsJsonAsync("/api/v1/tenants/karlskoga/goals", new
        {
            levelId = model.GetProperty("levels")[0].GetProperty("id").GetGuid(), ownerUnitId = council, title = "Fler barn och unga når målen i skolan", sortOrder = 0,
            contributes = Array.Empty<object>(), agenda2030 = Array.Empty<int>(),
        })).StatusCode.ShouldBe(HttpStatusCode.Created);
        var today = DateOnly.FromDateTime(app.Clock.GetUtcNow().UtcDateTime);
        var ended = (await admin.GetFromJsonAsync<JsonElement>("/api/v1/tenants/karlskoga/periods")).EnumerateArray()
            .Last(p => DateOnly.Parse(p.GetProperty("endDate").GetString()!, CultureInfo.InvariantCulture) < today);
        var key = ended.GetProperty("key").GetString()!;
        (await admin.PutAsJsonAsync($"/api/v1/tenants/karlskoga/periods/{key}/deadline", new { deadline = today.AddDays(1), version = ended.GetProperty("version").GetInt32() }))
            .IsSuccessStatusCode.ShouldBeTrue();
        app.Clock.Advance(TimeSpan.FromDays(3));

        var page = await admin.GetStringAsync($"/k/karlskoga?period={key}");
        // Who is late (the list above the period's table, ADR 45) names the council too.
        page[..page.IndexOf("id=\"lage\"", StringComparison.Ordinal)].ShouldContain(">Kommunfullmäktige</a>");
        var late = page[page.IndexOf("id=\"lage\"", StringComparison.Ordinal)..];
        Row(late, ">Kommunfullmäktige</a>").ShouldContain("Försenad");
        Row(late, ">Kommunstyrelsen</a>").ShouldNotContain("Försenad", customMessage: "the board has nothing to report in the period");
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_scorecard_of_a_model_without_dimensions_heads_its_goals_in_the_reader_language_not_with_the_API_name(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider);
        var admin = await app.ClientAsync();
        (await admin.PostAsJsonAsync("/api/v1/tenants", new { slug = "heby", name = "Heby kommun", template = ModelTemplates.Heby })).StatusCode.ShouldBe(HttpStatusCode.Created);
        var model = (await admin.GetFromJsonAsync<JsonElement>("/api/v1/tenants/heby/model"))[0];
        var council = (await admin.GetFromJsonAsync<JsonElement>("/api/v1/tenants/heby/units")).EnumerateArray()
            .Single(u => u.GetProperty("name").GetString() == "Kommunfullmäktige").GetProperty("id").GetGuid();
        (await admin.PostAsJsonAsync("/api/v1/tenants/heby/goals", new
        {
            levelId = model.GetProperty("levels")[0].GetProperty("id").GetGuid(), ownerUnitId = council, title = "Tryggt och självständigt liv för äldre", sortOrder = 0,
            contributes = Array.Empty<object>(), agenda2030 = Array.Empty<int>(),
        })).StatusCode.ShouldBe(HttpStatusCode.Created);

        var card = await admin.GetStringAsync($"/k/heby/malkort/{council}");
        card.ShouldContain("<h2 id=\"g-ovrigt\">Mål</h2>");
        card.ShouldNotContain("Mål utan område");
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_closed_follow_up_shows_its_grid_and_assessment_read_only_and_a_save_is_not_called_someone_elses(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var library = await UnitAsync(app, "Biblioteket");
        Guid goal;
        var (scope, db) = app.DbFor(Slug);
        using (scope)
        {
            goal = await db.Goals.Where(g => g.OwnerUnitId == library && (g.ValidToYear == null || g.ValidToYear >= 2026) && (g.ValidFromYear == null || g.ValidFromYear <= 2026))
                .OrderBy(g => g.Title).Select(g => g.Id).FirstAsync();
        }

        var editor = await app.MemberClientAsync(Slug, TenantRole.Editor, library);
        var open = await editor.GetStringAsync($"/k/{Slug}/utfall/{library}?period=2026-T2");
        open.ShouldContain("name=\"Rows[0].Value\"", customMessage: "open before the lock");
        // The first row of the grid as a form kept open over the lock would post it, with a new value.
        var row = Regex.Matches(open, "name=\"(Rows\\[0\\]\\.[A-Za-z]+)\" value=\"([^\"]*)\"").ToDictionary(m => m.Groups[1].Value, m => WebUtility.HtmlDecode(m.Groups[2].Value));
        row["Rows[0].Value"] = "21 000";
        row["__RequestVerificationToken"] = Regex.Match(open, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
        var admin = await app.ClientAsync();
        var state = (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/tenants/{Slug}/periods/2026-T2/workflow")).EnumerateArray()
            .Single(u => u.GetProperty("unitId").GetGuid() == library);
        (await admin.PostAsJsonAsync($"/api/v1/tenants/{Slug}/units/{library}/periods/2026-T2/workflow",
            new { action = "lock", reason = "Rapporten har gått till nämnden.", version = state.GetProperty("version").GetInt32() })).IsSuccessStatusCode.ShouldBeTrue();

        var grid = await editor.GetStringAsync($"/k/{Slug}/utfall/{library}?period=2026-T2");
        grid.ShouldContain("Uppföljningen för T2 2026 är låst. Inget kan ändras förrän den har öppnats igen.");
        grid.ShouldNotContain("name=\"Rows[0].Value\"");
        grid.ShouldNotContain("Spara utfallen");
        var posted = await editor.PostAsync($"/k/{Slug}/utfall/{library}?period=2026-T2", new FormUrlEncodedContent(row));
        posted.IsSuccessStatusCode.ShouldBeFalse();
        (await posted.Content.ReadAsStringAsync()).ShouldContain("är låst");

        var url = $"/k/{Slug}/bedomning/{goal}?period=2026-T2";
        var page = await editor.GetStringAsync(url);
        page.ShouldContain("Uppföljningen för T2 2026 är låst.");
        page.ShouldNotContain("Spara bedömningen");
        var decided = await admin.GetAsync($"/api/v1/tenants/{Slug}/goals/{goal}/assessments/2026-T2");
        if (decided.IsSuccessStatusCode)
        {
            // What was decided stays readable.
            page.ShouldContain((await decided.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("analysis").GetString()!);
        }

        // A form kept open from before the lock: refused because of the lock, not blamed on someone else's save.
        var form = new Dictionary<string, string>
        {
            ["Status"] = "uppfyllt", ["Motivation"] = "Utlånen ökade.", ["Analysis"] = "Fler besök.", ["Version"] = "",
            ["__RequestVerificationToken"] = await TokenAsync(editor, $"/k/{Slug}/utfall/{library}?period=2026-T2"),
        };
        var saved = await editor.PostAsync(url, new FormUrlEncodedContent(form));
        saved.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        var body = await saved.Content.ReadAsStringAsync();
        body.ShouldNotContain("Någon annan har sparat");
        body.ShouldContain("är låst");
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_browser_gets_a_page_for_a_mistyped_address_or_a_stale_form_and_a_program_still_gets_problem_details(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var admin = await app.ClientAsync();

        var request = new HttpRequestMessage(HttpMethod.Get, $"/k/{Slug}/nivaer");
        request.Headers.Accept.ParseAdd("text/html,application/xhtml+xml");
        var missing = await admin.SendAsync(request);
        missing.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        missing.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
        (await missing.Content.ReadAsStringAsync()).ShouldContain("Sidan finns inte.");

        var api = await admin.GetAsync($"/api/v1/tenants/{Slug}/nothing-here");
        api.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        api.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");

        // A form posted without its antiforgery token (a page left open over a restart of the keys, say).
        var stale = await admin.PostAsync($"/k/{Slug}/behorigheter?handler=Invite", new FormUrlEncodedContent(new Dictionary<string, string> { ["Email"] = "x@test.kedja" }));
        stale.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        stale.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
        (await stale.Content.ReadAsStringAsync()).ShouldContain("Ladda om sidan");
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Too_many_uses_of_the_password_link_page_answer_with_a_page_that_says_how_long_to_wait(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, realLimits: true);
        var client = app.ClientFrom("203.0.113.77");
        HttpResponseMessage answer;
        var tries = 0;
        do
        {
            answer = await client.GetAsync("/konto/losenord?kod=nagot");
        }
        while (answer.StatusCode != HttpStatusCode.TooManyRequests && ++tries < 50);

        answer.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        answer.Headers.RetryAfter.ShouldNotBeNull();
        answer.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
        var page = await answer.Content.ReadAsStringAsync();
        var seconds = answer.Headers.RetryAfter!.Delta!.Value.TotalSeconds;
        page.ShouldContain(seconds == 1 ? "För många försök från din adress. Vänta en sekund och försök igen." : $"Vänta {seconds} sekunder och försök igen.");
    }

    [Fact]
    public async Task The_icon_is_served_to_anyone_and_every_page_names_it()
    {
        await using var app = await KedjaApp.StartAsync("Sqlite");
        var anonymous = app.CreateClient(new() { AllowAutoRedirect = false });

        var ico = await anonymous.GetAsync("/favicon.ico");
        ico.StatusCode.ShouldBe(HttpStatusCode.OK);
        ico.Content.Headers.ContentType!.MediaType.ShouldBe("image/x-icon");
        (await ico.Content.ReadAsByteArrayAsync()).Take(4).ShouldBe(new byte[] { 0, 0, 1, 0 });
        var svg = await anonymous.GetAsync("/favicon.svg");
        svg.StatusCode.ShouldBe(HttpStatusCode.OK);
        svg.Content.Headers.ContentType!.MediaType.ShouldBe("image/svg+xml");
        (await anonymous.GetStringAsync("/logga-in")).ShouldContain("<link rel=\"icon\" href=\"/favicon.svg\" type=\"image/svg+xml\">");
    }
}

/// <summary>Kedja started as the build left it, the way a newcomer starts it before publishing.</summary>
public class BuildOutputTests
{
    [Fact]
    public async Task Started_from_the_build_output_in_production_it_serves_its_stylesheet_and_icon()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "Kedja.slnx")))
        {
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("Hittar inte lösningens rot.");
        }

        // The web project's own output of the same configuration as the tests (bin/Debug/net10.0 or bin/Release/net10.0).
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var output = Path.Combine(root, "src", "Kedja.Web", "bin", configuration, "net10.0");
        File.Exists(Path.Combine(output, "Kedja.Web.dll")).ShouldBeTrue(output);
        Directory.Exists(Path.Combine(output, "wwwroot")).ShouldBeFalse("the build output has no wwwroot of its own: that is the case under test");

        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        var folder = Directory.CreateTempSubdirectory("kedja-build-output-");
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = folder.FullName, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(output, "Kedja.Web.dll"));
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["ConnectionStrings__Kedja"] = $"Data Source={Path.Combine(folder.FullName, "kedja.db")}";
        start.Environment["Kedja__Mail__PickupDirectory"] = Path.Combine(folder.FullName, "mail");
        using var process = Process.Start(start)!;
        var log = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            var up = false;
            for (var i = 0; i < 120 && !up && !process.HasExited; i++)
            {
                try
                {
                    up = (await http.GetAsync("/health")).IsSuccessStatusCode;
                }
                catch (HttpRequestException)
                {
                    await Task.Delay(500);
                }
            }

            up.ShouldBeTrue("Kedja did not start");
            var css = await http.GetAsync("/css/kedja.css");
            css.StatusCode.ShouldBe(HttpStatusCode.OK);
            css.Content.Headers.ContentType!.MediaType.ShouldBe("text/css");
            (await http.GetAsync("/favicon.ico")).StatusCode.ShouldBe(HttpStatusCode.OK);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            _ = await log;
            folder.Delete(recursive: true);
        }
    }
}
