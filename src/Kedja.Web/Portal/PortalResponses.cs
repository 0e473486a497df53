using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Threading.RateLimiting;
using Kedja.Data;
using Kedja.Web.Auth;
using Kedja.Web.Infrastructure;
using Kedja.Web.Public;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Kedja.Web.Portal;

/// <summary>
/// Every answer under /p/ (ADR 41): limited per client address with a Swedish 429 page, never a cookie, and – for a
/// known municipality – tagged with its data version (ETag, Last-Modified, 304) and served from this node's memory
/// while that version stands. The version is raised by every write on any node, in the write's transaction, so a
/// publication, an unpublication or a corrected text changes every node's key at once: the cache can only ever hold
/// what the published view rendered for the version it is asked for.
/// </summary>
public sealed class PortalResponses(RequestDelegate next, PortalStamps stamps, PortalCache cache, PortalLimiter limiter, IOptions<PortalOptions> options)
{
    public static string TooMany(int seconds) =>
        $"Du har gjort väldigt många sidvisningar på kort tid. Vänta {seconds} {(seconds == 1 ? "sekund" : "sekunder")} och försök sedan igen.";

    public const string ReadOnly = "Här kan du bara läsa. Portalen tar inte emot något som skickas till den.";

    private static readonly HashSet<string> NotReplayed = new(StringComparer.OrdinalIgnoreCase)
    {
        HeaderNames.SetCookie, HeaderNames.Date, HeaderNames.Server, HeaderNames.ContentLength, HeaderNames.TransferEncoding,
        HeaderNames.ETag, HeaderNames.LastModified, HeaderNames.CacheControl,
    };

    public async Task InvokeAsync(HttpContext http)
    {
        http.Response.OnStarting(() =>
        {
            // Nothing under /p/ may set a cookie (no consent banner needed), not even a signed-in person's renewed one.
            http.Response.Headers.Remove(HeaderNames.SetCookie);
            return Task.CompletedTask;
        });

        if (limiter.Admit(http) is { } retryAfter)
        {
            var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
            http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            await Ui.ErrorPage.WriteAsync(http, StatusCodes.Status429TooManyRequests, TooMany(seconds));
            return;
        }

        // The portal only reads (ADR 41). Its pages have GET handlers only, and Razor Pages would run one without its
        // handler for TRACE or OPTIONS (a 500 and a stack trace in the log for each).
        if (!HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method))
        {
            http.Response.Headers.Allow = "GET, HEAD";
            await Ui.ErrorPage.WriteAsync(http, StatusCodes.Status405MethodNotAllowed, ReadOnly);
            return;
        }

        var slug = SlugOf(http.Request.Path);
        var stamp = slug is null ? null : await stamps.ReadAsync(slug, http.RequestAborted);
        if (stamp is null)
        {
            await next(http);
            return;
        }

        // Scheme, host and path base too: without Kedja:Portal:PublicBaseUrl, open data and the catalogue write absolute
        // addresses from them (PortalOptions.BaseFor), and a forged Host or X-Forwarded-Proto must not be served to anyone else.
        var key = $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}|{http.Request.Path}{http.Request.QueryString}";
        var (etag, lastModified) = Tags(key, stamp.Version, stamp.ChangedAt);
        var cached = cache.Find(key, stamp.Version);
        if (NotModified(http.Request, etag, held: cached is not null))
        {
            Tag(http.Response, etag, lastModified);
            http.Response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }

        if (cached is not null)
        {
            await ReplayAsync(http, cached, etag, lastModified);
            return;
        }

        // Writes come several a second at a deadline; a page rendered a moment ago stands for them (with its own tags).
        if (cache.Previous(key, stamp, TimeSpan.FromMilliseconds(options.Value.RefreshAtMostEveryMilliseconds)) is { } recent)
        {
            var (recentTag, recentModified) = Tags(key, recent.Version, recent.ChangedAt);
            await ReplayAsync(http, recent, recentTag, recentModified);
            return;
        }

        // One rendering per page and version on this node: those who ask meanwhile wait for it rather than render it too.
        var (rendering, mine) = cache.Render(key, stamp.Version);
        if (!mine)
        {
            // While another request renders the new version, the previous one is answered (with its own tags), unless
            // what is published or the tenant's settings changed since it was made: those are never answered late.
            if (cache.Previous(key, stamp) is { } previous)
            {
                var (previousTag, previousModified) = Tags(key, previous.Version, previous.ChangedAt);
                await ReplayAsync(http, previous, previousTag, previousModified);
                return;
            }

            if (await rendering is { } rendered)
            {
                await ReplayAsync(http, rendered, etag, lastModified);
                return;
            }
        }

        Tag(http.Response, etag, lastModified);
        PortalPage? page = null;
        try
        {
            page = await RenderAsync(http, stamp);
        }
        finally
        {
            if (mine)
            {
                cache.Rendered(key, stamp.Version, page);
            }
        }
    }

    private async Task<PortalPage?> RenderAsync(HttpContext http, TenantStamp stamp)
    {
        var original = http.Features.Get<IHttpResponseBodyFeature>()!;
        using var buffer = new MemoryStream();
        http.Features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(buffer));
        try
        {
            await next(http);
        }
        finally
        {
            http.Features.Set(original);
        }

        PortalPage? page = null;
        if (http.Response.StatusCode == StatusCodes.Status200OK && HttpMethods.IsGet(http.Request.Method)
            && buffer.Length <= options.Value.CachedPageKilobytes * 1024L && !http.Response.Headers.ContainsKey(HeaderNames.SetCookie))
        {
            page = new PortalPage(stamp.Version, stamp.ChangedAt, stamp.Publication, TimeProvider.System.GetTimestamp(), [.. http.Response.Headers.Where(h => !NotReplayed.Contains(h.Key)).Select(h => (h.Key, h.Value.ToArray()))], buffer.ToArray(),
                SecurityHeadersMiddleware.FramingPolicyOf(http));
        }
        else if (http.Response.StatusCode != StatusCodes.Status200OK)
        {
            // An error carries no tag: the next request asks again.
            http.Response.Headers.Remove(HeaderNames.ETag);
            http.Response.Headers.Remove(HeaderNames.LastModified);
        }

        if (buffer.Length > 0)
        {
            http.Response.ContentLength = buffer.Length;
            buffer.Position = 0;
            await buffer.CopyToAsync(original.Stream, http.RequestAborted);
        }

        return page;
    }

    private static async Task ReplayAsync(HttpContext http, PortalPage page, EntityTagHeaderValue etag, DateTimeOffset lastModified)
    {
        foreach (var (name, values) in page.Headers)
        {
            http.Response.Headers[name] = values;
        }

        if (page.FramingPolicy is { } framing)
        {
            SecurityHeadersMiddleware.RestoreFramingPolicy(http, framing);
        }

        Tag(http.Response, etag, lastModified);
        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentLength = page.Body.Length;
        if (!HttpMethods.IsHead(http.Request.Method))
        {
            await http.Response.Body.WriteAsync(page.Body, http.RequestAborted);
        }
    }

    private static void Tag(HttpResponse response, EntityTagHeaderValue etag, DateTimeOffset lastModified)
    {
        var headers = response.GetTypedHeaders();
        headers.ETag = etag;
        headers.LastModified = lastModified;
        // Anyone may keep a copy, but must ask again each time: an unpublished period is gone from the next answer.
        response.Headers.CacheControl = "public, no-cache";
    }

    /// <summary>
    /// By If-None-Match alone (RFC 9110 13.2.2). Last-Modified is said, but If-Modified-Since is never answered 304: the
    /// date is cut to the second and comes from the writing node's clock before its write waited for the tenant's row,
    /// so a later version (a withdrawal) can carry the same second, or an earlier one on a node whose clock is behind,
    /// and a cache asking by date would keep the withdrawn page. A 200 is always a right answer; the tag is exact.
    /// </summary>
    /// <param name="held">
    /// Whether this node holds the page as a 200 of this version. This page's tag was only ever given with such a 200, so
    /// it answers for itself; "*" says nothing of whether the page exists (a withdrawn period's, an unknown goal's), so
    /// it is answered 304 only for a page known to be there, and otherwise the page is rendered.
    /// </param>
    private static bool NotModified(HttpRequest request, EntityTagHeaderValue etag, bool held) =>
        request.GetTypedHeaders().IfNoneMatch is { Count: > 0 } match
        && match.Any(m => (held && m.Equals(EntityTagHeaderValue.Any)) || m.Compare(etag, useStrongComparison: false));

    private static (EntityTagHeaderValue ETag, DateTimeOffset LastModified) Tags(string key, long version, DateTime changedAt) =>
        (new EntityTagHeaderValue($"\"{Tag(key, version)}\"", isWeak: true), new DateTimeOffset(changedAt.Ticks - (changedAt.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero));

    private static string Tag(string key, long version) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{key}|{version}")))[..32];

    /// <summary>The municipality's slug of /p/{slug}[/…]; null for /p itself.</summary>
    public static string? SlugOf(PathString path)
    {
        var value = path.Value ?? "";
        if (!value.StartsWith("/p/", StringComparison.OrdinalIgnoreCase) || value.Length <= 3)
        {
            return null;
        }

        var end = value.IndexOf('/', 3);
        var slug = end < 0 ? value[3..] : value[3..end];
        return slug.Length is > 0 and <= Domain.TextLimits.Slug ? slug : null;
    }
}

/// <summary>A rendered public page as it was answered for one data version.</summary>
/// <param name="FramingPolicy">An embed's policy naming the sites that may frame it (<see cref="SecurityHeadersMiddleware.AllowFramingBy"/>).</param>
/// <param name="Publication">The tenant's publication fingerprint when it was made (<see cref="TenantStamp.Publication"/>).</param>
/// <param name="MadeAt">When it was rendered (<see cref="TimeProvider.GetTimestamp"/>).</param>
public sealed record PortalPage(long Version, DateTime ChangedAt, string Publication, long MadeAt, List<(string Name, string?[] Values)> Headers, byte[] Body, string? FramingPolicy);

/// <summary>
/// Rendered public pages on this node, bounded by <see cref="PortalOptions.CacheMegabytes"/> (an address with an
/// endless query string cannot fill it past that); each held with the data version it was rendered for.
/// </summary>
public sealed class PortalCache : IDisposable
{
    private readonly MemoryCache pages;
    private readonly ConcurrentDictionary<(string Key, long Version), TaskCompletionSource<PortalPage?>> rendering = new();

    public PortalCache(IOptions<PortalOptions> options)
    {
        pages = new MemoryCache(new MemoryCacheOptions { SizeLimit = Math.Max(1, options.Value.CacheMegabytes * 1024L * 1024L), CompactionPercentage = 0.25 });
        Enabled = options.Value.CacheMegabytes > 0;
    }

    private bool Enabled { get; }

    public PortalPage? Find(string key, long version) =>
        Enabled && pages.TryGetValue(key, out PortalPage? page) && page!.Version == version ? page : null;

    /// <summary>The page as made for an earlier version, if nothing published and none of the tenant's settings changed since.</summary>
    /// <param name="within">Only a page made at most this long ago; null for any age.</param>
    public PortalPage? Previous(string key, TenantStamp stamp, TimeSpan? within = null) =>
        Enabled && pages.TryGetValue(key, out PortalPage? page) && page!.Version < stamp.Version && page.Publication == stamp.Publication
            && (within is not { } age || TimeProvider.System.GetElapsedTime(page.MadeAt) < age) ? page : null;

    /// <summary>The rendering of this page and version under way, and whether the caller is the one to do it.</summary>
    public (Task<PortalPage?> Page, bool Mine) Render(string key, long version)
    {
        var mine = new TaskCompletionSource<PortalPage?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var found = rendering.GetOrAdd((key, version), mine);
        return (found.Task, ReferenceEquals(found, mine));
    }

    public void Rendered(string key, long version, PortalPage? page)
    {
        if (page is not null && Enabled)
        {
            // The key and headers count too (two bytes a character): a forged Host header and a long query string make a key
            // tens of kilobytes long under a page of a few.
            var size = page.Body.Length + (2L * key.Length) + (2L * page.Headers.Sum(h => h.Name.Length + h.Values.Sum(v => v?.Length ?? 0))) + 512;
            pages.Set(key, page, new MemoryCacheEntryOptions { Size = size, SlidingExpiration = TimeSpan.FromMinutes(30) });
        }

        if (rendering.TryRemove((key, version), out var done))
        {
            done.TrySetResult(page);
        }
    }

    public void Dispose() => pages.Dispose();
}

/// <summary>
/// Each known municipality's data version as this node last read it, trusted for <see cref="PortalOptions.VersionFreshMilliseconds"/>
/// and let go at once when a write on this node raises it. Unknown slugs are not remembered (they would let anyone
/// fill the memory).
/// </summary>
public sealed class PortalStamps
{
    private readonly ConcurrentDictionary<string, (TenantStamp Stamp, long ReadAt)> known = new(StringComparer.Ordinal);
    private readonly PublishedDatabase database;
    private readonly TimeProvider clock;
    private readonly long fresh;

    public PortalStamps(PublishedDatabase database, DataVersionSignal signal, TimeProvider clock, IOptions<PortalOptions> options)
    {
        this.database = database;
        this.clock = clock;
        fresh = options.Value.VersionFreshMilliseconds * clock.TimestampFrequency / 1000;
        signal.Raised += tenant =>
        {
            foreach (var entry in known.Where(e => e.Value.Stamp.TenantId == tenant))
            {
                known.TryRemove(entry.Key, out _);
            }
        };
    }

    public async Task<TenantStamp?> ReadAsync(string slug, CancellationToken cancellationToken)
    {
        var now = clock.GetTimestamp();
        if (fresh > 0 && known.TryGetValue(slug, out var seen) && now - seen.ReadAt < fresh)
        {
            return seen.Stamp;
        }

        var stamp = await database.StampAsync(slug, cancellationToken);
        if (stamp is null)
        {
            known.TryRemove(slug, out _);
        }
        else if (fresh > 0)
        {
            known[slug] = (stamp, now);
        }

        return stamp;
    }
}

/// <summary>Anonymous requests per client address (as <see cref="ClientAddress"/> sees it behind known proxies), on this node.</summary>
public sealed class PortalLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<HttpContext> limiter;

    public PortalLimiter(IOptions<PortalOptions> options)
    {
        var o = options.Value;
        limiter = PartitionedRateLimiter.Create<HttpContext, string>(http => RateLimitPartition.GetTokenBucketLimiter(ClientAddress.Of(http), _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = o.BurstPerAddress,
            TokensPerPeriod = o.PerSecondPerAddress,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
    }

    /// <summary>Null when the request may go ahead; otherwise how long to wait.</summary>
    public TimeSpan? Admit(HttpContext http)
    {
        using var lease = limiter.AttemptAcquire(http);
        return lease.IsAcquired ? null : lease.TryGetMetadata(MetadataName.RetryAfter, out var retry) ? retry : TimeSpan.FromSeconds(1);
    }

    public void Dispose() => limiter.Dispose();
}

public static class PortalHosting
{
    public static IServiceCollection AddPortal(this IServiceCollection services)
    {
        services.AddOptions<PortalOptions>().BindConfiguration(PortalOptions.Section).Check(PortalOptions.Problems).ValidateOnStart();
        return services.AddSingleton<PortalStamps>().AddSingleton<PortalCache>().AddSingleton<PortalLimiter>().AddSingleton<PortalPreparation>().AddScoped<PortalViews>()
            .AddHostedService<Periods.PublicationWatch>();
    }

    /// <summary>Where the public portal lives: every page, embed and open-data file under it is public.</summary>
    public const string Prefix = "/p";

    public static bool IsPortal(HttpRequest request) => request.Path.StartsWithSegments(Prefix);

    /// <summary>Before static files, localization and sign-in: a cached public page needs none of them.</summary>
    public static WebApplication UsePortal(this WebApplication app)
    {
        app.UseWhen(http => IsPortal(http.Request), branch => branch.UseMiddleware<PortalResponses>());
        return app;
    }
}
