using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Kedja.Web.Tests.SingleSignOn;

/// <summary>
/// An OpenID Connect provider that mints whatever id token the test asks for, on 127.0.0.1 (Kestrel): discovery, its
/// signing key, an authorize endpoint nobody visits (the test reads the app's request instead) and a token endpoint that
/// answers a code with the token the test stored for it. The real provider (oidc-provider) never makes bad tokens;
/// this one lets the tests show that the app's handler refuses them.
/// </summary>
public sealed class ForgedProvider : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentDictionary<string, string> tokens = new();
    private RsaSecurityKey key;
    private readonly List<RsaSecurityKey> published = [];

    private ForgedProvider(WebApplication app, RsaSecurityKey key)
    {
        this.app = app;
        this.key = key;
        published.Add(key);
    }

    public string Issuer { get; private set; } = "";

    /// <summary>The token requests the provider answered, to tell that the app asked at all.</summary>
    public int TokenRequests => Volatile.Read(ref tokenRequests);

    private int tokenRequests;

    public static async Task<ForgedProvider> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0));
        var app = builder.Build();
        var provider = new ForgedProvider(app, NewKey());
        app.MapGet("/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = provider.Issuer,
            ["authorization_endpoint"] = provider.Issuer + "/authorize",
            ["token_endpoint"] = provider.Issuer + "/token",
            ["jwks_uri"] = provider.Issuer + "/jwks",
            ["end_session_endpoint"] = provider.Issuer + "/logout",
            ["response_types_supported"] = new[] { "code" },
            ["subject_types_supported"] = new[] { "public" },
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
        }));
        app.MapGet("/jwks", () =>
        {
            lock (provider.published)
            {
                return Results.Json(new { keys = provider.published.Select(k => Jwk(k)).ToList() });
            }
        });
        app.MapPost("/token", async (HttpContext http) =>
        {
            Interlocked.Increment(ref provider.tokenRequests);
            var form = await http.Request.ReadFormAsync();
            return provider.tokens.TryRemove(form["code"].ToString(), out var idToken)
                ? Results.Json(new { id_token = idToken, access_token = "forged-access-token", token_type = "Bearer", expires_in = 300 })
                : Results.Json(new { error = "invalid_grant" }, statusCode: 400);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        provider.Issuer = address.TrimEnd('/');
        return provider;
    }

    /// <summary>The claims of a token that the app should accept for the client: the test changes one thing.</summary>
    public Dictionary<string, object> Claims(string clientId, string nonce, string sub, string email, params string[] groups)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        return new Dictionary<string, object>
        {
            ["iss"] = Issuer,
            ["aud"] = clientId,
            ["sub"] = sub,
            ["nonce"] = nonce,
            ["iat"] = now,
            ["nbf"] = now,
            ["exp"] = now + 300,
            ["email"] = email,
            ["email_verified"] = true,
            ["name"] = sub,
            ["groups"] = groups,
        };
    }

    /// <summary>Signed with the published key (RS256).</summary>
    public string Sign(Dictionary<string, object> claims) => new JsonWebTokenHandler().CreateToken(JsonSerializer.Serialize(claims),
        new SigningCredentials(key, SecurityAlgorithms.RsaSha256));

    /// <summary>Not signed at all: header {"alg":"none"}, an empty signature.</summary>
    public static string Unsigned(Dictionary<string, object> claims) =>
        Base64UrlEncoder.Encode("""{"alg":"none","typ":"JWT"}""") + "." + Base64UrlEncoder.Encode(JsonSerializer.Serialize(claims)) + ".";

    /// <summary>Signed with a key the provider never published.</summary>
    public static string SignedByStranger(Dictionary<string, object> claims) => new JsonWebTokenHandler().CreateToken(JsonSerializer.Serialize(claims),
        new SigningCredentials(NewKey(), SecurityAlgorithms.RsaSha256));

    /// <summary>A new signing key, published beside the old one from now on (a provider rotating its keys).</summary>
    public void RotateKey()
    {
        var next = NewKey();
        lock (published)
        {
            published.Add(next);
        }

        key = next;
    }

    /// <summary>The code the app will be given; the token endpoint answers it once with this token.</summary>
    public string Code(string idToken)
    {
        var code = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        tokens[code] = idToken;
        return code;
    }

    private static RsaSecurityKey NewKey() => new(RSA.Create(2048)) { KeyId = Guid.NewGuid().ToString("N") };

    private static Dictionary<string, string> Jwk(RsaSecurityKey key)
    {
        var parameters = key.Rsa.ExportParameters(false);
        return new Dictionary<string, string>
        {
            ["kty"] = "RSA", ["use"] = "sig", ["alg"] = "RS256", ["kid"] = key.KeyId,
            ["n"] = Base64UrlEncoder.Encode(parameters.Modulus), ["e"] = Base64UrlEncoder.Encode(parameters.Exponent),
        };
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
