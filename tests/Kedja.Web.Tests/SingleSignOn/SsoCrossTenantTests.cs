using System.Net;
using Kedja.Data;
using Kedja.Domain.Tenancy;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kedja.Web.Tests.SingleSignOn;

/// <summary>
/// A tenant administrator claims e-mail domains without proving that the municipality owns them (ADR 45). These tests
/// are the attack that opens: Beta's administrator claims the domain of people who work in Alfa, points Beta's sign-in
/// at a provider of their own and has it vouch for one of those addresses. Neither the account nor Alfa may be reached.
/// </summary>
public sealed class SsoCrossTenantTests
{
    private const string Alfa = "alfa";
    private const string Beta = "beta";
    private const string BetaClient = "kedja-beta";

    private static async Task<(KedjaApp App, ForgedProvider Beta)> StartAsync(string provider)
    {
        var app = await KedjaApp.StartAsync(provider, settings: SsoSetup.Settings);
        var beta = await ForgedProvider.StartAsync();
        await SsoSetup.CreateTenantAsync(app, Alfa);
        await SsoSetup.CreateTenantAsync(app, Beta);
        // Alfa uses passwords and has claimed no domain; Beta's administrator claims gamma.example, where Alfa's staff are.
        await SsoSetup.ConfigureAsync(app, Beta, beta.Issuer, BetaClient, null, "gamma.example", ("beta-lasare", TenantRole.Reader, null));
        return (app, beta);
    }

    private static async Task<string> AlfaMemberAsync(KedjaApp app, string email, TenantRole role)
    {
        string id;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<KedjaUser>>();
            var user = new KedjaUser { UserName = email, Email = email, EmailConfirmed = true };
            (await users.CreateAsync(user, "Member-password-1")).Succeeded.ShouldBeTrue();
            id = user.Id;
        }

        var (alfaScope, alfaDb) = app.DbFor(Alfa);
        using (alfaScope)
        {
            alfaDb.Memberships.Add(new TenantMembership { UserId = id, Role = role });
            await alfaDb.SaveChangesAsync();
        }

        return id;
    }

    private static async Task<List<HttpResponseMessage>> BetaSignInAsync(HttpClient client, ForgedProvider beta, string typed, string sub, string vouched)
    {
        var request = await SsoSetup.StartAsync(client, typed);
        request["client_id"].ShouldBe(BetaClient);
        return await SsoSetup.ReturnAsync(client, SsoSetup.CallbackPath(request), beta.Code(beta.Sign(beta.Claims(BetaClient, request["nonce"], sub, vouched, "beta-lasare"))),
            request["state"]);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Another_tenants_provider_cannot_sign_in_as_an_account_that_belongs_to_this_tenant_through_a_claimed_domain(string provider)
    {
        var (app, beta) = await StartAsync(provider);
        await using var _ = app;
        await using var __ = beta;
        var carlId = await AlfaMemberAsync(app, "carl@gamma.example", TenantRole.Admin);

        var client = app.CreateClient(new() { AllowAutoRedirect = false });
        var answers = await BetaSignInAsync(client, beta, "carl@gamma.example", "carl-sub", "carl@gamma.example");
        answers.ShouldAllBe(a => a.StatusCode != HttpStatusCode.InternalServerError);
        answers[^1].RequestMessage!.RequestUri!.AbsolutePath.ShouldBe("/inloggning/misslyckades");
        await SsoSetup.ShouldNotBeSignedInAsync(client);
        (await client.GetAsync("/k/" + Alfa)).StatusCode.ShouldNotBe(HttpStatusCode.OK);

        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KedjaDbContext>();
        (await db.Set<IdentityUserLogin<string>>().CountAsync(l => l.UserId == carlId)).ShouldBe(0, "Beta's provider is not linked to Carl");
        (await db.Memberships.IgnoreQueryFilters().CountAsync(m => m.UserId == carlId)).ShouldBe(1, "no Beta membership was given");
        (await db.AuditEntries.IgnoreQueryFilters().CountAsync(a => a.Action == "SsoRefused" && a.EntityId == carlId && a.After!.Contains("another tenant"))).ShouldBe(1);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_address_that_only_upper_cases_to_an_accounts_address_does_not_reach_that_account(string provider)
    {
        var (app, beta) = await StartAsync(provider);
        await using var _ = app;
        await using var __ = beta;
        // Sara is Beta's own (the domain is Beta's here); "ſara" (long s) upper-cases to "SARA" as Identity compares addresses.
        string saraId;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<KedjaUser>>();
            var sara = new KedjaUser { UserName = "sara@gamma.example", Email = "sara@gamma.example", EmailConfirmed = true };
            (await users.CreateAsync(sara, "Member-password-1")).Succeeded.ShouldBeTrue();
            saraId = sara.Id;
        }

        var client = app.CreateClient(new() { AllowAutoRedirect = false });
        var answers = await BetaSignInAsync(client, beta, "sara@gamma.example", "impostor-sub", "\u017Fara@gamma.example");
        answers[^1].RequestMessage!.RequestUri!.AbsolutePath.ShouldBe("/inloggning/misslyckades");
        await SsoSetup.ShouldNotBeSignedInAsync(client);
        await using var check = app.Services.CreateAsyncScope();
        (await check.ServiceProvider.GetRequiredService<KedjaDbContext>().Set<IdentityUserLogin<string>>().CountAsync(l => l.UserId == saraId)).ShouldBe(0);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_session_started_through_one_tenants_provider_does_not_reach_another_tenant_nor_do_its_tokens(string provider)
    {
        var (app, beta) = await StartAsync(provider);
        await using var _ = app;
        await using var __ = beta;
        var client = app.CreateClient(new() { AllowAutoRedirect = false });
        var answers = await BetaSignInAsync(client, beta, "dan@gamma.example", "dan-sub", "dan@gamma.example");
        answers[^1].RequestMessage!.RequestUri!.AbsolutePath.ShouldNotBe("/inloggning/misslyckades");
        (await client.GetAsync("/k/" + Beta)).StatusCode.ShouldBe(HttpStatusCode.OK);

        // Alfa's administrator then gives the same account (dan@gamma.example) a role by hand, as for a password account.
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var danId = (await scope.ServiceProvider.GetRequiredService<UserManager<KedjaUser>>().FindByEmailAsync("dan@gamma.example"))!.Id;
            var (alfaScope, alfaDb) = app.DbFor(Alfa);
            using (alfaScope)
            {
                alfaDb.Memberships.Add(new TenantMembership { UserId = danId, Role = TenantRole.Admin });
                await alfaDb.SaveChangesAsync();
            }
        }

        // Beta's provider vouched for Dan to Beta; what Alfa lets the account do is not its to give.
        var alfa = await client.GetAsync("/k/" + Alfa);
        alfa.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await alfa.Content.ReadAsStringAsync()).ShouldContain("annan kommuns inloggning");

        // A token made in that session carries where it came from, and is held to the same rule.
        var token = await TokenAsync(client);
        var api = app.CreateClient();
        api.DefaultRequestHeaders.Authorization = new("Bearer", token);
        (await api.GetAsync("/api/v1/tenants/" + Beta + "/units")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await api.GetAsync("/api/v1/tenants/" + Alfa + "/units")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_name_from_the_provider_with_control_characters_still_signs_in_and_is_stored_clean(string provider)
    {
        var (app, beta) = await StartAsync(provider);
        await using var _ = app;
        await using var __ = beta;
        var client = app.CreateClient(new() { AllowAutoRedirect = false });
        var request = await SsoSetup.StartAsync(client, "eva@gamma.example");
        var claims = beta.Claims(BetaClient, request["nonce"], "eva-sub", "eva@gamma.example", "beta-lasare");
        // A person may edit their own name at many providers; PostgreSQL cannot store NUL at all.
        claims["name"] = "Eva\0 Ek\r\nBcc: x@example.org" + new string('a', 500);
        var answers = await SsoSetup.ReturnAsync(client, SsoSetup.CallbackPath(request), beta.Code(beta.Sign(claims)), request["state"]);
        answers.ShouldAllBe(a => a.StatusCode != HttpStatusCode.InternalServerError, string.Join(" → ", answers.Select(a => $"{a.RequestMessage!.RequestUri!.PathAndQuery} {(int)a.StatusCode}")));
        answers[^1].RequestMessage!.RequestUri!.AbsolutePath.ShouldBe("/k/" + Beta, string.Join(" → ", answers.Select(a => $"{a.RequestMessage!.RequestUri!.PathAndQuery} {(int)a.StatusCode}")));

        await using var scope = app.Services.CreateAsyncScope();
        var user = await scope.ServiceProvider.GetRequiredService<UserManager<KedjaUser>>().FindByEmailAsync("eva@gamma.example");
        user.ShouldNotBeNull();
        user.DisplayName.ShouldNotBeNull();
        user.DisplayName.ShouldStartWith("Eva  Ek  Bcc: x@example.org");
        user.DisplayName.Length.ShouldBeLessThanOrEqualTo(200);
        user.DisplayName.ShouldNotContain(c => char.IsControl(c));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_address_typed_with_the_domains_own_letters_finds_the_municipality_stored_in_punycode(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, settings: SsoSetup.Settings);
        await using var beta = await ForgedProvider.StartAsync();
        await SsoSetup.CreateTenantAsync(app, Beta);
        await SsoSetup.ConfigureAsync(app, Beta, beta.Issuer, BetaClient, null, "xn--hbo-ula.example", ("beta-lasare", TenantRole.Reader, null));
        var client = app.CreateClient(new() { AllowAutoRedirect = false });

        foreach (var typed in new[] { "eva@xn--hbo-ula.example", "eva@håbo.example", "eva@HÅBO.example" })
        {
            var answer = await SsoSetup.SubmitEmailAsync(client, typed);
            answer.StatusCode.ShouldBe(HttpStatusCode.Redirect, typed);
            answer.Headers.Location!.ToString().ShouldStartWith("/inloggning/oidc/" + Beta + "/vidare", customMessage: typed);
        }
    }

    private static async Task<string> TokenAsync(HttpClient client)
    {
        var form = new Dictionary<string, string> { ["__RequestVerificationToken"] = await SsoSetup.AntiforgeryAsync(client, "/profil"), ["namn"] = "test", ["dagar"] = "5" };
        var page = await client.PostAsync("/profil?handler=Token", new FormUrlEncodedContent(form));
        var html = await page.Content.ReadAsStringAsync();
        page.StatusCode.ShouldBe(HttpStatusCode.OK, html);
        var match = System.Text.RegularExpressions.Regex.Match(html, "<code class=\"secret\">([^<]+)</code>");
        match.Success.ShouldBeTrue(html);
        return System.Net.WebUtility.HtmlDecode(match.Groups[1].Value);
    }
}
