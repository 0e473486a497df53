using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Polly.Timeout;

namespace Kedja.Kolada;

/// <summary>
/// Typed client for the Kolada API (v3, and the v2 response shape). Every list of ids is sent in segments of at most
/// 25 (longer URLs are refused by Kolada), every answer is followed page by page, and data comes back flattened to a
/// row per gender. Retries and timeouts live in the HTTP pipeline that <see cref="KoladaServiceCollectionExtensions.AddKolada(IServiceCollection, Action{KoladaOptions})"/>
/// sets up; this class turns what is left of a failure into a <see cref="KoladaException"/>.
/// </summary>
public sealed class KoladaClient
{
    /// <summary>Kolada's own limit on the ids in one URL segment, as its clients keep to.</summary>
    public const int MaxIdsPerSegment = 25;

    // A next link that never ends would otherwise loop forever; 5000 rows a page makes this 5 million rows.
    private const int MaxPages = 1000;

    private readonly HttpClient http;
    private readonly KoladaOptions options;
    private readonly string baseUrl;

    [ActivatorUtilitiesConstructor]
    public KoladaClient(HttpClient http, IOptions<KoladaOptions> options)
        : this(http, options.Value)
    {
    }

    public KoladaClient(HttpClient http, KoladaOptions options)
    {
        this.http = http;
        this.options = options;
        baseUrl = options.BaseUrl.TrimEnd('/');
    }

    public Task<IReadOnlyList<KoladaKpi>> SearchKpisAsync(string title, CancellationToken cancellationToken = default) =>
        GetAllAsync($"{baseUrl}/kpi?title={Uri.EscapeDataString(title)}", KoladaJson.Kpi, cancellationToken);

    public Task<IReadOnlyList<KoladaKpi>> GetKpisAsync(IEnumerable<string> ids, CancellationToken cancellationToken = default) =>
        GetSegmentedAsync(Segments(ids).Select(s => $"{baseUrl}/kpi/{s}"), KoladaJson.Kpi, cancellationToken);

    public Task<IReadOnlyList<KoladaMunicipality>> GetMunicipalitiesAsync(CancellationToken cancellationToken = default) =>
        GetAllAsync($"{baseUrl}/municipality", KoladaJson.Municipality, cancellationToken);

    public Task<IReadOnlyList<KoladaGroup>> GetGroupsAsync(CancellationToken cancellationToken = default) =>
        GetAllAsync($"{baseUrl}/municipality_groups", KoladaJson.Group, cancellationToken);

    /// <summary>One comparison group with its members, or null when Kolada has no group with that id.</summary>
    public async Task<KoladaGroup?> GetGroupAsync(string id, CancellationToken cancellationToken = default)
    {
        var groups = await GetAllAsync($"{baseUrl}/municipality_groups/{Uri.EscapeDataString(id)}", KoladaJson.Group, cancellationToken);
        return groups.FirstOrDefault(g => g.Id == id);
    }

    public Task<IReadOnlyList<KoladaOu>> GetOusAsync(string municipalityId, CancellationToken cancellationToken = default) =>
        GetAllAsync($"{baseUrl}/ou?municipality={Uri.EscapeDataString(municipalityId)}", KoladaJson.Ou, cancellationToken);

    /// <summary>
    /// Values of the key figures for the municipalities (or groups), all years unless some are named;
    /// <paramref name="fromDate"/> asks only for what changed since that date.
    /// </summary>
    public Task<IReadOnlyList<KoladaValue>> GetDataAsync(
        IEnumerable<string> kpiIds,
        IEnumerable<string> municipalityIds,
        IEnumerable<int>? years = null,
        DateOnly? fromDate = null,
        CancellationToken cancellationToken = default) =>
        GetSegmentedAsync(DataUrls("data", "municipality", kpiIds, municipalityIds, years, fromDate), KoladaJson.Values, cancellationToken);

    /// <summary>Values of the key figures for organisational units (schools, care homes).</summary>
    public Task<IReadOnlyList<KoladaValue>> GetOuDataAsync(
        IEnumerable<string> kpiIds,
        IEnumerable<string> ouIds,
        IEnumerable<int>? years = null,
        CancellationToken cancellationToken = default) =>
        GetSegmentedAsync(DataUrls("oudata", "ou", kpiIds, ouIds, years, null), KoladaJson.Values, cancellationToken);

    private IEnumerable<string> DataUrls(
        string kind, string entityName, IEnumerable<string> kpiIds, IEnumerable<string> entityIds, IEnumerable<int>? years, DateOnly? fromDate)
    {
        var yearSegments = years is null
            ? [null]
            : Segments(years.Select(y => y.ToString(CultureInfo.InvariantCulture))).Select(s => (string?)s).ToList();
        if (yearSegments.Count == 0)
        {
            yield break;
        }
        var query = fromDate is { } d ? $"?from_date={d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}" : "";
        var entitySegments = Segments(entityIds);
        foreach (var kpis in Segments(kpiIds))
        {
            foreach (var entities in entitySegments)
            {
                foreach (var yearList in yearSegments)
                {
                    var year = yearList is null ? "" : $"/year/{yearList}";
                    yield return $"{baseUrl}/{kind}/kpi/{kpis}/{entityName}/{entities}{year}{query}";
                }
            }
        }
    }

    private static List<string> Segments(IEnumerable<string> ids) =>
        ids.Select(i => i.Trim())
            .Where(i => i.Length > 0)
            .Distinct(StringComparer.Ordinal)
            .Chunk(MaxIdsPerSegment)
            .Select(chunk => string.Join(',', chunk.Select(Uri.EscapeDataString)))
            .ToList();

    private Task<IReadOnlyList<T>> GetSegmentedAsync<T>(
        IEnumerable<string> urls, Func<JsonElement, T> read, CancellationToken cancellationToken) =>
        GetSegmentedAsync(urls, One(read), cancellationToken);

    private async Task<IReadOnlyList<T>> GetSegmentedAsync<T>(
        IEnumerable<string> urls, Func<JsonElement, IEnumerable<T>> read, CancellationToken cancellationToken)
    {
        var all = new List<T>();
        foreach (var url in urls)
        {
            all.AddRange(await GetAllAsync(url, read, cancellationToken));
        }
        return all;
    }

    private Task<IReadOnlyList<T>> GetAllAsync<T>(string url, Func<JsonElement, T> read, CancellationToken cancellationToken) =>
        GetAllAsync(url, One(read), cancellationToken);

    private static Func<JsonElement, IEnumerable<T>> One<T>(Func<JsonElement, T> read) => e => [read(e)];

    private async Task<IReadOnlyList<T>> GetAllAsync<T>(
        string firstUrl, Func<JsonElement, IEnumerable<T>> read, CancellationToken cancellationToken)
    {
        var rows = new List<T>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        string? url = WithPerPage(firstUrl);
        while (url is not null)
        {
            if (!seen.Add(url) || seen.Count > MaxPages)
            {
                throw new KoladaResponseException(url, "länken till nästa sida leder tillbaka eller tar aldrig slut");
            }
            using var page = await FetchAsync(url, cancellationToken);
            var root = page.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("values", out var values)
                || values.ValueKind != JsonValueKind.Array)
            {
                throw new KoladaResponseException(url, "svaret saknar listan \"values\"");
            }
            try
            {
                foreach (var item in values.EnumerateArray())
                {
                    rows.AddRange(read(item));
                }
            }
            catch (FormatException e)
            {
                throw new KoladaResponseException(url, e.Message, e);
            }
            url = NextLink(root, url);
        }
        return rows;
    }

    private string WithPerPage(string url) =>
        url + (url.Contains('?', StringComparison.Ordinal) ? "&" : "?") + $"per_page={options.PerPage.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>v3 names the next page <c>next_url</c>, v2 <c>next_page</c>; the last page leaves it out or sends null.</summary>
    private static string? NextLink(JsonElement root, string current)
    {
        foreach (var name in (ReadOnlySpan<string>)["next_url", "next_page"])
        {
            if (root.TryGetProperty(name, out var next) && next.ValueKind == JsonValueKind.String && next.GetString() is { Length: > 0 } link)
            {
                if (!Uri.TryCreate(new Uri(current), link, out var absolute))
                {
                    throw new KoladaResponseException(current, $"länken till nästa sida ({link}) är ingen adress");
                }

                // Only pages of the same service: an answer must not send Kedja's server on to any other address.
                return Uri.Compare(absolute, new Uri(current), UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0
                    ? absolute.AbsoluteUri
                    : throw new KoladaResponseException(current, $"länken till nästa sida ({link}) leder till en annan webbplats");
            }
        }
        return null;
    }

    private async Task<JsonDocument> FetchAsync(string url, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await http.GetAsync(url, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutRejectedException or OperationCanceledException
                                  && !cancellationToken.IsCancellationRequested)
        {
            throw new KoladaUnavailableException(url, options.MaxRetries + 1, null, e);
        }
        using (response)
        {
            var status = (int)response.StatusCode;
            if (status == (int)HttpStatusCode.TooManyRequests || status >= 500)
            {
                throw new KoladaUnavailableException(url, options.MaxRetries + 1, status);
            }
            if (!response.IsSuccessStatusCode)
            {
                throw new KoladaRequestException(url, status);
            }
            try
            {
                await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
                return await JsonDocument.ParseAsync(body, default, cancellationToken);
            }
            catch (JsonException e)
            {
                throw new KoladaResponseException(url, $"det är inte giltig JSON ({e.Message})", e);
            }
            catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException
                                      && !cancellationToken.IsCancellationRequested)
            {
                throw new KoladaUnavailableException(url, options.MaxRetries + 1, null, e);
            }
        }
    }
}
