using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Kedja.Kolada.Tests;

/// <summary>
/// A local stand-in for the Kolada API on 127.0.0.1, serving what a test puts in it in Kolada's wire format:
/// <c>/v3/...</c> answers <c>{"values":[...],"next_url":...}</c> (left out on the last page), <c>/v2/...</c> answers
/// <c>{"count":..,"values":[...],"next_page":..,"previous_page":..}</c> with v2's field names. Every object carries a
/// field Kolada does not document, so clients must tolerate unknown fields. Paging with <c>page</c>/<c>per_page</c>,
/// <c>from_date</c> by each value's change date, at most 25 ids per path segment (more answers 400, as a too long URL
/// does at Kolada). Tests can script the next answers for a path (429 with Retry-After, 500, a slow answer, a raw
/// body) and read every request made. Self-contained so that other test projects can link this one file.
/// </summary>
public sealed class FakeKolada : IAsyncDisposable
{
    public const int MaxIdsPerSegment = 25;
    public const int MaxPerPage = 5000;

    private readonly WebApplication app;
    private readonly object gate = new();
    private readonly Dictionary<string, FakeKpi> kpis = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Title, string Type)> municipalities = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Title, string[] Members)> groups = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Title, string Municipality)> ous = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Kpi, string Entity, int Year, string Gender), FakeValue> values = [];
    private readonly List<ScriptedAnswer> scripts = [];
    private readonly ConcurrentQueue<string> requests = new();

    private FakeKolada(WebApplication app) => this.app = app;

    /// <summary>http://127.0.0.1:{port}, without a version.</summary>
    public string Root { get; private set; } = "";

    /// <summary>The v3 API root, for <c>KoladaOptions.BaseUrl</c>.</summary>
    public string BaseUrl => Root + "/v3";

    /// <summary>The v2 API root: the same data in the older response shape.</summary>
    public string BaseUrlV2 => Root + "/v2";

    /// <summary>The change date given to values set without one; <c>from_date</c> filters on it.</summary>
    public DateOnly Today { get; set; } = DateOnly.FromDateTime(DateTime.UtcNow);

    /// <summary>Send each data object's period as a string ("2020") rather than a number.</summary>
    public bool PeriodsAsStrings { get; set; }

    /// <summary>Path and query of every request received, in order, scripted ones included.</summary>
    public IReadOnlyList<string> Requests => [.. requests];

    public static async Task<FakeKolada> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        // Nothing from the test host's environment or appsettings (Kestrel endpoints, URLs) may reach this server.
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var fake = new FakeKolada(app);
        app.Run(fake.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        fake.Root = address.Replace("[::1]", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/');
        return fake;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    public void AddKpi(FakeKpi kpi)
    {
        lock (gate)
        {
            kpis[kpi.Id] = kpi;
        }
    }

    /// <summary>The KPI and all its values disappear, as Kolada removes KPIs without notice.</summary>
    public void RemoveKpi(string id)
    {
        lock (gate)
        {
            kpis.Remove(id);
            foreach (var key in values.Keys.Where(k => k.Kpi == id).ToList())
            {
                values.Remove(key);
            }
        }
    }

    public void AddMunicipality(string id, string title, string type = "K")
    {
        lock (gate)
        {
            municipalities[id] = (title, type);
        }
    }

    public void AddGroup(string id, string title, params string[] memberIds)
    {
        lock (gate)
        {
            groups[id] = (title, memberIds);
        }
    }

    public void AddOu(string id, string municipalityId, string title)
    {
        lock (gate)
        {
            ous[id] = (title, municipalityId);
        }
    }

    /// <summary>Sets (or revises) a municipality's or group's value; <paramref name="changed"/> defaults to <see cref="Today"/>.</summary>
    public void SetValue(string kpi, string municipality, int year, decimal? value, string gender = "T",
        DateOnly? changed = null, int count = 1, string status = "") =>
        Set(kpi, municipality, year, value, gender, changed, count, status, isOu: false);

    /// <summary>Sets (or revises) an organisational unit's value.</summary>
    public void SetOuValue(string kpi, string ou, int year, decimal? value, string gender = "T",
        DateOnly? changed = null, int count = 1, string status = "") =>
        Set(kpi, ou, year, value, gender, changed, count, status, isOu: true);

    public void RemoveValue(string kpi, string entity, int year, string gender = "T")
    {
        lock (gate)
        {
            values.Remove((kpi, entity, year, gender));
        }
    }

    /// <summary>The next requests whose path contains <paramref name="pathContains"/> get these answers, one each, in order.</summary>
    public void Script(string pathContains, params FakeResponse[] responses)
    {
        lock (gate)
        {
            scripts.AddRange(responses.Select(r => new ScriptedAnswer(pathContains, r, Forever: false)));
        }
    }

    /// <summary>Every request whose path contains <paramref name="pathContains"/> gets this answer until <see cref="ClearScripts"/>.</summary>
    public void ScriptAlways(string pathContains, FakeResponse response)
    {
        lock (gate)
        {
            scripts.Add(new ScriptedAnswer(pathContains, response, Forever: true));
        }
    }

    public void ClearScripts()
    {
        lock (gate)
        {
            scripts.Clear();
        }
    }

    public void ClearRequests() => requests.Clear();

    private void Set(string kpi, string entity, int year, decimal? value, string gender, DateOnly? changed, int count, string status, bool isOu)
    {
        lock (gate)
        {
            values[(kpi, entity, year, gender)] = new FakeValue(value, count, status, changed ?? Today, isOu);
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var path = request.Path.Value ?? "";
        requests.Enqueue(path + request.QueryString.Value);
        var scripted = NextScript(path);
        if (scripted is not null)
        {
            if (scripted.Delay > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(scripted.Delay, context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
            if (scripted.Status != 0)
            {
                context.Response.StatusCode = scripted.Status;
                if (scripted.RetryAfter is not null)
                {
                    context.Response.Headers.RetryAfter = scripted.RetryAfter;
                }
                if (scripted.Body is not null)
                {
                    context.Response.ContentType = "application/json; charset=utf-8";
                    await context.Response.WriteAsync(scripted.Body, context.RequestAborted);
                }
                return;
            }
        }
        var (status, body) = Answer(path, request.Query);
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        if (scripted?.StallMidBody is { } stall && stall > TimeSpan.Zero)
        {
            try
            {
                await context.Response.WriteAsync(body[..(body.Length / 2)], context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
                await Task.Delay(stall, context.RequestAborted);
                await context.Response.WriteAsync(body[(body.Length / 2)..], context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
            }
            return;
        }
        await context.Response.WriteAsync(body, context.RequestAborted);
    }

    private FakeResponse? NextScript(string path)
    {
        lock (gate)
        {
            var index = scripts.FindIndex(s => path.Contains(s.PathContains, StringComparison.Ordinal));
            if (index < 0)
            {
                return null;
            }
            var script = scripts[index];
            if (!script.Forever)
            {
                scripts.RemoveAt(index);
            }
            return script.Response;
        }
    }

    private (int Status, string Body) Answer(string path, IQueryCollection query)
    {
        var segments = path.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length < 2 || segments[0] is not ("v2" or "v3"))
        {
            return Error(404, "Not found");
        }
        var v2 = segments[0] == "v2";
        List<Dictionary<string, object?>> items;
        lock (gate)
        {
            var rest = segments[1..];
            var ids = rest.Length > 1 ? rest[1].Split(',', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToHashSet() : null;
            if (ids is not null && ids.Count > MaxIdsPerSegment)
            {
                return Error(400, "Too many ids");
            }
            string? title = query["title"];
            switch (rest[0])
            {
                case "kpi" when rest.Length <= 2:
                    items = kpis.Values
                        .Where(k => ids is null || ids.Contains(k.Id))
                        .Where(k => title is null || k.Title.Contains(title, StringComparison.OrdinalIgnoreCase))
                        .OrderBy(k => k.Id, StringComparer.Ordinal)
                        .Select(k => KpiObject(k, v2))
                        .ToList();
                    break;
                case "municipality" when rest.Length <= 2:
                    items = municipalities
                        .Where(m => ids is null || ids.Contains(m.Key))
                        .Where(m => title is null || m.Value.Title.Contains(title, StringComparison.OrdinalIgnoreCase))
                        .OrderBy(m => m.Key, StringComparer.Ordinal)
                        .Select(m => Unknown(new() { ["id"] = m.Key, ["title"] = m.Value.Title, ["type"] = m.Value.Type }))
                        .ToList();
                    break;
                case "municipality_groups" when rest.Length <= 2:
                    items = groups
                        .Where(g => ids is null || ids.Contains(g.Key))
                        .OrderBy(g => g.Key, StringComparer.Ordinal)
                        .Select(g => GroupObject(g.Key, g.Value.Title, g.Value.Members, v2))
                        .ToList();
                    break;
                case "ou" when rest.Length <= 2:
                    string? municipality = query["municipality"];
                    items = ous
                        .Where(o => ids is null || ids.Contains(o.Key))
                        .Where(o => municipality is null || municipality.Split(',').Contains(o.Value.Municipality))
                        .OrderBy(o => o.Key, StringComparer.Ordinal)
                        .Select(o => Unknown(new() { ["id"] = o.Key, ["municipality"] = o.Value.Municipality, ["title"] = o.Value.Title }))
                        .ToList();
                    break;
                case "data" or "oudata":
                    var data = DataObjects(rest, query, ou: rest[0] == "oudata");
                    if (data is null)
                    {
                        return Error(400, "Bad parameters");
                    }
                    items = data;
                    break;
                default:
                    return Error(404, "Not found");
            }
        }
        return Page(path, query, items, v2);
    }

    private List<Dictionary<string, object?>>? DataObjects(string[] rest, IQueryCollection query, bool ou)
    {
        var entityName = ou ? "ou" : "municipality";
        var filters = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        for (var i = 1; i + 1 < rest.Length; i += 2)
        {
            if (rest[i] != "kpi" && rest[i] != "year" && rest[i] != entityName)
            {
                return null;
            }
            var list = rest[i + 1].Split(',', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToHashSet();
            if (list.Count is 0 or > MaxIdsPerSegment)
            {
                return null;
            }
            filters[rest[i]] = list;
        }
        if (rest.Length % 2 == 0 || filters.Count < 2)
        {
            return null;
        }
        DateOnly? from = null;
        if (query["from_date"] is { Count: > 0 } fromText)
        {
            if (!DateOnly.TryParseExact(fromText.ToString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
            {
                return null;
            }
            from = parsed;
        }
        bool Match(string name, string value) => !filters.TryGetValue(name, out var set) || set.Contains(value);
        return values
            .Where(v => v.Value.IsOu == ou
                        && Match("kpi", v.Key.Kpi)
                        && Match(entityName, v.Key.Entity)
                        && Match("year", v.Key.Year.ToString(CultureInfo.InvariantCulture))
                        && (from is null || v.Value.Changed >= from))
            .GroupBy(v => (v.Key.Kpi, v.Key.Entity, v.Key.Year))
            .OrderBy(g => g.Key.Kpi, StringComparer.Ordinal).ThenBy(g => g.Key.Entity, StringComparer.Ordinal).ThenBy(g => g.Key.Year)
            .Select(g => Unknown(new()
            {
                ["kpi"] = g.Key.Kpi,
                [entityName] = g.Key.Entity,
                ["period"] = PeriodsAsStrings ? g.Key.Year.ToString(CultureInfo.InvariantCulture) : g.Key.Year,
                ["values"] = g.OrderBy(v => v.Key.Gender, StringComparer.Ordinal)
                    .Select(v => Unknown(new()
                    {
                        ["count"] = v.Value.Count,
                        ["gender"] = v.Key.Gender,
                        ["status"] = v.Value.Status,
                        ["value"] = v.Value.Value,
                        ["isdeleted"] = false,
                    }))
                    .ToList(),
            }))
            .ToList();
    }

    private static Dictionary<string, object?> KpiObject(FakeKpi k, bool v2)
    {
        var o = new Dictionary<string, object?>
        {
            ["id"] = k.Id,
            ["title"] = k.Title,
            ["description"] = k.Description,
            ["is_divided_by_gender"] = v2 ? (k.IsDividedByGender ? 1 : 0) : k.IsDividedByGender,
            ["municipality_type"] = k.MunicipalityType,
            [v2 ? "auspices" : "auspice"] = k.Auspice,
            ["operating_area"] = k.OperatingArea,
            ["perspective"] = k.Perspective,
            ["prel_publication_date"] = null,
            ["publication_date"] = k.PublicationDate,
            ["publ_period"] = k.PublPeriod,
            ["has_ou_data"] = k.HasOuData,
        };
        if (v2)
        {
            o["ou_publication_date"] = null;
            o["is_deleted"] = k.IsDeleted ? 1 : 0;
        }
        else
        {
            o["isdeleted"] = k.IsDeleted;
        }
        return Unknown(o);
    }

    private Dictionary<string, object?> GroupObject(string id, string title, string[] members, bool v2) => Unknown(new()
    {
        ["id"] = id,
        ["title"] = title,
        ["members"] = members
            .Select(m => Unknown(new()
            {
                [v2 ? "id" : "member_id"] = m,
                [v2 ? "title" : "member_title"] = municipalities.TryGetValue(m, out var known) ? known.Title : m,
            }))
            .ToList(),
    });

    /// <summary>Every object gets a field no client knows, to prove clients ignore what they do not read.</summary>
    private static Dictionary<string, object?> Unknown(Dictionary<string, object?> o)
    {
        o["kedja_fake_unknown"] = new Dictionary<string, object?> { ["nested"] = new object?[] { 1, null, "x" } };
        return o;
    }

    private (int, string) Page(string path, IQueryCollection query, List<Dictionary<string, object?>> items, bool v2)
    {
        var page = 1;
        var perPage = MaxPerPage;
        if ((query["page"] is { Count: > 0 } p && (!int.TryParse(p.ToString(), out page) || page < 1))
            || (query["per_page"] is { Count: > 0 } pp && (!int.TryParse(pp.ToString(), out perPage) || perPage is < 1 or > MaxPerPage)))
        {
            return Error(400, "Bad paging parameters");
        }
        var slice = items.Skip((page - 1) * perPage).Take(perPage).ToList();
        var hasNext = page * perPage < items.Count;
        string Link(int to)
        {
            var parts = query.Where(q => q.Key != "page").Select(q => $"{q.Key}={Uri.EscapeDataString(q.Value.ToString())}").Append($"page={to}");
            return $"{Root}{path}?{string.Join('&', parts)}";
        }
        var envelope = new Dictionary<string, object?>();
        if (v2)
        {
            envelope["count"] = slice.Count;
            envelope["values"] = slice;
            envelope["next_page"] = hasNext ? Link(page + 1) : null;
            envelope["previous_page"] = page > 1 ? Link(page - 1) : null;
        }
        else
        {
            envelope["values"] = slice;
            if (hasNext)
            {
                envelope["next_url"] = Link(page + 1);
            }
        }
        return (200, JsonSerializer.Serialize(Unknown(envelope)));
    }

    private static (int, string) Error(int status, string message) =>
        (status, JsonSerializer.Serialize(new Dictionary<string, object?> { ["message"] = message }));

    private sealed record ScriptedAnswer(string PathContains, FakeResponse Response, bool Forever);

    private sealed record FakeValue(decimal? Value, int Count, string Status, DateOnly Changed, bool IsOu);
}

/// <summary>A KPI as the fake serves it; v2 answers rename and retype some fields.</summary>
public sealed record FakeKpi(
    string Id,
    string Title,
    string? Description = null,
    bool IsDividedByGender = false,
    string? MunicipalityType = "K",
    string? OperatingArea = null,
    string? Perspective = null,
    string? PublicationDate = null,
    string? PublPeriod = null,
    bool HasOuData = false,
    string? Auspice = null,
    bool IsDeleted = false);

/// <summary>
/// A scripted answer. <see cref="Status"/> 0 means: after <see cref="Delay"/>, answer as usual (with a pause
/// halfway through the body when <see cref="StallMidBody"/> is set).
/// </summary>
public sealed record FakeResponse(
    int Status, string? Body = null, string? RetryAfter = null, TimeSpan Delay = default, TimeSpan StallMidBody = default)
{
    public static FakeResponse TooManyRequests(string? retryAfter = null) => new(429, """{"message":"Too many requests"}""", retryAfter);

    public static FakeResponse ServerError(int status = 500) => new(status, """{"message":"Internal server error"}""");

    public static FakeResponse NotFound() => new(404, """{"message":"Not found"}""");

    public static FakeResponse BadRequest() => new(400, """{"message":"Bad request"}""");

    /// <summary>A 200 with this exact body: malformed JSON, a bare NaN, another shape.</summary>
    public static FakeResponse Raw(string body) => new(200, body);

    /// <summary>Waits, then answers as usual (or as the client has long given up).</summary>
    public static FakeResponse Slow(TimeSpan delay) => new(0, Delay: delay);

    /// <summary>Sends the headers and half the usual body at once, the rest after a pause.</summary>
    public static FakeResponse StalledBody(TimeSpan pause) => new(0, StallMidBody: pause);
}
