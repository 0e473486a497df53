using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Kedja.Domain.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Tests;

/// <summary>The finance import's pages in the permission matrix (issue 16): administrators only; a stranger is not told the municipality exists.</summary>
public partial class PagePermissionTests
{
    private static readonly string[] FinanceRoutes = ["/k/{slug}/ekonomi/import", "/k/{slug}/ekonomi/import/{importId:guid}", "/k/{slug}/ekonomi/koppling"];

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Only_administrators_map_the_finance_system_and_upload_its_files(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true, settings: Imports.OutcomeImportTests.NoWorker);
        await Imports.FinanceImportTests.ForgetDemoMappingAsync(app);
        Guid library;
        var (scope, db) = app.DbFor(Slug);
        using (scope)
        {
            library = await db.Units.Where(u => u.Name == "Biblioteket").Select(u => u.Id).SingleAsync();
        }

        var admin = await app.ClientAsync();
        (await admin.PostAsJsonAsync("/api/v1/tenants", new { slug = "annan", name = "Annan kommun", template = Templates.ModelTemplates.Heby })).EnsureSuccessStatusCode();
        var clients = new Dictionary<string, HttpClient>
        {
            ["reader"] = await app.MemberClientAsync(Slug, TenantRole.Reader),
            ["editor"] = await app.MemberClientAsync(Slug, TenantRole.Editor, library),
            ["admin"] = await app.MemberClientAsync(Slug, TenantRole.Admin),
            ["system"] = admin,
            ["stranger"] = await app.MemberClientAsync("annan", TenantRole.Admin),
        };
        foreach (var who in clients.Keys.ToList())
        {
            var direct = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
            direct.DefaultRequestHeaders.Authorization = clients[who].DefaultRequestHeaders.Authorization;
            clients[who] = direct;
        }

        // The administrator saves the mapping through the form (antiforgery and all) and uploads a file.
        var mapping = $"/k/{Slug}/ekonomi/koppling";
        var adminClient = clients["admin"];
        using (var forged = new FormUrlEncodedContent(new Dictionary<string, string> { ["Dimension"] = "1" }))
        {
            (await adminClient.PostAsync(mapping, forged)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        }

        var fields = new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = await TokenAsync(adminClient, mapping), ["Dimension"] = "1", ["ResultFrom"] = "3000", ["ResultTo"] = "8999",
            ["Units[0].From"] = "100", ["Units[0].UnitId"] = library.ToString(), ["Units[1].From"] = "", ["Units[1].UnitId"] = "",
            ["Accounts[0].From"] = "3000", ["Accounts[0].To"] = "3999", ["Accounts[0].Line"] = "Intäkter",
            ["Accounts[1].From"] = "4000", ["Accounts[1].To"] = "8999", ["Accounts[1].Line"] = "Kostnader",
        };
        var bad = new Dictionary<string, string>(fields) { ["Accounts[1].From"] = "fyra" };
        var refused = await adminClient.PostAsync(mapping, new FormUrlEncodedContent(bad));
        refused.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await refused.Content.ReadAsStringAsync()).ShouldContain("Första kontot ska vara ett heltal.");
        var saved = await adminClient.PostAsync(mapping, new FormUrlEncodedContent(fields));
        saved.StatusCode.ShouldBe(HttpStatusCode.Redirect, await saved.Content.ReadAsStringAsync());
        var page = await adminClient.GetStringAsync(saved.Headers.Location!.ToString());
        page.ShouldContain("Kopplingen är sparad.");
        page.ShouldContain("value=\"Kostnader\"");

        var upload = $"/k/{Slug}/ekonomi/import";
        using var form = new MultipartFormDataContent
        {
            { new StringContent(await TokenAsync(adminClient, upload)), "__RequestVerificationToken" },
            { new ByteArrayContent(Imports.FinanceImportTests.GoodSie()), "fil", "ekonomi.se" },
        };
        var posted = await adminClient.PostAsync(upload, form);
        posted.StatusCode.ShouldBe(HttpStatusCode.Redirect, await posted.Content.ReadAsStringAsync());
        var importPage = posted.Headers.Location!.ToString();
        Regex.IsMatch(importPage, $"^/k/{Slug}/ekonomi/import/[0-9a-f-]{{36}}$").ShouldBeTrue(importPage);

        foreach (var url in new[] { upload, importPage, mapping })
        {
            foreach (var (who, client) in clients)
            {
                var answer = await client.GetAsync(url);
                answer.StatusCode.ShouldBe(who switch { "reader" or "editor" => HttpStatusCode.Forbidden, "stranger" => HttpStatusCode.NotFound, _ => HttpStatusCode.OK }, $"{who} {url}");
                if (who == "stranger")
                {
                    (await answer.Content.ReadAsStringAsync()).ShouldNotContain("Biblioteket");
                }
            }
        }

        // An editor's post is refused before the file is read, and the outcome import's page does not show a finance import.
        using var editorForm = new MultipartFormDataContent { { new ByteArrayContent([35]), "fil", "x.se" } };
        (await clients["editor"].PostAsync(upload, editorForm)).StatusCode.ShouldBeOneOf(HttpStatusCode.Forbidden, HttpStatusCode.BadRequest);
        (await adminClient.GetAsync(importPage.Replace("/ekonomi/import/", "/import/", StringComparison.Ordinal))).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }
}
