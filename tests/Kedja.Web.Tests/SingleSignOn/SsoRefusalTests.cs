using System.Net;
using Kedja.Data;
using Kedja.Domain.Organisation;
using Kedja.Domain.Tenancy;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kedja.Web.Tests.SingleSignOn;

/// <summary>
/// The answers an attacker (or a broken provider) could send back to the app's callback, through the real OpenID
/// Connect handler: each is refused with the Swedish "try again" page, audited, and leaves no Kedja session (issue 14).
/// The provider is forged in the test so that it can mint the bad tokens; a correct token from it signs in, so each
/// refusal is the token's fault and not the harness's.
/// </summary>
public sealed class SsoRefusalTests
{
    private const string Alfa = "alfa";
    private const string Beta = "beta";
    private const string AlfaClient = "kedja-alfa";
    private const string BetaClient = "kedja-beta";

    private sealed record Setup(KedjaApp App, ForgedProvider Alfa, ForgedProvider Beta) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await App.DisposeAsync();
            await Alfa.DisposeAsync();
            await Beta.DisposeAsync();
        }
    }

    private static async Task<Setup> StartAsync(string provider)
    {
        var app = await KedjaApp.StartAsync(provider, settings: SsoSetup.Settings);
        var alfa = await ForgedProvider.StartAsync();
        var beta = await ForgedProvider.StartAsync();
        await SsoSetup.CreateTenantAsync(app, Alfa);
        await SsoSetup.CreateTenantAsync(app, Beta);
        await SsoSetup.ConfigureAsync(app, Alfa, alfa.Issuer, AlfaClient, "alfa-secret", "alfa.example", ("alfa-redaktorer", TenantRole.Editor, null));
        await SsoSetup.ConfigureAsync(app, Beta, beta.Issuer, BetaClient, null, "beta.example", ("beta-lasare", TenantRole.Reader, null));
        return new Setup(app, alfa, beta);
    }

    private static HttpClient Browser(KedjaApp app) => app.CreateClient(new() { AllowAutoRedirect = false });

    /// <summary>Starts a sign-in at Alfa and answers it with the token <paramref name="mint"/> makes from the request's nonce.</summary>
    private static async Task<List<HttpResponseMessage>> SignInAsync(HttpClient client, ForgedProvider provider, string email, Func<Dictionary<string, string>, string> mint)
    {
        var request = await SsoSetup.StartAsync(client, email, back: "/k/" + Alfa);
        request["client_id"].ShouldBe(AlfaClient);
        request.GetValueOrDefault("response_mode", "query").ShouldBe("query", "the answer comes as a top-level GET");
        request["code_challenge_method"].ShouldBe("S256");
        return await SsoSetup.ReturnAsync(client, SsoSetup.CallbackPath(request), provider.Code(mint(request)), request["state"]);
    }

    private static async Task ShouldBeRefusedAsync(Setup setup, HttpClient client, List<HttpResponseMessage> answers, int refusalsBefore, int accounts = 0)
    {
        answers.ShouldAllBe(a => a.StatusCode != HttpStatusCode.InternalServerError);
        answers[0].StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (answers[0].Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies : []).ShouldNotContain(c => c.StartsWith("kedja=", StringComparison.Ordinal) && !c.StartsWith("kedja=;", StringComparison.Ordinal));
        var last = answers[^1];
        last.StatusCode.ShouldBe(HttpStatusCode.OK);
        last.RequestMessage!.RequestUri!.AbsolutePath.ShouldBe("/inloggning/misslyckades");
        var page = await last.Content.ReadAsStringAsync();
        page.ShouldContain("Inloggningen misslyckades, försök igen.");
        page.ShouldContain("Har du ett eget lösenord i Kedja, till exempel som systemadministratör?", Case.Sensitive, "the way out for an administrator sent to the provider by the domain");
        page.ShouldNotContain("Exception", Case.Sensitive);
        System.Text.RegularExpressions.Regex.IsMatch(page, @"\bIDX\d{5}").ShouldBeFalse("no IdentityModel error code is shown");
        await SsoSetup.ShouldNotBeSignedInAsync(client);
        (await SsoSetup.AuditCountAsync(setup.App, "SsoRefused")).ShouldBe(refusalsBefore + 1);
        await using var scope = setup.App.Services.CreateAsyncScope();
        (await scope.ServiceProvider.GetRequiredService<KedjaDbContext>().Users.CountAsync(u => u.Email!.EndsWith("@alfa.example"))).ShouldBe(accounts, "no account was made");
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_correct_token_from_the_tenants_provider_signs_in_a_new_person_with_the_role_of_their_group(string provider)
    {
        await using var setup = await StartAsync(provider);
        var client = Browser(setup.App);
        var answers = await SignInAsync(client, setup.Alfa, "eva@alfa.example",
            r => setup.Alfa.Sign(setup.Alfa.Claims(AlfaClient, r["nonce"], "eva-sub", "eva@alfa.example", "alfa-redaktorer", "okand-grupp")));
        answers.ShouldAllBe(a => a.StatusCode != HttpStatusCode.InternalServerError);
        answers[^1].RequestMessage!.RequestUri!.AbsolutePath.ShouldBe("/k/" + Alfa, await answers[^1].Content.ReadAsStringAsync());
        answers[^1].StatusCode.ShouldBe(HttpStatusCode.OK);
        var profile = await client.GetAsync("/profil");
        profile.StatusCode.ShouldBe(HttpStatusCode.OK);
        var profilePage = await profile.Content.ReadAsStringAsync();
        profilePage.ShouldContain("har inget lösenord i Kedja", Case.Sensitive, "no password form for someone who has no password");
        profilePage.ShouldNotContain("name=\"nuvarande\"");

        var (scope, db) = setup.App.DbFor(Alfa);
        using (scope)
        {
            var user = await db.Users.SingleAsync(u => u.Email == "eva@alfa.example");
            user.PasswordHash.ShouldBeNull("no Kedja password");
            var membership = await db.Memberships.SingleAsync(m => m.UserId == user.Id);
            (membership.Role, membership.Source, membership.UnitId).ShouldBe((TenantRole.Editor, MembershipSource.Sso, (Guid?)null));
            var link = await db.Set<IdentityUserLogin<string>>().SingleAsync(l => l.UserId == user.Id);
            (link.LoginProvider, link.ProviderKey, link.ProviderDisplayName).ShouldBe(("oidc:alfa", "eva-sub", setup.Alfa.Issuer));
            (await db.AuditEntries.CountAsync(a => a.Action == "SsoRoleGiven" && a.EntityId == membership.Id.ToString())).ShouldBe(1);
            (await db.AuditEntries.IgnoreQueryFilters().CountAsync(a => a.Action == "SignedIn" && a.EntityId == user.Id && a.After!.Contains("oidc"))).ShouldBe(1);
        }

        // The same person again, found by (issuer, sub) even with another address in the token.
        var again = Browser(setup.App);
        var second = await SignInAsync(again, setup.Alfa, "eva@alfa.example",
            r => setup.Alfa.Sign(setup.Alfa.Claims(AlfaClient, r["nonce"], "eva-sub", "eva.ny@alfa.example", "alfa-redaktorer")));
        second[^1].RequestMessage!.RequestUri!.AbsolutePath.ShouldBe("/k/" + Alfa);
        await using var check = setup.App.Services.CreateAsyncScope();
        (await check.ServiceProvider.GetRequiredService<KedjaDbContext>().Users.CountAsync(u => u.Email!.EndsWith("@alfa.example"))).ShouldBe(1);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_trail_tells_a_token_without_groups_from_one_whose_groups_are_not_mapped(string provider)
    {
        await using var setup = await StartAsync(provider);
        var none = await SignInAsync(Browser(setup.App), setup.Alfa, "eva@alfa.example",
            r => setup.Alfa.Sign(setup.Alfa.Claims(AlfaClient, r["nonce"], "eva-sub", "eva@alfa.example")));
        none[^1].RequestMessage!.RequestUri!.Query.ShouldContain("orsak=behorighet");
        var unmapped = await SignInAsync(Browser(setup.App), setup.Alfa, "eva@alfa.example",
            r => setup.Alfa.Sign(setup.Alfa.Claims(AlfaClient, r["nonce"], "eva-sub", "eva@alfa.example", "okand-grupp")));
        unmapped[^1].RequestMessage!.RequestUri!.Query.ShouldContain("orsak=behorighet");

        using var scope = setup.App.Services.CreateScope();
        var reasons = await scope.ServiceProvider.GetRequiredService<KedjaDbContext>().AuditEntries.IgnoreQueryFilters()
            .Where(a => a.Action == "SsoRefused").OrderBy(a => a.Id).Select(a => a.After!).ToListAsync();
        reasons.Count.ShouldBe(2);
        reasons[0].ShouldContain("no groups in the token (claim groups)", Case.Sensitive, "a scope or claim setting is missing, not a mapping");
        reasons[1].ShouldContain("no mapped group");
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_token_from_the_wrong_issuer_is_refused(string provider)
    {
        await using var setup = await StartAsync(provider);
        var client = Browser(setup.App);
        var answers = await SignInAsync(client, setup.Alfa, "eva@alfa.example", r =>
        {
            var claims = setup.Alfa.Claims(AlfaClient, r["nonce"], "eva-sub", "eva@alfa.example", "alfa-redaktorer");
            claims["iss"] = setup.Beta.Issuer;
            return setup.Alfa.Sign(claims);
        });
        setup.Alfa.TokenRequests.ShouldBe(1);
        await ShouldBeRefusedAsync(setup, client, answers, 0);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_token_for_another_audience_is_refused(string provider)
    {
        await using var setup = await StartAsync(provider);
        var client = Browser(setup.App);
        var answers = await SignInAsync(client, setup.Alfa, "eva@alfa.example",
            r => setup.Alfa.Sign(setup.Alfa.Claims(BetaClient, r["nonce"], "eva-sub", "eva@alfa.example", "alfa-redaktorer")));
        await ShouldBeRefusedAsync(setup, client, answers, 0);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_token_replayed_into_a_later_sign_in_is_refused_for_its_used_nonce(string provider)
    {
        await using var setup = await StartAsync(provider);
        string? first = null;
        var answers = await SignInAsync(Browser(setup.App), setup.Alfa, "eva@alfa.example",
            r => first = setup.Alfa.Sign(setup.Alfa.Claims(AlfaClient, r["nonce"], "eva-sub", "eva@alfa.example", "alfa-redaktorer")));
        answers[^1].RequestMessage!.RequestUri!.AbsolutePath.ShouldBe("/k/" + Alfa, "the token was good the first time");

        var attacker = Browser(setup.App);
        var replayed = await SignInAsync(attacker, setup.Alfa, "eva@alfa.example", r =>
        {
            r["nonce"].ShouldNotBeNullOrEmpty();
            return first!;
        });
        await ShouldBeRefusedAsync(setup, attacker, replayed, 0, accounts: 1);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_unsigned_token_with_alg_none_is_refused(string provider)
    {
        await using var setup = await StartAsync(provider);
        var client = Browser(setup.App);
        var answers = await SignInAsync(client, setup.Alfa, "eva@alfa.example",
            r => ForgedProvider.Unsigned(setup.Alfa.Claims(AlfaClient, r["nonce"], "eva-sub", "eva@alfa.example", "alfa-redaktorer")));
        await ShouldBeRefusedAsync(setup, client, answers, 0);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_expired_token_is_refused_beyond_the_minute_of_clock_skew(string provider)
    {
        await using var setup = await StartAsync(provider);
        var client = Browser(setup.App);
        var answers = await SignInAsync(client, setup.Alfa, "eva@alfa.example", r =>
        {
            var claims = setup.Alfa.Claims(AlfaClient, r["nonce"], "eva-sub", "eva@alfa.example", "alfa-redaktorer");
            var past = DateTimeOffset.UtcNow.AddMinutes(-10).ToUnixTimeSeconds();
            (claims["iat"], claims["nbf"], claims["exp"]) = (past - 300, past - 300, past);
            return setup.Alfa.Sign(claims);
        });
        await ShouldBeRefusedAsync(setup, client, answers, 0);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_token_signed_with_a_key_the_provider_never_published_is_refused(string provider)
    {
        await using var setup = await StartAsync(provider);
        var client = Browser(setup.App);
        var first = await SignInAsync(client, setup.Alfa, "eva@alfa.example",
            r => ForgedProvider.SignedByStranger(setup.Alfa.Claims(AlfaClient, r["nonce"], "eva-sub", "eva@alfa.example", "alfa-redaktorer")));
        await SsoSetup.ShouldNotBeSignedInAsync(client);

        // An unknown key is asked for once more at the provider (it may have rotated its keys); the same forgery again ends it.
        var retry = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(first[^1].Headers.Location!.Query).ToDictionary(p => p.Key, p => p.Value.ToString());
        var answers = await SsoSetup.ReturnAsync(client, SsoSetup.CallbackPath(retry),
            setup.Alfa.Code(ForgedProvider.SignedByStranger(setup.Alfa.Claims(AlfaClient, retry["nonce"], "eva-sub", "eva@alfa.example", "alfa-redaktorer"))), retry["state"]);
        await ShouldBeRefusedAsync(setup, client, answers, 1);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Another_tenants_provider_answer_brought_to_this_tenants_callback_is_refused(string provider)
    {
        await using var setup = await StartAsync(provider);
        var client = Browser(setup.App);
        // A sign-in started at Beta, whose correct answer (Beta's state, Beta's token) is delivered to Alfa's callback.
        var request = await SsoSetup.StartAsync(client, "bo@beta.example");
        request["client_id"].ShouldBe(BetaClient);
        var code = setup.Beta.Code(setup.Beta.Sign(setup.Beta.Claims(BetaClient, request["nonce"], "bo-sub", "bo@beta.example", "beta-lasare")));
        var answers = await SsoSetup.ReturnAsync(client, "/inloggning/oidc/" + Alfa, code, request["state"]);
        await ShouldBeRefusedAsync(setup, client, answers, 0);
        setup.Beta.TokenRequests.ShouldBe(0, "the code was never redeemed");

        // And Beta's token inside Alfa's own sign-in: Beta's issuer and key are not Alfa's.
        var inside = await SignInAsync(client, setup.Alfa, "eva@alfa.example",
            r => setup.Beta.Sign(setup.Beta.Claims(AlfaClient, r["nonce"], "eva-sub", "eva@alfa.example", "alfa-redaktorer")));
        await ShouldBeRefusedAsync(setup, client, inside, 1);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_provider_never_reaches_another_tenants_member_nor_a_system_administrator_by_e_mail(string provider)
    {
        await using var setup = await StartAsync(provider);
        // Anna is a member of Alfa (given by hand); Beta's provider vouches for "anna@alfa.example" with a group Beta maps.
        string annaId;
        await using (var scope = setup.App.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<KedjaUser>>();
            var anna = new KedjaUser { UserName = "anna@alfa.example", Email = "anna@alfa.example", EmailConfirmed = true };
            (await users.CreateAsync(anna, "Member-password-1")).Succeeded.ShouldBeTrue();
            annaId = anna.Id;
        }

        var (alfaScope, alfaDb) = setup.App.DbFor(Alfa);
        using (alfaScope)
        {
            alfaDb.Memberships.Add(new TenantMembership { UserId = annaId, Role = TenantRole.Admin });
            await alfaDb.SaveChangesAsync();
        }

        var client = Browser(setup.App);
        var request = await SsoSetup.StartAsync(client, "bo@beta.example");
        var code = setup.Beta.Code(setup.Beta.Sign(setup.Beta.Claims(BetaClient, request["nonce"], "anna-sub", "anna@alfa.example", "beta-lasare")));
        var answers = await SsoSetup.ReturnAsync(client, SsoSetup.CallbackPath(request), code, request["state"]);
        answers[^1].RequestMessage!.RequestUri!.AbsolutePath.ShouldBe("/inloggning/misslyckades");
        await SsoSetup.ShouldNotBeSignedInAsync(client);

        // The system administrator's address, in Alfa's own domain, through Alfa's own provider.
        await using (var scope = setup.App.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<KedjaDbContext>();
            await db.Users.Where(u => u.Id == annaId).ExecuteUpdateAsync(u => u.SetProperty(x => x.IsSystemAdmin, true));
        }

        var admin = await SignInAsync(client, setup.Alfa, "anna@alfa.example",
            r => setup.Alfa.Sign(setup.Alfa.Claims(AlfaClient, r["nonce"], "anna-alfa-sub", "anna@alfa.example", "alfa-redaktorer")));
        admin[^1].RequestMessage!.RequestUri!.AbsolutePath.ShouldBe("/inloggning/misslyckades");
        (await admin[^1].Content.ReadAsStringAsync()).ShouldContain("Skriv det tillsammans med e-postadressen på inloggningssidan", Case.Sensitive, "the administrator learns the way in");
        await SsoSetup.ShouldNotBeSignedInAsync(client);

        await using var check = setup.App.Services.CreateAsyncScope();
        var checkDb = check.ServiceProvider.GetRequiredService<KedjaDbContext>();
        (await checkDb.Set<IdentityUserLogin<string>>().CountAsync(l => l.UserId == annaId)).ShouldBe(0, "no provider was linked to Anna");
        (await checkDb.Memberships.IgnoreQueryFilters().Where(m => m.UserId == annaId).Select(m => m.Role).ToListAsync()).ShouldBe([TenantRole.Admin]);
        (await SsoSetup.AuditCountAsync(setup.App, "SsoRefused")).ShouldBe(2);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_rotated_signing_key_is_picked_up_from_the_metadata_at_the_next_sign_in(string provider)
    {
        await using var setup = await StartAsync(provider);
        var before = await SignInAsync(Browser(setup.App), setup.Alfa, "eva@alfa.example",
            r => setup.Alfa.Sign(setup.Alfa.Claims(AlfaClient, r["nonce"], "eva-sub", "eva@alfa.example", "alfa-redaktorer")));
        before[^1].RequestMessage!.RequestUri!.AbsolutePath.ShouldBe("/k/" + Alfa);

        // The provider signs with a new key at once. The first token signed with it finds the key unknown; the handler
        // reads the metadata again (RefreshOnIssuerKeyNotFound) and the app starts the sign-in once more by itself, which
        // the provider's own session makes invisible to the person. The second token holds.
        setup.Alfa.RotateKey();
        var client = Browser(setup.App);
        var first = await SignInAsync(client, setup.Alfa, "eva@alfa.example",
            r => setup.Alfa.Sign(setup.Alfa.Claims(AlfaClient, r["nonce"], "eva-sub", "eva@alfa.example", "alfa-redaktorer")));
        var again = first[^1].Headers.Location.ShouldNotBeNull();
        again.ToString().ShouldStartWith(setup.Alfa.Issuer + "/authorize", customMessage: "started again at the provider");
        var request = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(again.Query).ToDictionary(p => p.Key, p => p.Value.ToString());
        request["login_hint"].ShouldBe("eva@alfa.example");
        var second = await SsoSetup.ReturnAsync(client, SsoSetup.CallbackPath(request),
            setup.Alfa.Code(setup.Alfa.Sign(setup.Alfa.Claims(AlfaClient, request["nonce"], "eva-sub", "eva@alfa.example", "alfa-redaktorer"))), request["state"]);
        second[^1].RequestMessage!.RequestUri!.AbsolutePath.ShouldBe("/k/" + Alfa, "signed with the new key, published after the app read the metadata");

        // A key that is never published: the one retry is refused too, and the person gets the "try again" page.
        var stranger = Browser(setup.App);
        var refused = await SignInAsync(stranger, setup.Alfa, "eva@alfa.example",
            r => ForgedProvider.SignedByStranger(setup.Alfa.Claims(AlfaClient, r["nonce"], "eva-sub", "eva@alfa.example", "alfa-redaktorer")));
        var retry = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(refused[^1].Headers.Location!.Query).ToDictionary(p => p.Key, p => p.Value.ToString());
        var last = await SsoSetup.ReturnAsync(stranger, SsoSetup.CallbackPath(retry),
            setup.Alfa.Code(ForgedProvider.SignedByStranger(setup.Alfa.Claims(AlfaClient, retry["nonce"], "eva-sub", "eva@alfa.example", "alfa-redaktorer"))), retry["state"]);
        last[^1].RequestMessage!.RequestUri!.AbsolutePath.ShouldBe("/inloggning/misslyckades");
        await SsoSetup.ShouldNotBeSignedInAsync(stranger);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_provider_changed_in_the_database_by_another_node_takes_effect_at_the_next_sign_in(string provider)
    {
        await using var setup = await StartAsync(provider);
        (await SsoSetup.StartAsync(Browser(setup.App), "eva@alfa.example"))["client_id"].ShouldBe(AlfaClient);

        await SsoSetup.ChangeProviderAsync(setup.App, Alfa, p => p.ClientId = "kedja-alfa-ny");
        (await SsoSetup.StartAsync(Browser(setup.App), "eva@alfa.example"))["client_id"].ShouldBe("kedja-alfa-ny");

        // Turned off: the address gets the password form, and the callback is no longer the handler's.
        await SsoSetup.ChangeProviderAsync(setup.App, Alfa, p => p.Enabled = false);
        var client = Browser(setup.App);
        var answer = await SsoSetup.SubmitEmailAsync(client, "eva@alfa.example");
        answer.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await answer.Content.ReadAsStringAsync()).ShouldContain("Skriv ditt lösenord.");
        var callback = await client.GetAsync("/inloggning/oidc/alfa?code=x&state=y");
        callback.Headers.Location?.ToString().ShouldNotContain("misslyckades");
        (await SsoSetup.AuditCountAsync(setup.App, "SsoRefused")).ShouldBe(0, "no handler looked at the answer");
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_provider_that_cannot_be_reached_gives_the_swedish_page_and_no_error(string provider)
    {
        await using var setup = await StartAsync(provider);
        await SsoSetup.ChangeProviderAsync(setup.App, Alfa, p => p.Authority = "http://127.0.0.1:1");
        var client = Browser(setup.App);
        var answer = await SsoSetup.SubmitEmailAsync(client, "eva@alfa.example");
        var answers = await SsoSetup.FollowAsync(client, answer.Headers.Location!.ToString().Replace("/vidare", "/start", StringComparison.Ordinal));
        answers.ShouldAllBe(a => a.StatusCode != HttpStatusCode.InternalServerError);
        answers[^1].RequestMessage!.RequestUri!.AbsolutePath.ShouldBe("/inloggning/misslyckades");
        (await answers[^1].Content.ReadAsStringAsync()).ShouldContain("Inloggningen misslyckades, försök igen.");
        (await SsoSetup.AuditCountAsync(setup.App, "SsoRefused")).ShouldBe(1);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_tenant_without_local_passwords_admits_only_sessions_from_its_own_provider(string provider)
    {
        await using var setup = await StartAsync(provider);
        var (email, password) = await setup.App.MemberAsync(Alfa, TenantRole.Editor);
        await using (var scope = setup.App.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<KedjaDbContext>();
            await db.Tenants.Where(t => t.Slug == Alfa).ExecuteUpdateAsync(t => t.SetProperty(x => x.LocalPasswords, false));
        }

        var withPassword = Browser(setup.App);
        (await SsoSetup.SubmitEmailAsync(withPassword, email, password: password)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var refused = await withPassword.GetAsync("/k/" + Alfa);
        refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await refused.Content.ReadAsStringAsync()).ShouldContain("Kommunen kräver att du loggar in via kommunens inloggning.");
        (await withPassword.GetAsync("/k/" + Beta)).StatusCode.ShouldBe(HttpStatusCode.NotFound, "not a member there either");

        // A token made with the password is refused as the password session is; one made by the operator's verb is not.
        var passwordToken = await setup.App.ClientAsync(email, password);
        (await passwordToken.GetAsync($"/api/v1/tenants/{Alfa}/units")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        await using (var scope = setup.App.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<KedjaUser>>();
            var (secret, _) = await scope.ServiceProvider.GetRequiredService<Kedja.Web.Auth.AccessTokens>()
                .CreateAsync((await users.FindByEmailAsync(email))!, "drift", 1, "test", Kedja.Web.Auth.CookieSignIn.OperatorMethod);
            var operatorToken = setup.App.CreateClient();
            operatorToken.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", secret);
            (await operatorToken.GetAsync($"/api/v1/tenants/{Alfa}/units")).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        // A system administrator keeps the password.
        var admin = Browser(setup.App);
        (await SsoSetup.SubmitEmailAsync(admin, KedjaApp.AdminEmail, password: KedjaApp.AdminPassword)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await admin.GetAsync("/k/" + Alfa)).StatusCode.ShouldBe(HttpStatusCode.OK);

        // Through Alfa's provider, the same tenant opens.
        var client = Browser(setup.App);
        var answers = await SignInAsync(client, setup.Alfa, "eva@alfa.example",
            r => setup.Alfa.Sign(setup.Alfa.Claims(AlfaClient, r["nonce"], "eva-sub", "eva@alfa.example", "alfa-redaktorer")));
        answers[^1].StatusCode.ShouldBe(HttpStatusCode.OK);
        answers[^1].RequestMessage!.RequestUri!.AbsolutePath.ShouldBe("/k/" + Alfa);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Several_groups_give_the_highest_role_for_the_lowest_unit_above_all_its_units(string provider)
    {
        await using var setup = await StartAsync(provider);
        var (scope, db) = setup.App.DbFor(Alfa);
        using (scope)
        {
            var top = new OrgUnit { Name = "Kommunen", Kind = UnitKind.Council };
            var parent = new OrgUnit { Name = "Förvaltningen", Kind = UnitKind.Administration, ParentId = top.Id };
            var children = new List<OrgUnit>
            {
                new() { Name = "Enhet 1", Kind = UnitKind.Unit, ParentId = parent.Id },
                new() { Name = "Enhet 2", Kind = UnitKind.Unit, ParentId = parent.Id },
            };
            db.Units.AddRange([top, parent, .. children]);
            await db.SaveChangesAsync();
            var signIn = scope.ServiceProvider.GetRequiredService<Kedja.Web.SingleSignOn.ExternalSignIn>();
            db.GroupMappings.AddRange(
                new TenantGroupMapping { Group = "g1", Role = TenantRole.Admin, UnitId = children[0].Id },
                new TenantGroupMapping { Group = "g2", Role = TenantRole.Admin, UnitId = children[1].Id },
                new TenantGroupMapping { Group = "g3", Role = TenantRole.Reader, UnitId = null },
                new TenantGroupMapping { Group = "g4", Role = TenantRole.Editor, UnitId = children[0].Id });
            await db.SaveChangesAsync();
            var tenantId = db.Scope.TenantId!.Value;
            (await signIn.GrantedAsync(tenantId, new HashSet<string> { "g1", "g2", "g3" })).ShouldBe((TenantRole.Admin, (Guid?)parent.Id));
            (await signIn.GrantedAsync(tenantId, new HashSet<string> { "g1", "g3", "g4" })).ShouldBe((TenantRole.Admin, (Guid?)children[0].Id), "the reader's whole municipality does not widen the administrator's unit");
            (await signIn.GrantedAsync(tenantId, new HashSet<string> { "g3", "okand" })).ShouldBe((TenantRole.Reader, (Guid?)null));
            (await signIn.GrantedAsync(tenantId, new HashSet<string> { "G1", "okand" })).ShouldBeNull("groups are compared exactly");
        }
    }
}
