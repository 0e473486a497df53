using System.Net;
using System.Net.Http.Json;
using Kedja.Data;
using Kedja.Web.Auth;
using Microsoft.AspNetCore.Identity;

namespace Kedja.Web.Tests;

/// <summary>Kedja's password rules (ADR 11): not built on the e-mail, not a known password, å, ä and ö are letters.</summary>
public class PasswordPolicyTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Passwords_built_on_the_email_or_from_the_known_list_are_refused_and_swedish_letters_count_as_letters(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var admin = await app.ClientAsync();
        const string email = "anna.larsson@example.se";
        (await admin.PostAsJsonAsync("/api/v1/tenants/exempelkommun/members", new { email, role = "reader" })).StatusCode.ShouldBe(HttpStatusCode.Created);
        var secret = KedjaApp.LinkSecret((await app.WaitForMailsAsync(email)).Single());

        var refused = new Dictionary<string, string>
        {
            ["anna.larsson"] = "får inte innehålla din e-postadress",
            ["Anna.Larsson-2026"] = "får inte innehålla din e-postadress",
            ["mitt-LARSSON-kalas-9"] = "får inte innehålla din e-postadress",
            ["Sommar2026!!"] = "för vanligt",
            ["Qwerty123456"] = "för vanligt",
            ["Lösenord-2026"] = "för vanligt",
            [KnownPasswords.Demo] = "för vanligt",
            ["ÅÄÖÅÄÖÅÄÖÅÄÖ"] = "minst en bokstav (å, ä och ö räknas) och minst ett tecken som inte är en bokstav",
            ["kort-1"] = "minst 12 tecken",
            ["Som-mar-2026!"] = "för vanligt",
            ["aaaaaaaaaaa1"] = "minst 5 olika tecken",
            ["a           "] = "minst 5 olika tecken",
        };
        foreach (var (password, message) in refused)
        {
            var response = await app.CreateClient().PostAsJsonAsync("/api/v1/auth/password/set", new { secret, newPassword = password });
            response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, password);
            (await response.Content.ReadAsStringAsync()).ShouldContain(message, Case.Sensitive, password);
        }

        // Only Swedish letters and signs: Identity's ASCII rules would refuse it for lacking a-z and A-Z.
        const string swedish = "ÅÄÖ-äöå-åäö-12";
        (await app.CreateClient().PostAsJsonAsync("/api/v1/auth/password/set", new { secret, newPassword = swedish })).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await app.CreateClient().PostAsJsonAsync("/api/v1/auth/tokens", new { email, password = swedish })).StatusCode.ShouldBe(HttpStatusCode.OK);

        // The same password with å, ä and ö typed as a letter and a combining mark signs in too.
        var decomposed = swedish.Normalize(System.Text.NormalizationForm.FormD);
        decomposed.ShouldNotBe(swedish);
        (await app.CreateClient().PostAsJsonAsync("/api/v1/auth/tokens", new { email, password = decomposed })).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_demo_password_is_refused_in_production_and_works_in_development(string provider)
    {
        await DemoPassword(provider, "Production", accepted: false);
        await DemoPassword(provider, "Development", accepted: true);
    }

    private static async Task DemoPassword(string provider, string environment, bool accepted)
    {
        await using var app = await KedjaApp.StartAsync(provider, environment: environment);
        using var scope = app.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<KedjaUser>>();
        var user = new KedjaUser { UserName = "admin@exempelkommun.se", Email = "admin@exempelkommun.se" };
        var errors = new List<IdentityError>();
        foreach (var validator in users.PasswordValidators)
        {
            errors.AddRange((await validator.ValidateAsync(users, user, KnownPasswords.Demo)).Errors);
        }

        errors.Count.ShouldBe(accepted ? 0 : 1);
        if (!accepted)
        {
            errors.Single().Description.ShouldBe("Lösenordet är för vanligt och gissas lätt. Välj ett annat.");

            // Nor the same words written another way.
            foreach (var variant in new[] { "KedjaDemo2026!", "Kedja demo 2026!", "Kedja_Demo_2026" })
            {
                var refusals = new List<IdentityError>();
                foreach (var validator in users.PasswordValidators)
                {
                    refusals.AddRange((await validator.ValidateAsync(users, user, variant)).Errors);
                }

                refusals.ShouldContain(e => e.Description.Contains("för vanligt"), variant);
            }
        }
    }
}
