using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Kedja.Domain.Indicators;
using Kedja.Domain.Organisation;
using Kedja.Domain.Periods;

namespace Kedja.Load;

public sealed record UnitItem(Guid Id, Guid? ParentId, string Name, UnitKind Kind, bool IsActive);

public sealed record ParentLink(Guid GoalId);

public sealed record GoalItem(Guid Id, Guid OwnerUnitId, string Title, int SortOrder, int? ValidFromYear, int? ValidToYear, List<ParentLink> Contributes);

public sealed record IndicatorItem(Guid Id, string Name, Direction Direction, PeriodKind Periodicity, Guid OwnerUnitId, Guid? GoalId, Guid? ProgramId);

public sealed record OutcomeItem(decimal? Value, decimal? ValueWomen, decimal? ValueMen, string? Comment, int? Version);

public sealed record PeriodItem(string Key, string Name, DateOnly StartDate, DateOnly EndDate);

/// <summary>One request as the client saw it: status, time until the whole body was read, and the server's own time.</summary>
/// <param name="ServerMs">From the response's <c>Server-Timing: app;dur=</c>; null when the header is missing.</param>
/// <param name="DatabaseMs">From <c>db;dur=</c>: the part of the server's time spent in database commands.</param>
public sealed record Timed(int Status, double ClientMs, double? ServerMs, long Bytes, byte[] Body, double? DatabaseMs = null)
{
    public bool Ok => Status is >= 200 and < 300;
}

/// <summary>A request that a run cannot do without failed; the message says which and what the server answered.</summary>
public sealed class LoadException(string message) : Exception(message);

/// <summary>The few API calls the load script makes, each timed. Redirects and proxies are off, so every request goes to the checked address.</summary>
public sealed class KedjaApi : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    private readonly HttpClient http;
    private readonly string tenantPath;
    private Guid? tokenId;

    public KedjaApi(Uri baseUri, string slug, int connections)
    {
        var handler = new SocketsHttpHandler
        {
            UseProxy = false, AllowAutoRedirect = false, UseCookies = false, MaxConnectionsPerServer = connections,
            PooledConnectionLifetime = TimeSpan.FromMinutes(30),
        };
        http = new HttpClient(handler) { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(120) };
        Slug = slug;
        tenantPath = $"/api/v1/tenants/{Uri.EscapeDataString(slug)}";
    }

    public string Slug { get; }

    public Uri BaseAddress => http.BaseAddress!;

    /// <summary>Gets a personal access token for this run (one day, revoked by <see cref="SignOutAsync"/>).</summary>
    public async Task SignInAsync(string email, string password, CancellationToken ct)
    {
        var answer = await SendAsync(HttpMethod.Post, "/api/v1/auth/tokens", new { email, password, name = "kedja-load", expiresInDays = 1 }, ct);
        var token = Read<TokenAnswer>(answer, "sign in (POST /api/v1/auth/tokens)");
        tokenId = token.Id;
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token.Token);
    }

    public async Task SignOutAsync()
    {
        if (tokenId is { } id)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await SendAsync(HttpMethod.Delete, $"/api/v1/auth/tokens/{id}", null, timeout.Token);
            }
            catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
            {
                await Console.Error.WriteLineAsync($"Could not revoke the run's token {id}: {ex.Message}");
            }

            tokenId = null;
        }
    }

    public async Task<List<UnitItem>> UnitsAsync(CancellationToken ct) =>
        Read<List<UnitItem>>(await SendAsync(HttpMethod.Get, $"{tenantPath}/units", null, ct), "the units");

    public async Task<List<GoalItem>> GoalsAsync(CancellationToken ct) =>
        Read<List<GoalItem>>(await SendAsync(HttpMethod.Get, $"{tenantPath}/goals", null, ct), "the goals");

    public async Task<List<IndicatorItem>> IndicatorsOfUnitAsync(Guid unitId, CancellationToken ct) =>
        Read<List<IndicatorItem>>(await SendAsync(HttpMethod.Get, $"{tenantPath}/indicators?unitId={unitId}", null, ct), "the indicators of a unit");

    /// <summary>Adds an indicator; the answer says whether it was taken (the caller reads <see cref="Describe"/> when not).</summary>
    public Task<Timed> CreateIndicatorAsync(object indicator, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, $"{tenantPath}/indicators", indicator, ct);

    public async Task<List<IndicatorItem>> IndicatorsOfGoalAsync(Guid goalId, CancellationToken ct) =>
        Read<List<IndicatorItem>>(await SendAsync(HttpMethod.Get, $"{tenantPath}/indicators?goalId={goalId}", null, ct), "the indicators of a goal");

    public async Task<List<PeriodItem>> PeriodsAsync(CancellationToken ct) =>
        Read<List<PeriodItem>>(await SendAsync(HttpMethod.Get, $"{tenantPath}/periods", null, ct), "the periods");

    /// <summary>The outcome of a period, or null when the indicator has none for it yet.</summary>
    public async Task<OutcomeItem?> OutcomeAsync(Guid indicatorId, string periodKey, CancellationToken ct)
    {
        var answer = await SendAsync(HttpMethod.Get, $"{tenantPath}/indicators/{indicatorId}/outcomes/{periodKey}", null, ct);
        return answer.Status == (int)HttpStatusCode.NotFound ? null : Read<OutcomeItem>(answer, "an outcome");
    }

    public Task<Timed> PutOutcomeAsync(Guid indicatorId, string periodKey, OutcomeItem outcome, CancellationToken ct) =>
        SendAsync(HttpMethod.Put, $"{tenantPath}/indicators/{indicatorId}/outcomes/{periodKey}", outcome, ct);

    /// <summary>A scorecard read; its body is counted, not kept (a nämnd's card on L is 750 KB, read 150 times a second).</summary>
    public Task<Timed> ScorecardAsync(Guid unitId, string periodKey, CancellationToken ct) =>
        SendAsync(HttpMethod.Get, $"{tenantPath}/units/{unitId}/scorecard?periodKey={Uri.EscapeDataString(periodKey)}", null, ct, keepBody: false);

    /// <param name="keepBody">
    /// False to read a successful answer through a reused buffer and keep only its length: the load script shares the
    /// machine's two cores with the server it measures, and copying every card into a new array cost it a third of one.
    /// </param>
    public async Task<Timed> SendAsync(HttpMethod method, string path, object? body, CancellationToken ct, bool keepBody = true)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, options: Json);
        }

        var started = Stopwatch.GetTimestamp();
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        if (!keepBody && response.IsSuccessStatusCode)
        {
            var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(64 * 1024);
            try
            {
                await using var stream = await response.Content.ReadAsStreamAsync(ct);
                long length = 0;
                for (int read; (read = await stream.ReadAsync(buffer, ct)) > 0;)
                {
                    length += read;
                }

                return new Timed((int)response.StatusCode, Stopwatch.GetElapsedTime(started).TotalMilliseconds, ServerTiming(response), length, [], ServerTiming(response, "db"));
            }
            finally
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        var bytes = await response.Content.ReadAsByteArrayAsync(ct);
        var clientMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        return new Timed((int)response.StatusCode, clientMs, ServerTiming(response), bytes.Length, bytes, ServerTiming(response, "db"));
    }

    public void Dispose() => http.Dispose();

    /// <summary>The <c>dur</c> of a metric (by default <c>app</c>) in <c>Server-Timing: app;dur=12.3, db;dur=4.5</c>.</summary>
    public static double? ServerTiming(HttpResponseMessage response, string name = "app")
    {
        if (!response.Headers.TryGetValues("Server-Timing", out var values))
        {
            return null;
        }

        foreach (var metric in values.SelectMany(v => v.Split(',')))
        {
            var parts = metric.Split(';', StringSplitOptions.TrimEntries);
            if (parts[0] != name)
            {
                continue;
            }

            foreach (var p in parts.Skip(1))
            {
                if (p.StartsWith("dur=", StringComparison.Ordinal) && double.TryParse(p[4..], NumberStyles.Float, CultureInfo.InvariantCulture, out var ms))
                {
                    return ms;
                }
            }
        }

        return null;
    }

    public static string Describe(Timed answer)
    {
        var title = "";
        try
        {
            using var doc = JsonDocument.Parse(answer.Body);
            if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("title", out var t))
            {
                title = $": {t.GetString()}";
                if (doc.RootElement.TryGetProperty("errors", out var errors))
                {
                    title += " " + errors.GetRawText();
                }
            }
        }
        catch (JsonException)
        {
        }

        return $"HTTP {answer.Status}{title}";
    }

    private static T Read<T>(Timed answer, string what)
    {
        if (!answer.Ok)
        {
            throw new LoadException($"Could not read {what}: {Describe(answer)}.");
        }

        return JsonSerializer.Deserialize<T>(answer.Body, Json) ?? throw new LoadException($"Could not read {what}: empty answer.");
    }

    private sealed record TokenAnswer(string Token, Guid Id);
}
