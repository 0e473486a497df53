using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Kedja.Domain.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Tests;

/// <summary>The import pages in the permission matrix: editors and administrators import, an import's page is its uploader's and the administrators', only the uploader imports.</summary>
public partial class PagePermissionTests
{
    private static readonly string[] ImportRoutes = ["/k/{slug}/import", "/k/{slug}/import/{importId:guid}"];

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Editors_upload_files_see_only_their_own_imports_and_only_the_uploader_imports(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true, settings: Imports.OutcomeImportTests.NoWorker);
        Guid committee;
        var (scope, db) = app.DbFor(Slug);
        using (scope)
        {
            committee = await db.Units.Where(u => u.Name == "Kultur- och fritidsnämnden").Select(u => u.Id).SingleAsync();
        }

        var admin = await app.ClientAsync();
        (await admin.PostAsJsonAsync("/api/v1/tenants", new { slug = "annan", name = "Annan kommun", template = Templates.ModelTemplates.Heby })).EnsureSuccessStatusCode();
        var clients = new Dictionary<string, HttpClient>
        {
            ["reader"] = await app.MemberClientAsync(Slug, TenantRole.Reader),
            ["editor"] = await app.MemberClientAsync(Slug, TenantRole.Editor, committee),
            ["otherEditor"] = await app.MemberClientAsync(Slug, TenantRole.Editor, committee),
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

        var page = $"/k/{Slug}/import";
        var imports = new Dictionary<string, string>();
        foreach (var (who, client) in clients)
        {
            var answer = await client.GetAsync(page);
            answer.StatusCode.ShouldBe(who switch { "reader" => HttpStatusCode.Forbidden, "stranger" => HttpStatusCode.NotFound, _ => HttpStatusCode.OK }, who);
            if (who is "reader" or "stranger")
            {
                continue;
            }

            using var form = new MultipartFormDataContent
            {
                { new StringContent(await TokenAsync(client, page)), "__RequestVerificationToken" },
                { new ByteArrayContent("Indikator;Period;Utfall\r\nBesök på biblioteket per invånare;2026-T3;1,4\r\n"u8.ToArray()), "fil", "bibliotek.csv" },
            };
            var posted = await client.PostAsync(page, form);
            posted.StatusCode.ShouldBe(HttpStatusCode.Redirect, $"{who}: {await posted.Content.ReadAsStringAsync()}");
            imports[who] = posted.Headers.Location!.ToString();
            Regex.IsMatch(imports[who], $"^/k/{Slug}/import/[0-9a-f-]{{36}}$").ShouldBeTrue(imports[who]);
        }

        // Without the token the upload is refused.
        using (var forged = new MultipartFormDataContent { { new ByteArrayContent([1]), "fil", "x.csv" } })
        {
            (await clients["editor"].PostAsync(page, forged)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        }

        while (await Imports.OutcomeImportTests.Worker(app).RunOnceAsync())
        {
        }

        var editorImport = imports["editor"];
        foreach (var (who, client) in clients)
        {
            var answer = await client.GetAsync(editorImport);
            answer.StatusCode.ShouldBe(who switch
            {
                "editor" or "admin" or "system" => HttpStatusCode.OK,
                "reader" => HttpStatusCode.Forbidden,
                _ => HttpStatusCode.NotFound,
            }, who);
        }

        // Only the uploader imports: an administrator who may read the import is told so, and nothing is written.
        var adminToken = await TokenAsync(clients["admin"], editorImport);
        var refused = await clients["admin"].PostAsync(editorImport, new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = adminToken }));
        refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await refused.Content.ReadAsStringAsync()).ShouldContain("Bara den som laddade upp filen kan importera den.");

        var token = await TokenAsync(clients["editor"], editorImport);
        var imported = await clients["editor"].PostAsync(editorImport, new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));
        imported.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await Imports.OutcomeImportTests.Worker(app).RunOnceAsync()).ShouldBeTrue();
        (await clients["editor"].GetStringAsync(editorImport)).ShouldContain("Importen är klar. Rader med nya värden: 1. Rader med ändrade värden: 0.");
    }
}
