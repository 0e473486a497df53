using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Kedja.Operations.Tests;

/// <summary>One request of a bounded load: when (ms since start), what, how it ended, and the body when it failed.</summary>
public sealed record Answer(double SentAt, double DoneAt, bool Write, HttpStatusCode? Status, Guid? Id, string? Body, string? RetryAfter);

/// <summary>
/// A municipality made through the API (a template, no demo: seconds) on a running app, and a bounded load of goal writes
/// and reads on it: each worker one request at a time.
/// </summary>
public sealed class Workload(int port, string token)
{
    public const string Slug = "drift";

    public Guid Level { get; private set; }
    public Guid Unit { get; private set; }
    public ConcurrentBag<Answer> Answers { get; } = [];
    public Stopwatch Clock { get; } = new();

    /// <summary>A client with the admin's token; set-up calls wait longer than the load's (a busy machine makes a tenant slowly).</summary>
    public HttpClient Client(int timeoutSeconds = 30)
    {
        var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(timeoutSeconds) };
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        return client;
    }

    public static async Task<string> TokenAsync(int port)
    {
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(180) };
        var answer = await client.PostAsJsonAsync("/api/v1/auth/tokens", new { email = Kedja.AdminEmail, password = Kedja.AdminPassword, name = "drift" });
        answer.EnsureSuccessStatusCode();
        return (await answer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }

    public async Task CreateTenantAsync()
    {
        using var admin = Client(300);
        var created = await admin.PostAsJsonAsync("/api/v1/tenants", new { slug = Slug, name = "Driftens kommun", template = "inriktningar-effektmal" });
        created.IsSuccessStatusCode.ShouldBeTrue(await created.Content.ReadAsStringAsync());
        var model = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/tenants/{Slug}/model");
        Level = model[0].GetProperty("levels").EnumerateArray().Single(l => l.GetProperty("depth").GetInt32() == 0).GetProperty("id").GetGuid();
        var units = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/tenants/{Slug}/units");
        Unit = units.EnumerateArray().First(u => u.GetProperty("kind").ToString() is "0" or "Council" or "council").GetProperty("id").GetGuid();
    }

    public async Task<(HttpResponseMessage Response, Guid? Id)> CreateGoalAsync(HttpClient client, string title, CancellationToken cancellationToken = default)
    {
        var response = await client.PostAsJsonAsync($"/api/v1/tenants/{Slug}/goals",
            new { levelId = Level, ownerUnitId = Unit, title, validFromYear = DateTime.UtcNow.Year - 1, validToYear = DateTime.UtcNow.Year + 2, sortOrder = 0 }, cancellationToken);
        return response.StatusCode == HttpStatusCode.Created
            ? (response, (await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("id").GetGuid())
            : (response, null);
    }

    /// <summary>Writes (a new goal) and reads (the goal list) by a few workers until stopped or the limit.</summary>
    public async Task RunAsync(int workers, Func<bool> stop, TimeSpan limit)
    {
        Clock.Start();
        using var cancel = new CancellationTokenSource(limit);
        await Task.WhenAll(Enumerable.Range(0, workers).Select(w => Task.Run(async () =>
        {
            using var client = Client();
            var n = 0;
            while (!cancel.IsCancellationRequested && !stop())
            {
                var write = n % 2 == 0;
                var sent = Clock.Elapsed.TotalMilliseconds;
                try
                {
                    HttpResponseMessage response;
                    Guid? id = null;
                    if (write)
                    {
                        (response, id) = await CreateGoalAsync(client, $"last-{w}-{n}", cancel.Token);
                    }
                    else
                    {
                        response = await client.GetAsync($"/api/v1/tenants/{Slug}/goals", cancel.Token);
                    }

                    using (response)
                    {
                        var ok = (int)response.StatusCode is >= 200 and < 300;
                        Answers.Add(new Answer(sent, Clock.Elapsed.TotalMilliseconds, write, response.StatusCode, id,
                            ok ? null : await response.Content.ReadAsStringAsync(CancellationToken.None), response.Headers.RetryAfter?.ToString()));
                    }
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    if (cancel.IsCancellationRequested)
                    {
                        return;
                    }

                    Answers.Add(new Answer(sent, Clock.Elapsed.TotalMilliseconds, write, null, null, e.Message, null));
                }

                n++;
                await Task.Delay(20, CancellationToken.None);
            }
        })));
    }

    public string Summary() =>
        $"{Answers.Count} requests ({Answers.Count(a => a.Write)} writes): " +
        string.Join(", ", Answers.GroupBy(a => a.Status is { } s ? ((int)s).ToString() : "no answer").OrderBy(g => g.Key).Select(g => $"{g.Key} ×{g.Count()}"));
}
