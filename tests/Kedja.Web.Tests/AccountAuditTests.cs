using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kedja.Data;
using Kedja.Web.Auth;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Tests;

public class AccountAuditTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Tokens_accounts_invitations_passwords_failed_sign_ins_and_lock_outs_are_audited_without_secrets(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var secrets = new List<string> { KedjaApp.AdminPassword };
        var admin = await app.ClientAsync();
        secrets.Add(admin.DefaultRequestHeaders.Authorization!.Parameter!);

        var extra = await (await app.CreateClient().PostAsJsonAsync("/api/v1/auth/tokens", new { email = KedjaApp.AdminEmail, password = KedjaApp.AdminPassword, name = "skript" }))
            .Content.ReadFromJsonAsync<TokenResponse>();
        secrets.Add(extra!.Token);
        (await admin.DeleteAsync($"/api/v1/auth/tokens/{extra.Id}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        const string email = "greta.granskad@example.se";
        (await admin.PostAsJsonAsync("/api/v1/tenants/exempelkommun/members", new { email, role = "editor" })).StatusCode.ShouldBe(HttpStatusCode.Created);
        var invitation = KedjaApp.LinkSecret((await app.WaitForMailsAsync(email)).Single());
        const string first = "Forsta-valet-2026";
        const string second = "Andra-valet-2026";
        const string third = "Tredje-valet-2026";
        secrets.AddRange([invitation, first, second, third]);
        (await app.CreateClient().PostAsJsonAsync("/api/v1/auth/password/set", new { secret = invitation, newPassword = first })).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        var greta = await app.ClientAsync(email, first);
        secrets.Add(greta.DefaultRequestHeaders.Authorization!.Parameter!);
        (await greta.PostAsJsonAsync("/api/v1/auth/password", new { currentPassword = first, newPassword = second })).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        (await app.CreateClient().PostAsJsonAsync("/api/v1/auth/password/forgot", new { email })).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var reset = KedjaApp.LinkSecret((await app.WaitForMailsAsync(email, 3)).Single(m => m.Subject == "Nytt lösenord till Kedja"));
        secrets.Add(reset);
        (await app.CreateClient().PostAsJsonAsync("/api/v1/auth/password/set", new { secret = reset, newPassword = third })).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        const string typedByMistake = "Felskrivet-losen-1";
        secrets.Add(typedByMistake);
        (await app.ClientFrom("198.51.100.90").PostAsJsonAsync("/api/v1/auth/tokens", new { email = typedByMistake, password = third })).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        for (var i = 0; i < 10; i++)
        {
            (await app.ClientFrom($"198.51.100.{100 + i}").PostAsJsonAsync("/api/v1/auth/tokens", new { email, password = typedByMistake })).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        }

        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<KedjaDbContext>();
        var tenantId = (await db.Tenants.SingleAsync(t => t.Slug == "exempelkommun")).Id;
        var normalized = email.ToUpperInvariant();
        var gretaId = (await db.Users.SingleAsync(u => u.NormalizedEmail == normalized)).Id;
        var entries = await db.AuditEntries.IgnoreQueryFilters().Where(a => a.Entity == "Account" || a.Entity == "PersonalAccessToken" || a.Entity == "SignIn").ToListAsync();

        entries.Count(a => a.Entity == "PersonalAccessToken" && a.Action == "Created").ShouldBe(3);
        entries.ShouldContain(a => a.Entity == "PersonalAccessToken" && a.EntityId == extra.Id.ToString() && a.Action == "Revoked" && a.TenantId == null);
        entries.ShouldContain(a => a.EntityId == gretaId && a.Action == "Created" && a.TenantId == null && a.After!.Contains(tenantId.ToString()));
        entries.ShouldContain(a => a.EntityId == gretaId && a.Action == "InvitationSent" && a.TenantId == null);
        entries.ShouldContain(a => a.EntityId == gretaId && a.Action == "PasswordSet" && a.TenantId == null);
        entries.ShouldContain(a => a.EntityId == gretaId && a.Action == "PasswordChanged" && a.TenantId == null);
        entries.ShouldContain(a => a.EntityId == gretaId && a.Action == "ResetLinkSent" && a.TenantId == null);
        entries.ShouldContain(a => a.EntityId == gretaId && a.Action == "PasswordReset" && a.TenantId == null);
        entries.ShouldContain(a => a.Entity == "PersonalAccessToken" && a.Action == "Revoked" && a.After!.Contains("PasswordChanged"));
        entries.ShouldContain(a => a.Entity == "SignIn" && a.Action == "SignInFailed" && a.After!.Contains("198.51.100.90"));
        entries.Count(a => a.EntityId == gretaId && a.Action == "SignInFailed").ShouldBe(10);
        entries.ShouldContain(a => a.EntityId == gretaId && a.Action == "LockedOut");

        var everything = await db.AuditEntries.IgnoreQueryFilters().ToListAsync();
        foreach (var entry in everything)
        {
            var text = JsonSerializer.Serialize(entry);
            foreach (var secret in secrets)
            {
                text.ShouldNotContain(secret, Case.Sensitive);
            }

            text.ShouldNotContain("PasswordHash", Case.Insensitive);
            text.ShouldNotContain("SecretHash", Case.Insensitive);
            text.ShouldNotContain("TokenHash", Case.Insensitive);
        }
    }
}
