using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Kedja.Web.Demo;
using Kedja.Web.Exchange;
using Kedja.Web.Templates;
using Microsoft.Extensions.DependencyInjection;

namespace Kedja.Web.Tests.Fuzz;

/// <summary>
/// Mutations of a valid exported tenant document (ADR 53), in two tiers. Every document goes through what the import
/// endpoint runs on its body – <see cref="DocumentJson.ReadAsync"/> and <see cref="TenantImporter.CheckAsync"/>, the
/// check <see cref="TenantImporter.ImportAsync"/> makes before it writes – in process, where an exception would be a
/// 500. Every document that check accepts, and every 20th it refuses, then goes the whole way over HTTP to
/// <c>/api/v1/tenants/import</c>: never a 500, the same verdict as in process, a refused document leaves every table
/// as it was, an accepted one makes one tenant whose export answers.
/// </summary>
public sealed class TenantDocumentFuzzTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Mutated_tenant_documents_never_answer_500_and_a_refused_one_writes_nothing(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var admin = await app.ClientAsync();
        var created = await admin.PostAsJsonAsync("/api/v1/tenants", new { slug = "fuzz-mall", name = "Fuzz kommun", template = ModelTemplates.Kil, firstYear = 2026 });
        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var document = JsonNode.Parse(await admin.GetStringAsync("/api/v1/tenants/fuzz-mall/export"))!;
        var json = app.Services.GetRequiredService<JsonSerializerOptionsProvider>().Options;
        var fingerprints = new Fuzzing.Fingerprints(app, DemoTenant.Slug);
        int accepted = 0, refused = 0, overHttp = 0;

        Fuzzing.ForEachSeed(Fuzzing.CasesOn(provider), async seed =>
        {
            // The same draws as before the tiers, so that a seed named in a finding still rebuilds its document.
            var r = new Random(seed);
            var slug = $"fuzz-{seed}";
            byte[] body = r.Next(20) == 0
                ? [.. Enumerable.Range(0, r.Next(0, 2000)).Select(_ => (byte)r.Next(256))]
                : Encoding.UTF8.GetBytes(Fuzzing.Mutate(document, r));

            bool acceptedInProcess;
            using (var scope = app.Services.CreateScope())
            {
                var (doc, error) = await DocumentJson.ReadAsync(new MemoryStream(body, writable: false), json, CancellationToken.None);
                acceptedInProcess = doc is not null && error is null
                    && (await scope.ServiceProvider.GetRequiredService<TenantImporter>().CheckAsync(doc, slug)).Count == 0;
            }

            if (acceptedInProcess)
            {
                accepted++;
            }
            else
            {
                // The first refusal and every 20th after it (a replayed seed's, too) go the whole way.
                if (refused++ % 20 != 0)
                {
                    return;
                }
            }

            overHttp++;
            var before = await fingerprints.BeforeAsync();
            var content = new ByteArrayContent(body);
            content.Headers.ContentType = new("application/json") { CharSet = "utf-8" };
            var answer = await admin.PostAsync($"/api/v1/tenants/import?slug={slug}", content);
            var text = await answer.Content.ReadAsStringAsync();
            ((int)answer.StatusCode).ShouldBeLessThan(500, text);
            var after = await fingerprints.AfterAsync();
            if (acceptedInProcess)
            {
                answer.StatusCode.ShouldBe(HttpStatusCode.Created, text);
                after.Tenants.ShouldBe(before.Tenants + 1);
                (await admin.GetAsync($"/api/v1/tenants/{slug}/export")).StatusCode.ShouldBe(HttpStatusCode.OK);
            }
            else
            {
                ((int)answer.StatusCode).ShouldBeInRange(400, 499, text);
                after.ShouldBe(before, text);
            }
        });

        // Mutations that prove nothing would be all refusals or all acceptances; the HTTP tier must have run.
        refused.ShouldBeGreaterThan(0);
        overHttp.ShouldBeGreaterThan(0);
    }
}
