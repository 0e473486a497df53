using System.Net;
using Kedja.Data;
using Kedja.Domain.Tenancy;
using Kedja.Web.Auth;
using Kedja.Web.Demo;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Tests.Security;

/// <summary>
/// ADR 55: readable security events for system administrators, and the ASVS 4.0.3 level-2 controls of a person's own
/// account (show password 2.1.12, strength meter 2.1.8, own data export 8.3.2, sign-out).
/// </summary>
public sealed class OwnAccountTests
{
    private const string Sqlite = nameof(DatabaseProvider.Sqlite);

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Security_events_show_their_details_as_labelled_swedish_values_with_hostile_text_encoded(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var (email, password) = await app.MemberAsync(DemoTenant.Slug, TenantRole.Reader);
        var reader = await AsvsGapTests.SignedInAsync(app, email, password);
        (await reader.GetAsync("/drift")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        // An entry whose values a visitor chose (a route, an unknown key) must reach the page as text, never as markup.
        using (var scope = app.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<KedjaDbContext>();
            db.AuditEntries.Add(AccountAudit.Entry(AccessRefusals.Entity, "x", AccessRefusals.Action, "angripare@example.se", app.Clock.GetUtcNow(),
                details: new { route = "<script>alert(1)</script>", tenant = DemoTenant.Slug, okändNyckel = "<b>fet</b>", mustEnrol = true }));
            await db.SaveChangesAsync();
        }

        var admin = await AsvsGapTests.SignedInAsync(app, KedjaApp.AdminEmail, KedjaApp.AdminPassword);
        var page = await admin.GetStringAsync("/drift");
        var events = page[page.IndexOf("id=\"sakerhet\"", StringComparison.Ordinal)..];
        events.ShouldNotContain("{\"");
        events.ShouldNotContain("{&quot;");
        events.ShouldContain("<dt>Metod:</dt> <dd>GET</dd>");
        events.ShouldMatch("<dt>Sökväg:</dt> <dd>/?drift</dd>"); // the route template, never the query string
        events.ShouldContain($"<dt>Kommun:</dt> <dd>{DemoTenant.Slug}</dd>");
        events.ShouldContain("<dt>Adress:</dt> <dd>");
        events.ShouldContain("<dt>Måste skaffa tvåstegsverifiering:</dt> <dd>ja</dd>");
        events.ShouldContain("<dt>okändNyckel:</dt>");
        events.ShouldNotContain("<script>alert(1)");
        events.ShouldNotContain("<b>fet</b>");
        events.ShouldContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    }

    [Fact]
    public async Task The_own_script_is_served_as_utf8_javascript_and_every_page_names_the_show_password_label()
    {
        await using var app = await KedjaApp.StartAsync(Sqlite);
        var script = await app.CreateClient().GetAsync("/js/kedja.js");
        script.StatusCode.ShouldBe(HttpStatusCode.OK);
        script.Content.Headers.ContentType!.ToString().ShouldBe("text/javascript; charset=utf-8");
        var signIn = await app.CreateClient().GetStringAsync("/logga-in");
        signIn.ShouldMatch("<script src=\"/js/kedja.js\\?v=[^\"]+\" defer></script>");
        signIn.ShouldContain("data-show-password=\"Visa lösenord\"");
    }
}
