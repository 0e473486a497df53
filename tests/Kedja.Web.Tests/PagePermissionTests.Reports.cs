using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Kedja.Domain.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Tests;

/// <summary>The report pages in the permission matrix: every member orders, a job's page is its orderer's and the administrators', freezing is the administrators'.</summary>
public partial class PagePermissionTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Every_member_orders_reports_sees_only_their_own_jobs_and_only_administrators_freeze(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true, settings: Reports.ReportJobTests.NoWorker);
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
        // Redirects are read, not followed (a followed one loses the token).
        foreach (var who in clients.Keys.ToList())
        {
            var direct = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
            direct.DefaultRequestHeaders.Authorization = clients[who].DefaultRequestHeaders.Authorization;
            clients[who] = direct;
        }

        var page = $"/k/{Slug}/rapporter";
        var jobs = new Dictionary<string, string>();
        foreach (var (who, client) in clients)
        {
            var token = who == "stranger" ? await TokenAsync(client, "/k/annan") : await TokenAsync(client, page + $"?enhet={library}&period=2026-T2");
            var posted = await client.PostAsync(page, new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = token, ["enhet"] = library.ToString(), ["period"] = "2026-T2", ["mall"] = "malkortsrapport", ["omfattning"] = "unit", ["format"] = "html",
            }));
            if (who == "stranger")
            {
                posted.StatusCode.ShouldBe(HttpStatusCode.NotFound, who);
                continue;
            }

            posted.StatusCode.ShouldBe(HttpStatusCode.Redirect, $"{who}: {await posted.Content.ReadAsStringAsync()}");
            jobs[who] = posted.Headers.Location!.ToString();
            Regex.IsMatch(jobs[who], $"^/k/{Slug}/rapporter/[0-9a-f-]{{36}}$").ShouldBeTrue(jobs[who]);
        }

        var readerJob = jobs["reader"];
        foreach (var (who, client) in clients)
        {
            var answer = await client.GetAsync(readerJob);
            answer.StatusCode.ShouldBe(who is "reader" or "admin" or "system" ? HttpStatusCode.OK : HttpStatusCode.NotFound, $"{who} {readerJob}");
            (await client.GetAsync(readerJob.Replace($"/k/{Slug}/", "/k/annan/", StringComparison.Ordinal))).StatusCode.ShouldBe(HttpStatusCode.NotFound, who);
        }

        // The reader's own job is made; then only an administrator may freeze it, after the confirm step.
        while (await ActivatorUtilitiesWorker(app).RunOnceAsync())
        {
        }

        foreach (var (who, client) in clients)
        {
            var token = await TokenAsync(who is "reader" or "admin" or "system" ? client : clients["reader"], readerJob);
            var freeze = await client.PostAsync(readerJob + "?handler=Freeze", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));
            var expected = who switch
            {
                "reader" => HttpStatusCode.Forbidden,
                "admin" => HttpStatusCode.Redirect,
                "system" => HttpStatusCode.Conflict,
                _ => HttpStatusCode.NotFound,
            };
            if (who is "editor" or "stranger")
            {
                // Their antiforgery token is the reader's: refused before the handler, or the job is not theirs.
                freeze.StatusCode.ShouldBeOneOf(HttpStatusCode.BadRequest, HttpStatusCode.NotFound);
            }
            else
            {
                freeze.StatusCode.ShouldBe(expected, who);
                if (who == "admin")
                {
                    freeze.Headers.Location!.ToString().ShouldBe(readerJob);
                }
            }
        }

        var frozenPage = await clients["reader"].GetStringAsync(page);
        frozenPage.ShouldContain("?handler=Frozen&amp;id=");
        (await clients["reader"].GetStringAsync(readerJob)).ShouldNotContain("Frys rapporten");
        (await clients["admin"].GetStringAsync(jobs["admin"])).ShouldContain("Frys rapporten");
        (await clients["admin"].GetStringAsync(jobs["admin"] + "?frys=true")).ShouldContain("Ja, frys rapporten");
    }

    private static Reports.ReportWorkerHandle ActivatorUtilitiesWorker(KedjaApp app) => new(app);
}
