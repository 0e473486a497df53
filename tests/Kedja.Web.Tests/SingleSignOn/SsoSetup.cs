using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Kedja.Data;
using Kedja.Domain.Tenancy;
using Kedja.Web.Templates;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kedja.Web.Tests.SingleSignOn;

/// <summary>
/// A tenant's provider, e-mail domain and group mappings written as rows, the way the settings page stores them (the
/// client secret protected for "Kedja.Sso.ClientSecret"), and the steps of a sign-in driven over HTTP.
/// </summary>
public static class SsoSetup
{
    public static readonly IReadOnlyDictionary<string, string?> Settings = new Dictionary<string, string?> { ["Kedja:Sso:ProviderRefreshSeconds"] = "0" };

    public static async Task CreateTenantAsync(KedjaApp app, string slug)
    {
        var admin = await app.ClientAsync();
        var response = await admin.PostAsJsonAsync("/api/v1/tenants", new { slug, name = slug.ToUpperInvariant(), kommunkod = "1234", template = ModelTemplates.Heby });
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }

    public static async Task ConfigureAsync(KedjaApp app, string slug, string authority, string clientId, string? secret, string domain,
        params (string Group, TenantRole Role, Guid? UnitId)[] mappings)
    {
        var (scope, db) = app.DbFor(slug);
        using (scope)
        {
            var protector = scope.ServiceProvider.GetRequiredService<IDataProtectionProvider>().CreateProtector(Kedja.Web.SingleSignOn.SsoSettings.SecretPurpose);
            var tenantId = db.Scope.TenantId!.Value;
            db.IdentityProviders.Add(new TenantIdentityProvider
            {
                TenantId = tenantId, Authority = authority, ClientId = clientId, ClientSecretProtected = secret is null ? null : protector.Protect(secret),
                Scopes = "openid profile email groups", Enabled = true, UpdatedAt = DateTime.UtcNow, DisplayName = slug,
            });
            db.EmailDomains.Add(new TenantEmailDomain { Domain = domain, TenantId = tenantId });
            foreach (var (group, role, unit) in mappings)
            {
                db.GroupMappings.Add(new TenantGroupMapping { TenantId = tenantId, Group = group, Role = role, UnitId = unit });
            }

            await db.SaveChangesAsync();
        }
    }

    /// <summary>Changes the tenant's provider row as another node would: straight in the database, its version raised.</summary>
    public static async Task ChangeProviderAsync(KedjaApp app, string slug, Action<TenantIdentityProvider> change)
    {
        var (scope, db) = app.DbFor(slug);
        using (scope)
        {
            var row = await db.IdentityProviders.SingleAsync();
            change(row);
            await db.SaveChangesAsync();
        }
    }

    public static async Task<string> AntiforgeryAsync(HttpClient client, string url) =>
        Regex.Match(await client.GetStringAsync(url), "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;

    /// <summary>The sign-in page's home realm discovery with an address and no password: the redirect the app answers with.</summary>
    public static async Task<HttpResponseMessage> SubmitEmailAsync(HttpClient client, string email, string? back = null, string? password = null)
    {
        var form = new Dictionary<string, string> { ["__RequestVerificationToken"] = await AntiforgeryAsync(client, "/logga-in"), ["Email"] = email };
        if (back is not null)
        {
            form["tillbaka"] = back;
        }

        if (password is not null)
        {
            form["losenord"] = password;
        }

        return await client.PostAsync("/logga-in", new FormUrlEncodedContent(form));
    }

    /// <summary>What the app asked the provider for: the parameters of its authorization request.</summary>
    public static async Task<Dictionary<string, string>> StartAsync(HttpClient client, string email, string? back = null)
    {
        var answer = await SubmitEmailAsync(client, email, back);
        answer.StatusCode.ShouldBe(HttpStatusCode.Redirect, await answer.Content.ReadAsStringAsync());
        // The form leads to Kedja's own onward page (form-action 'self'), which moves on by its Refresh header.
        var onward = answer.Headers.Location!.ToString();
        onward.ShouldStartWith("/inloggning/oidc/");
        var page = await client.GetAsync(onward);
        page.StatusCode.ShouldBe(HttpStatusCode.OK);
        var refresh = page.Headers.GetValues("Refresh").Single();
        refresh.ShouldStartWith("0;url=/inloggning/oidc/");
        var challenge = await client.GetAsync(refresh["0;url=".Length..]);
        challenge.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var location = challenge.Headers.Location!;
        location.IsAbsoluteUri.ShouldBeTrue(location.ToString());
        return Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(location.Query).ToDictionary(p => p.Key, p => p.Value.ToString());
    }

    /// <summary>Follows the app's own redirects from a callback to where the browser would stop; every answer on the way.</summary>
    public static async Task<List<HttpResponseMessage>> FollowAsync(HttpClient client, string url)
    {
        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < 6; i++)
        {
            var answer = await client.GetAsync(url);
            answers.Add(answer);
            if ((int)answer.StatusCode is < 300 or >= 400 || answer.Headers.Location is not { } next || next.IsAbsoluteUri)
            {
                break;
            }

            url = next.ToString();
        }

        return answers;
    }

    public static string CallbackPath(Dictionary<string, string> request) => new Uri(request["redirect_uri"]).AbsolutePath;

    /// <summary>The app's answer to the code and state at the callback, followed to its end.</summary>
    public static Task<List<HttpResponseMessage>> ReturnAsync(HttpClient client, string callbackPath, string code, string state) =>
        FollowAsync(client, $"{callbackPath}?code={Uri.EscapeDataString(code)}&state={Uri.EscapeDataString(state)}");

    public static async Task<int> AuditCountAsync(KedjaApp app, string action)
    {
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<KedjaDbContext>();
        return await db.AuditEntries.IgnoreQueryFilters().CountAsync(a => a.Action == action);
    }

    /// <summary>The person is not signed in: a signed-in page sends them to the sign-in page.</summary>
    public static async Task ShouldNotBeSignedInAsync(HttpClient client)
    {
        var profile = await client.GetAsync("/profil");
        profile.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        profile.Headers.Location!.ToString().ShouldStartWith("/logga-in");
    }
}
