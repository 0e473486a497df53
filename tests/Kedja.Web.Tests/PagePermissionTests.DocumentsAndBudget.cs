using System.Net;
using System.Net.Http.Json;
using Kedja.Domain.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Tests;

/// <summary>The governing-document and budget pages in the permission matrix: every role, a stranger, and posts with a valid antiforgery token.</summary>
public partial class PagePermissionTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Documents_and_budget_are_read_by_members_changed_only_by_whom_the_API_allows_and_hidden_from_strangers(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        Guid kfn, library, document;
        var (scope, db) = app.DbFor(Slug);
        using (scope)
        {
            kfn = await db.Units.Where(u => u.Name == "Kultur- och fritidsnämnden").Select(u => u.Id).SingleAsync();
            library = await db.Units.Where(u => u.Name == "Biblioteket").Select(u => u.Id).SingleAsync();
            document = await db.Documents.OrderBy(d => d.Title).Select(d => d.Id).FirstAsync();
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

        string Url(string route) => route.Replace("{slug}", Slug).Replace("{documentId:guid}", document.ToString()).Replace("{unitId:guid}", kfn.ToString())
            + (route.Contains("/budget/", StringComparison.Ordinal) ? "?ar=2026" : "");
        foreach (var route in DocumentAndBudgetRoutes)
        {
            var url = Url(route);
            foreach (var (who, client) in clients)
            {
                var answer = await client.GetAsync(url);
                var body = await answer.Content.ReadAsStringAsync();
                var expected = who == "stranger" ? HttpStatusCode.NotFound
                    : route.Contains("/styrdokument/", StringComparison.Ordinal) && who is "reader" or "editor" ? HttpStatusCode.Forbidden
                    : HttpStatusCode.OK;
                answer.StatusCode.ShouldBe(expected, $"{who} {url}");
                if (who == "stranger")
                {
                    body.ShouldContain(Infrastructure.TenantAccess.NotFoundMessage);
                    body.ShouldNotContain("Kultur- och fritidsnämnden");
                }
            }

            var refused = await app.CreateClient(new() { AllowAutoRedirect = false }).GetAsync(url);
            refused.StatusCode.ShouldBe(HttpStatusCode.Redirect, url);
            refused.Headers.Location!.ToString().ShouldContain("/logga-in?tillbaka=");
        }

        // Readers see no editing; editors see the budget form only for their own units.
        var readerBudget = await clients["reader"].GetStringAsync(Url("/k/{slug}/budget/{unitId:guid}"));
        readerBudget.ShouldNotContain("Posted.Actual");
        readerBudget.ShouldNotContain("name=\"Amount\"");
        (await clients["reader"].GetStringAsync(Url("/k/{slug}/styrdokument"))).ShouldNotContain("/andra");
        (await clients["editor"].GetStringAsync(Url("/k/{slug}/budget/{unitId:guid}"))).ShouldNotContain("Posted.Actual");
        (await clients["admin"].GetStringAsync(Url("/k/{slug}/budget/{unitId:guid}"))).ShouldContain("Posted.Actual");

        // Posts with a valid antiforgery token (from a page each may read) are refused on the server; nothing changes.
        async Task<HttpStatusCode> PostAsync(string who, string url, Dictionary<string, string> form)
        {
            var client = clients[who];
            form["__RequestVerificationToken"] = await TokenAsync(client, Url("/k/{slug}/styrdokument"));
            return (await client.PostAsync(url, new FormUrlEncodedContent(form))).StatusCode;
        }

        var before = await BudgetAndDocumentsAsync(app, kfn);
        var documentForm = new Dictionary<string, string> { ["Kind"] = "Policy", ["Title"] = "Smygpolicy", ["Version"] = "0" };
        (await PostAsync("reader", Url("/k/{slug}/styrdokument/ny"), new(documentForm))).ShouldBe(HttpStatusCode.Forbidden);
        (await PostAsync("editor", Url("/k/{slug}/styrdokument/ny"), new(documentForm))).ShouldBe(HttpStatusCode.Forbidden);
        (await PostAsync("editor", Url("/k/{slug}/styrdokument/{documentId:guid}/andra"), new(documentForm))).ShouldBe(HttpStatusCode.Forbidden);
        (await PostAsync("editor", Url("/k/{slug}/styrdokument/{documentId:guid}/andra") + "?handler=Delete", new() { ["Version"] = "0" })).ShouldBe(HttpStatusCode.Forbidden);
        var budget = Url("/k/{slug}/budget/{unitId:guid}");
        var report = new Dictionary<string, string> { ["Posted.PeriodKey"] = "2026-T3", ["Posted.Actual"] = "5", ["Posted.Forecast"] = "6" };
        (await PostAsync("reader", budget + "&handler=Report", new(report))).ShouldBe(HttpStatusCode.Forbidden);
        (await PostAsync("editor", budget + "&handler=Report", new(report))).ShouldBe(HttpStatusCode.Forbidden);
        (await PostAsync("reader", budget + "&handler=Frame", new() { ["Amount"] = "1" })).ShouldBe(HttpStatusCode.Forbidden);
        // A deviation's explanation (issue 16) as the outcome: not by a reader, not by another unit's editor.
        var explanation = new Dictionary<string, string> { ["Explained.PeriodKey"] = "2026-T2", ["Explained.Text"] = "Smygförklaring", ["Explained.Version"] = "1" };
        (await PostAsync("reader", budget + "&handler=Explain", new(explanation))).ShouldBe(HttpStatusCode.Forbidden);
        (await PostAsync("editor", budget + "&handler=Explain", new(explanation))).ShouldBe(HttpStatusCode.Forbidden);
        var (explained, explainedDb) = app.DbFor(Slug);
        using (explained)
        {
            (await explainedDb.BudgetOutcomes.AnyAsync(o => o.DeviationExplanation == "Smygförklaring")).ShouldBeFalse();
        }
        var kfnEditor = await app.MemberClientAsync(Slug, TenantRole.Editor, kfn);
        clients["own"] = kfnEditor;
        (await PostAsync("own", budget + "&handler=Frame", new() { ["Amount"] = "1", ["FrameVersion"] = "0" })).ShouldBe(HttpStatusCode.Forbidden);
        (await BudgetAndDocumentsAsync(app, kfn)).ShouldBe(before);

        // The unit's own editor may report, as the API lets them.
        (await PostAsync("own", budget + "&handler=Report", new(report))).ShouldBe(HttpStatusCode.OK);
        (await BudgetAndDocumentsAsync(app, kfn)).Outcomes.ShouldBe(before.Outcomes + 1);
    }

    private static async Task<(int Documents, int Outcomes, decimal Frame, string Titles)> BudgetAndDocumentsAsync(KedjaApp app, Guid unit)
    {
        var (scope, db) = app.DbFor(Slug);
        using (scope)
        {
            var frame = await db.BudgetFrames.Include(f => f.Outcomes).SingleAsync(f => f.UnitId == unit && f.Year == 2026);
            return (await db.Documents.CountAsync(), frame.Outcomes.Count, frame.Amount, string.Join("|", await db.Documents.OrderBy(d => d.Id).Select(d => d.Title).ToListAsync()));
        }
    }
}
