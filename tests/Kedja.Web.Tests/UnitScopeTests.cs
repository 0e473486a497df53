using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Kedja.Domain.Tenancy;
using Kedja.Web.Demo;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Tests;

/// <summary>How often a request reads the organisation to learn where a scoped editor stands.</summary>
public partial class UnitScopeTests
{
    /// <summary>The read of every unit's parent (2,500 rows on a large municipality), whatever the provider quotes.</summary>
    [GeneratedRegex("""^SELECT \S+\."?id"?(?: AS "Id")?, \S+\."?parent_id"?(?: AS "ParentId")?\s+FROM "?org_units"? AS \S+\s+WHERE \S+\."?tenant_id"? = \S+\s*$""")]
    private static partial Regex ParentsRead();

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_scorecard_offering_an_editor_several_workflow_steps_and_a_goal_page_asking_per_indicator_owner_read_the_organisation_once(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        Guid library, parent, goal;
        var (scope, db) = app.DbFor(DemoTenant.Slug);
        using (scope)
        {
            var unit = await db.Units.AsNoTracking().SingleAsync(u => u.Name == "Biblioteket");
            (library, parent) = (unit.Id, unit.ParentId!.Value);
            // The goal page asks once for the goal, once for its activities and once per unit owning one of its indicators.
            goal = await db.Goals.AsNoTracking().Where(g => g.OwnerUnitId == library && db.Indicators.Any(i => i.GoalId == g.Id)).Select(g => g.Id).FirstAsync();
        }

        // Submitted, the unit's follow-up offers the editor above it two steps of their own (approve, reopen), each asked
        // of the workflow, and the card asks again whether they may add a goal there.
        const string period = "2026-T3";
        var unitEditor = await app.MemberClientAsync(DemoTenant.Slug, TenantRole.Editor, library);
        var submitted = await unitEditor.PostAsJsonAsync($"/api/v1/tenants/{DemoTenant.Slug}/units/{library}/periods/{period}/workflow", new { action = "submit", version = 0 });
        submitted.StatusCode.ShouldBe(HttpStatusCode.OK, await submitted.Content.ReadAsStringAsync());
        var editorAbove = await app.MemberClientAsync(DemoTenant.Slug, TenantRole.Editor, parent);
        var card = $"/k/{DemoTenant.Slug}/malkort/{library}?period={period}";
        // The first request fills what every node keeps between requests (the chain's statuses, compiled queries).
        (await editorAbove.GetAsync(card)).StatusCode.ShouldBe(HttpStatusCode.OK);

        var goalPage = $"/k/{DemoTenant.Slug}/mal/{goal}";
        (await editorAbove.GetAsync(goalPage)).StatusCode.ShouldBe(HttpStatusCode.OK);

        using var count = new StatementCount(app);
        async Task<(string Html, List<string> Statements)> ReadAsync(string url)
        {
            count.Statements.Clear();
            count.On = true;
            var html = await editorAbove.GetStringAsync(url);
            count.On = false;
            return (html, [.. count.Statements]);
        }

        var (cardHtml, cardStatements) = await ReadAsync(card);
        cardHtml.ShouldContain("value=\"Approve\"");
        cardHtml.ShouldContain("value=\"Reopen\"");
        cardStatements.Count(s => ParentsRead().IsMatch(s)).ShouldBe(1, string.Join("\n---\n", cardStatements));

        var (_, goalStatements) = await ReadAsync(goalPage);
        goalStatements.Count(s => ParentsRead().IsMatch(s)).ShouldBe(1, string.Join("\n---\n", goalStatements));
        Console.WriteLine($"For an editor above the unit ({provider}): scorecard {cardStatements.Count} statements, goal page {goalStatements.Count}.");
    }
}
