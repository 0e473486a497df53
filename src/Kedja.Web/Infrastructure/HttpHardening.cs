using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.HttpsPolicy;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace Kedja.Web.Infrastructure;

/// <summary>HTTPS behaviour (README, "Behind a reverse proxy").</summary>
public sealed class HttpsOptions
{
    public const string Section = "Kedja:Https";

    /// <summary>Redirect plain HTTP to HTTPS when Kedja serves HTTPS itself (an https URL, or <see cref="Port"/>).</summary>
    public bool Redirect { get; set; } = true;

    /// <summary>The HTTPS port to redirect to, when it cannot be read from the server's addresses (a proxy in front).</summary>
    public int? Port { get; set; }

    /// <summary>Send Strict-Transport-Security on HTTPS responses (never in Development, never to localhost).</summary>
    public bool Hsts { get; set; } = true;

    public int HstsMaxAgeDays { get; set; } = 365;
}

/// <summary>The reverse proxies whose X-Forwarded-For and X-Forwarded-Proto are believed. Loopback is always trusted.</summary>
public sealed class ProxyOptions
{
    public const string Section = "Kedja:Proxy";

    /// <summary>IP addresses of the proxies, e.g. "10.0.0.5".</summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Networks the proxies are in, e.g. "10.0.0.0/24".</summary>
    public List<string> KnownNetworks { get; set; } = [];

    internal static IEnumerable<string> Problems(ProxyOptions o) =>
        o.KnownProxies.Where(a => !IPAddress.TryParse(a, out _)).Select(a => $"{Section}:KnownProxies: '{a}' är ingen IP-adress.")
            .Concat(o.KnownNetworks.Where(n => !System.Net.IPNetwork.TryParse(n, out _)).Select(n => $"{Section}:KnownNetworks: '{n}' är inget nätverk (t.ex. 10.0.0.0/24)."));
}

/// <summary>
/// What every response is protected by, whatever endpoint (or none) answers it: Swedish Problem Details for bad
/// input and framework errors, body limits, security headers, HTTPS, and the client's address behind a proxy.
/// </summary>
public static class HttpHardening
{
    public static IServiceCollection AddHttpHardening(this IServiceCollection services, IWebHostEnvironment environment)
    {
        // In Production minimal APIs answer a bad request with a bare 400 and in Development they throw; throwing in
        // every environment lets one handler answer alike everywhere.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddExceptionHandler<BadRequestHandler>();
        services.AddExceptionHandler<DatabaseUnavailableHandler>(); // a failover: 503 with Retry-After (issue 17)
        services.AddExceptionHandler<DiskFullHandler>(); // a full disk: 503 in Swedish, nothing saved (issue 18)
        services.AddProblemDetails(o => o.CustomizeProblemDetails = c => SwedishProblems.Customize(c, environment.IsDevelopment()));

        services.AddOptions<RequestLimitOptions>().BindConfiguration(RequestLimitOptions.Section)
            .Validate(o => o.MaxRequestBodyBytes > 0 && o.MaxImportBodyBytes > 0, "Kedja:Limits ska vara positiva antal byte.").ValidateOnStart();
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<RequestLimitOptions>>((kestrel, limits) =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = limits.Value.MaxRequestBodyBytes;
        });

        services.AddOptions<HttpsOptions>().BindConfiguration(HttpsOptions.Section)
            .Validate(o => o.HstsMaxAgeDays > 0, "Kedja:Https:HstsMaxAgeDays ska vara minst 1.")
            .Validate(o => o.Port is null or > 0 and < 65536, "Kedja:Https:Port ska vara ett portnummer 1-65535.").ValidateOnStart();
        services.AddOptions<HstsOptions>().Configure<IOptions<HttpsOptions>>((hsts, https) => hsts.MaxAge = TimeSpan.FromDays(https.Value.HstsMaxAgeDays));
        services.AddOptions<HttpsRedirectionOptions>().Configure<IOptions<HttpsOptions>>((redirect, https) => redirect.HttpsPort = https.Value.Port);

        services.AddOptions<ProxyOptions>().BindConfiguration(ProxyOptions.Section).Check(ProxyOptions.Problems).ValidateOnStart();
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ProxyOptions>>((forwarded, proxy) =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            foreach (var address in proxy.Value.KnownProxies)
            {
                forwarded.KnownProxies.Add(IPAddress.TryParse(address, out var ip) ? ip
                    : throw new InvalidOperationException($"{ProxyOptions.Section}:KnownProxies: '{address}' är ingen IP-adress."));
            }

            foreach (var network in proxy.Value.KnownNetworks)
            {
                forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.TryParse(network, out var net) ? net
                    : throw new InvalidOperationException($"{ProxyOptions.Section}:KnownNetworks: '{network}' är inget nätverk (t.ex. 10.0.0.0/24)."));
            }
        });
        return services;
    }

    /// <summary>First in the pipeline, so that the scheme and client address are right and every response gets the headers.</summary>
    public static WebApplication UseHttpHardening(this WebApplication app)
    {
        app.UseForwardedHeaders();
        app.UseMiddleware<SecurityHeadersMiddleware>();
        // TRACE echoes a request back (cross-site tracing) and Razor Pages would render a page for it without running its
        // handler: no Kedja endpoint answers it. The portal answers every method but GET and HEAD itself, in Swedish.
        app.Use((http, next) =>
        {
            if ((HttpMethods.IsTrace(http.Request.Method) || string.Equals(http.Request.Method, "TRACK", StringComparison.OrdinalIgnoreCase))
                && !Portal.PortalHosting.IsPortal(http.Request))
            {
                http.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
                return Task.CompletedTask;
            }

            return next(http);
        });
        var https = app.Services.GetRequiredService<IOptions<HttpsOptions>>().Value;
        if (https.Hsts && !app.Environment.IsDevelopment())
        {
            app.UseHsts();
        }

        // Only where an HTTPS port can be known: without one the middleware redirects nothing and warns at every start
        // ("Failed to determine the https port"), which hides real warnings of a plain-HTTP node behind a proxy.
        if (https.Redirect && ServesHttps(app.Configuration, https))
        {
            app.UseHttpsRedirection();
        }

        return app;
    }

    /// <summary>An HTTPS port is configured (Kedja:Https:Port, HTTPS_PORT(S)) or Kedja listens on an https address.</summary>
    private static bool ServesHttps(IConfiguration configuration, HttpsOptions https) =>
        https.Port is not null
        || !string.IsNullOrWhiteSpace(configuration["HTTPS_PORT"]) || !string.IsNullOrWhiteSpace(configuration["HTTPS_PORTS"])
        || (configuration["urls"] ?? "").Contains("https://", StringComparison.OrdinalIgnoreCase)
        || configuration.GetSection("Kestrel:Endpoints").GetChildren().Any(e => (e["Url"] ?? "").StartsWith("https://", StringComparison.OrdinalIgnoreCase));
}

/// <summary>
/// Headers that keep browsers from misreading, framing or leaking what Kedja sends. The policy suits the JSON API and
/// the server-rendered pages to come: scripts and styles only from Kedja's own files (no inline script), no plugins,
/// no framing, forms post only back to Kedja.
/// </summary>
public sealed partial class SecurityHeadersMiddleware(RequestDelegate next)
{
    public const string ContentSecurityPolicy = "default-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public Task InvokeAsync(HttpContext context)
    {
        // On starting, so that responses rewritten on the way out (the exception handler's 500) carry them too.
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "same-origin";
            // A served report sets a stricter policy of its own (no script at all, its own inline style sheet).
            if (string.IsNullOrEmpty(headers.ContentSecurityPolicy))
            {
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
            }

            // An embed that may be framed by the tenant's own sites says so in its policy (AllowFramingBy); the old header
            // knows no list of sites, so it is left out there. Any other policy on the way out (an error page) refuses again.
            if (!(context.Items.TryGetValue(FramingPolicy, out var allowed) && headers.ContentSecurityPolicy == (string?)allowed))
            {
                headers.XFrameOptions = "DENY";
            }

            return Task.CompletedTask;
        });
        return next(context);
    }

    private const string FramingPolicy = "Kedja.FramingPolicy";

    /// <summary>
    /// Lets the pages of these origins (and only them) frame this response: Kedja's policy with their
    /// <c>frame-ancestors</c> and no X-Frame-Options. Without an origin nothing changes: framing stays refused. A value
    /// that is not an origin (scheme, host, port) is left out, so a stored value can never add a directive.
    /// </summary>
    /// <returns>The origins named in the policy.</returns>
    public static IReadOnlyList<string> AllowFramingBy(HttpContext context, IEnumerable<string> origins)
    {
        var valid = origins.Select(o => o.Trim()).Where(IsOrigin).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (valid.Count > 0)
        {
            var policy = ContentSecurityPolicy.Replace("frame-ancestors 'none'", "frame-ancestors " + string.Join(' ', valid), StringComparison.Ordinal);
            context.Response.Headers.ContentSecurityPolicy = policy;
            context.Items[FramingPolicy] = policy;
        }

        return valid;
    }

    /// <summary>The framing policy <see cref="AllowFramingBy"/> set on this response, if any: for a cache to keep with the page.</summary>
    public static string? FramingPolicyOf(HttpContext context) => context.Items.TryGetValue(FramingPolicy, out var policy) ? policy as string : null;

    /// <summary>Sets a framing policy that <see cref="AllowFramingBy"/> made before, on a response replayed from a cache.</summary>
    public static void RestoreFramingPolicy(HttpContext context, string policy)
    {
        context.Response.Headers.ContentSecurityPolicy = policy;
        context.Items[FramingPolicy] = policy;
    }

    /// <summary>http(s), a host (its first label may be "*" for every subdomain) and perhaps a port; no path, nothing else.</summary>
    public static bool IsOrigin(string value) => OriginPattern().IsMatch(value);

    [System.Text.RegularExpressions.GeneratedRegex(@"^https?://(\*\.)?[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*(:[0-9]{1,5})?\z")]
    private static partial System.Text.RegularExpressions.Regex OriginPattern();
}
