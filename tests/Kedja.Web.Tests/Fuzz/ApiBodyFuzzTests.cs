using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Kedja.Web.Demo;

namespace Kedja.Web.Tests.Fuzz;

/// <summary>
/// JSON bodies for the main write endpoints (goals, indicators, outcomes, units, tenants), mutated from valid ones
/// (ADR 53): wrong types, missing fields, huge values, nested garbage, bytes that are not UTF-8. Never a 500; a refused
/// body changes nothing in the tenant; an accepted one answers what it wrote. Runs on SQLite with KEDJA_FUZZ_CASES and
/// on PostgreSQL (when set) with a tenth of them, at least 25. Every body goes over HTTP: what reads it is the
/// framework's binding in front of each endpoint's service, which no in-process call could run without copying it.
/// </summary>
public sealed class ApiBodyFuzzTests
{
    private const string Base = $"/api/v1/tenants/{DemoTenant.Slug}";

    private sealed record Target(HttpMethod Method, string Url, JsonNode Body);

    private static JsonNode WithoutServerFields(JsonNode node)
    {
        var copy = node.DeepClone().AsObject();
        copy.Remove("id");
        copy.Remove("version");
        return copy;
    }

    private static async Task<List<Target>> TargetsAsync(HttpClient admin)
    {
        var goal = JsonNode.Parse(await admin.GetStringAsync($"{Base}/goals"))!.AsArray()[0]!;
        var indicator = JsonNode.Parse(await admin.GetStringAsync($"{Base}/indicators"))!.AsArray()[0]!;
        var unit = JsonNode.Parse(await admin.GetStringAsync($"{Base}/units"))!.AsArray()[1]!;
        return
        [
            new(HttpMethod.Post, $"{Base}/goals", WithoutServerFields(goal)),
            new(HttpMethod.Put, $"{Base}/goals/{goal["id"]}", goal),
            new(HttpMethod.Post, $"{Base}/indicators", WithoutServerFields(indicator)),
            new(HttpMethod.Put, $"{Base}/indicators/{indicator["id"]}", indicator),
            new(HttpMethod.Put, $"{Base}/indicators/{indicator["id"]}/outcomes/2026-T3", new JsonObject { ["value"] = 12.5m, ["valueWomen"] = null, ["valueMen"] = null, ["comment"] = "fuzz", ["version"] = null }),
            new(HttpMethod.Post, $"{Base}/units", WithoutServerFields(unit)),
            new(HttpMethod.Put, $"{Base}/units/{unit["id"]}", unit),
            new(HttpMethod.Post, "/api/v1/tenants", new JsonObject { ["slug"] = "fuzz-ny", ["name"] = "Ny kommun", ["kommunkod"] = "1882", ["template"] = "balanserad-styrning", ["firstYear"] = 2026 }),
        ];
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Mutated_request_bodies_never_answer_500_and_a_refused_one_changes_nothing(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var admin = await app.ClientAsync();
        var targets = await TargetsAsync(admin);
        var fingerprints = new Fuzzing.Fingerprints(app, DemoTenant.Slug);
        var accepted = 0;

        Fuzzing.ForEachSeed(Fuzzing.CasesOn(provider), async seed =>
        {
            var r = new Random(seed);
            var target = targets[r.Next(targets.Count)];
            using var request = new HttpRequestMessage(target.Method, target.Url);
            var body = Fuzzing.Mutate(target.Body, r);
            request.Content = r.Next(25) switch
            {
                0 => new ByteArrayContent([0xFF, 0xFE, .. Encoding.UTF8.GetBytes(body)]),
                1 => new StringContent(body, Encoding.UTF8, "text/plain"),
                _ => new StringContent(body, Encoding.UTF8, "application/json"),
            };
            if (request.Content is ByteArrayContent and not StringContent)
            {
                request.Content.Headers.ContentType = new("application/json");
            }

            var before = await fingerprints.BeforeAsync();
            var answer = await admin.SendAsync(request);
            var text = await answer.Content.ReadAsStringAsync();
            ((int)answer.StatusCode).ShouldBeLessThan(500, $"{target.Method} {target.Url}: {text}");
            var after = await fingerprints.AfterAsync();
            if (answer.IsSuccessStatusCode)
            {
                accepted++;
                // What was written comes back as it is now stored.
                JsonNode.Parse(text).ShouldNotBeNull();
                if (target.Url.StartsWith("/api/v1/tenants/", StringComparison.Ordinal))
                {
                    after.DataVersion.ShouldBeGreaterThanOrEqualTo(before.DataVersion);
                }
                else
                {
                    // A new tenant is made whole or not at all: it answers its export.
                    var slug = JsonNode.Parse(text)!["slug"]!.GetValue<string>();
                    (await admin.GetAsync($"/api/v1/tenants/{slug}/export")).StatusCode.ShouldBe(HttpStatusCode.OK);
                }
            }
            else
            {
                ((int)answer.StatusCode).ShouldBeInRange(400, 499);
                after.ShouldBe(before, $"{target.Method} {target.Url} {(int)answer.StatusCode}: {text}");
            }
        });
    }
}
