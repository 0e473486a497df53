using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Kedja.Web.Demo;
using Kedja.Web.Templates;

namespace Kedja.Web.Tests.Fuzz;

/// <summary>
/// Mutations of a valid exported tenant document sent to the import over HTTP (ADR 53): never a 500; a refused
/// document leaves every table as it was; an accepted one makes a tenant whose export answers.
/// </summary>
public sealed class TenantDocumentFuzzTests
{
    [Fact]
    public async Task Mutated_tenant_documents_never_answer_500_and_a_refused_one_writes_nothing()
    {
        await using var app = await KedjaApp.StartAsync(nameof(Data.DatabaseProvider.Sqlite), seedDemo: true);
        var admin = await app.ClientAsync();
        var created = await admin.PostAsJsonAsync("/api/v1/tenants", new { slug = "fuzz-mall", name = "Fuzz kommun", template = ModelTemplates.Kil, firstYear = 2026 });
        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var document = JsonNode.Parse(await admin.GetStringAsync("/api/v1/tenants/fuzz-mall/export"))!;
        var accepted = 0;
        var refused = 0;

        Fuzzing.ForEachSeed(Fuzzing.Cases, async seed =>
        {
            var r = new Random(seed);
            var slug = $"fuzz-{seed}";
            var before = await Fuzzing.Fingerprint.OfAsync(app, DemoTenant.Slug);
            HttpContent body = r.Next(20) == 0
                ? new ByteArrayContent([.. Enumerable.Range(0, r.Next(0, 2000)).Select(_ => (byte)r.Next(256))])
                : new StringContent(Fuzzing.Mutate(document, r), Encoding.UTF8, "application/json");
            if (body is ByteArrayContent and not StringContent)
            {
                body.Headers.ContentType = new("application/json");
            }

            var answer = await admin.PostAsync($"/api/v1/tenants/import?slug={slug}", body);
            var text = await answer.Content.ReadAsStringAsync();
            ((int)answer.StatusCode).ShouldBeLessThan(500, text);
            var after = await Fuzzing.Fingerprint.OfAsync(app, DemoTenant.Slug);
            if (answer.StatusCode == HttpStatusCode.Created)
            {
                accepted++;
                after.Tenants.ShouldBe(before.Tenants + 1);
                (await admin.GetAsync($"/api/v1/tenants/{slug}/export")).StatusCode.ShouldBe(HttpStatusCode.OK);
            }
            else
            {
                refused++;
                ((int)answer.StatusCode).ShouldBeInRange(400, 499);
                after.ShouldBe(before, text);
            }
        });

        // Mutations that prove nothing would be all refusals or all acceptances.
        refused.ShouldBeGreaterThan(0);
    }
}
