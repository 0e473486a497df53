using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Kedja.Data;
using Kedja.Domain.InternalControl;
using Kedja.Domain.Tenancy;
using Kedja.Web.Demo;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Tests.InternalControl;

/// <summary>Who may open and post the internal control pages (ADR 46), as PagePermissionTests does for the other pages.</summary>
public class ControlPlanPageTests
{
    private const string Slug = DemoTenant.Slug;

    /// <summary>
    /// A control action of the demo tenant for a page's route: the demo's own when it has one, else one made here in a
    /// plan of <paramref name="committee"/> (texts without Swedish words, for the English page check).
    /// </summary>
    internal static async Task<Guid> SomeControlActionAsync(KedjaDbContext db, Guid committee)
    {
        if (await db.ControlActions.Select(a => (Guid?)a.Id).FirstOrDefaultAsync() is { } existing)
        {
            return existing;
        }

        return await PlanWithActionAsync(db, committee);
    }

    /// <summary>A 2026 plan proposed for <paramref name="committee"/>, which must not have one yet, with one control action; the action's id.</summary>
    internal static async Task<Guid> PlanWithActionAsync(KedjaDbContext db, Guid committee)
    {
        var period = await db.Periods.Where(p => p.Key == "2026-T2").Select(p => p.Id).SingleAsync();
        var plan = new ControlPlan { UnitId = committee, Year = 2026 };
        var action = new ControlAction { PlanId = plan.Id, Title = "Fakturakontroll", Method = "Stickprov", ResponsibleUnitId = committee, PeriodId = period, SortOrder = 1 };
        plan.Actions.Add(action);
        db.ControlPlans.Add(plan);
        await db.SaveChangesAsync();
        return action.Id;
    }

    private static async Task<string> TokenAsync(HttpClient client, string url)
    {
        var html = await client.GetStringAsync(url);
        return Regex.Match(html, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Members_who_see_the_committee_read_its_pages_others_are_not_told_and_only_its_editors_post(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var units = ControlPlanTests.DemoUnits(app);
        Guid action;
        var (scope, db) = app.DbFor(Slug);
        using (scope)
        {
            action = await PlanWithActionAsync(db, units.Committee);
        }

        var admin = await app.ClientAsync();
        (await admin.PostAsJsonAsync("/api/v1/tenants", new { slug = "annan", name = "Annan kommun", template = Templates.ModelTemplates.Heby })).EnsureSuccessStatusCode();
        var committee = await app.MemberClientAsync(Slug, TenantRole.Editor, units.Committee);
        var reader = await app.MemberClientAsync(Slug, TenantRole.Reader);
        var neighbour = await app.MemberClientAsync(Slug, TenantRole.Editor, units.Neighbour);
        var stranger = await app.MemberClientAsync("annan", TenantRole.Admin);
        var overview = $"/k/{Slug}/intern-kontroll";
        var plan = $"/k/{Slug}/intern-kontroll/planer/{units.Committee}/2026";
        var detail = $"/k/{Slug}/intern-kontroll/kontrollmoment/{action}";
        var followUp = $"{detail}/uppfoljning/2026-T3";

        foreach (var url in new[] { overview, plan, detail, followUp })
        {
            (await committee.GetAsync(url)).StatusCode.ShouldBe(HttpStatusCode.OK, url);
            var strange = await stranger.GetAsync(url);
            strange.StatusCode.ShouldBe(HttpStatusCode.NotFound, url);
            (await strange.Content.ReadAsStringAsync()).ShouldNotContain(units.CommitteeName);
        }

        foreach (var url in new[] { overview, plan, detail })
        {
            (await reader.GetAsync(url)).StatusCode.ShouldBe(HttpStatusCode.OK, url);
        }

        (await reader.GetAsync(followUp)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await neighbour.GetAsync(overview)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await neighbour.GetStringAsync(overview)).ShouldNotContain("Fakturakontroll");
        foreach (var url in new[] { plan, detail, followUp })
        {
            var hidden = await neighbour.GetAsync(url);
            hidden.StatusCode.ShouldBe(HttpStatusCode.NotFound, url);
            (await hidden.Content.ReadAsStringAsync()).ShouldNotContain("Fakturakontroll");
        }

        // Posting the decision: a reader is refused, the committee's editor decides; without the form's token nothing happens.
        var token = await TokenAsync(committee, plan);
        var version = (await committee.GetFromJsonAsync<List<VersionedPlan>>($"/api/v1/tenants/{Slug}/control-plans?unitId={units.Committee}&year=2026"))!.Single().Version;
        FormUrlEncodedContent Decision(string? antiforgery) => new(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = antiforgery ?? "", ["DecidedOn"] = "2026-02-18", ["Paragraph"] = "§ 7", ["Version"] = version.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        (await reader.PostAsync($"{plan}?handler=Decide", Decision(await TokenAsync(reader, plan)))).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await neighbour.PostAsync($"{plan}?handler=Decide", Decision(await TokenAsync(neighbour, overview)))).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await committee.PostAsync($"{plan}?handler=Decide", Decision(null))).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await committee.GetFromJsonAsync<List<VersionedPlan>>($"/api/v1/tenants/{Slug}/control-plans?unitId={units.Committee}&year=2026"))!.Single().Status.ShouldBe("proposal");
        var decided = await committee.PostAsync($"{plan}?handler=Decide", Decision(token));
        // Redirected to the plan with "sparat" (which the token client, losing its header on the redirect, is asked to sign in to see).
        Uri.UnescapeDataString(decided.RequestMessage!.RequestUri!.Query).ShouldEndWith($"/intern-kontroll/planer/{units.Committee}/2026?sparat=1");
        (await committee.GetFromJsonAsync<List<VersionedPlan>>($"/api/v1/tenants/{Slug}/control-plans?unitId={units.Committee}&year=2026"))!.Single().Status.ShouldBe("decided");
    }

    private sealed record VersionedPlan(Guid Id, string Status, int Version);
}
