using Kedja.Domain.Organisation;
using Kedja.Domain.Periods;
using Kedja.Domain.Tenancy;
using Kedja.Web.Demo;
using Kedja.Web.Periods;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kedja.Web.Tests.DeadlineTests;

/// <summary>The deadline rules themselves, on the demo municipality: what the start page, the feed and the reminders read.</summary>
public class DeadlinesTests
{
    private const string Period = "2026-T3";

    private static readonly DateOnly UnitsDue = new(2027, 1, 20);

    /// <summary>Gives the enheter of T3 2026 their own deadline; the other levels keep the period's.</summary>
    private static async Task<DateOnly> SetUnitDeadlineAsync(KedjaApp app)
    {
        var (scope, db) = app.DbFor(DemoTenant.Slug);
        using (scope)
        {
            var period = await db.Periods.SingleAsync(p => p.Key == Period);
            db.PeriodDeadlines.Add(new PeriodDeadline { PeriodId = period.Id, UnitKind = UnitKind.Unit, DueOn = UnitsDue });
            await db.SaveChangesAsync();
            return period.Deadline!.Value;
        }
    }

    private static async Task<string> UserIdAsync(KedjaApp app, string email)
    {
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<Data.KedjaDbContext>();
        return (await db.Users.SingleAsync(u => u.Email == email)).Id;
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_level_without_its_own_deadline_has_the_periods_and_only_open_follow_ups_are_due(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var periodDeadline = await SetUnitDeadlineAsync(app);
        periodDeadline.ShouldNotBe(UnitsDue);

        var (scope, db) = app.DbFor(DemoTenant.Slug);
        using (scope)
        {
            var deadlines = scope.ServiceProvider.GetRequiredService<Kedja.Web.Periods.Deadlines>();
            var period = await db.Periods.AsNoTracking().SingleAsync(p => p.Key == Period);
            var perKind = await deadlines.ForPeriodAsync(period);
            perKind[UnitKind.Unit].ShouldBe(UnitsDue);
            perKind[UnitKind.Committee].ShouldBe(periodDeadline);
            perKind[UnitKind.Administration].ShouldBe(periodDeadline);

            // On the units' day only enheter are due, every one open and with something to report.
            var due = await deadlines.NotSubmittedDueBetweenAsync(UnitsDue, UnitsDue);
            due.ShouldNotBeEmpty();
            due.ShouldAllBe(d => d.UnitKind == UnitKind.Unit && d.DueOn == UnitsDue && d.State == WorkflowState.Open && d.PeriodKey == Period);
            var units = await db.Units.AsNoTracking().ToListAsync();
            var activeUnits = units.Where(u => u.Kind == UnitKind.Unit && u.IsActive).Select(u => u.Id).ToHashSet();
            due.Select(d => d.UnitId).ShouldBeSubsetOf(activeUnits);
            var owners = (await db.Goals.AsNoTracking().Select(g => g.OwnerUnitId).ToListAsync())
                .Concat(await db.Indicators.AsNoTracking().Where(i => i.GoalId == null).Select(i => i.OwnerUnitId).ToListAsync()).ToHashSet();
            due.ShouldAllBe(d => owners.Contains(d.UnitId));

            // The other levels are due on the period's day.
            var later = await deadlines.NotSubmittedDueBetweenAsync(periodDeadline, periodDeadline);
            later.ShouldContain(d => d.UnitKind == UnitKind.Committee);
            later.ShouldNotContain(d => d.UnitKind == UnitKind.Unit);

            // A submitted unit is no longer due, though its deadline is still listed.
            var submitted = due[0];
            db.UnitPeriodStatuses.Add(new UnitPeriodStatus { PeriodId = submitted.PeriodId, UnitId = submitted.UnitId, State = WorkflowState.Submitted, Version = 1 });
            await db.SaveChangesAsync();
            (await deadlines.NotSubmittedDueBetweenAsync(UnitsDue, UnitsDue)).ShouldNotContain(d => d.UnitId == submitted.UnitId);
            (await deadlines.DueBetweenAsync(UnitsDue, UnitsDue)).ShouldContain(d => d.UnitId == submitted.UnitId && d.State == WorkflowState.Submitted);

            // Nothing is due the day before.
            (await deadlines.NotSubmittedDueBetweenAsync(UnitsDue.AddDays(-1), UnitsDue.AddDays(-1))).ShouldBeEmpty();
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_people_reminded_are_the_editors_named_for_the_unit_or_above_it_and_the_wide_members_only_where_nobody_is(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        Guid school, administration, otherAdministration, committee;
        var (scope, db) = app.DbFor(DemoTenant.Slug);
        using (scope)
        {
            var units = await db.Units.AsNoTracking().ToListAsync();
            var schoolUnit = units.First(u => u.Kind == UnitKind.Unit && u.ParentId is not null && units.Single(p => p.Id == u.ParentId).Kind == UnitKind.Administration);
            (school, administration) = (schoolUnit.Id, schoolUnit.ParentId!.Value);
            otherAdministration = units.First(u => u.Kind == UnitKind.Administration && u.Id != administration).Id;
            committee = units.First(u => u.Kind == UnitKind.Committee).Id;
        }

        var (schoolEditor, _) = await app.MemberAsync(DemoTenant.Slug, TenantRole.Editor, school);
        var (aboveEditor, _) = await app.MemberAsync(DemoTenant.Slug, TenantRole.Editor, administration);
        var (elsewhere, _) = await app.MemberAsync(DemoTenant.Slug, TenantRole.Editor, otherAdministration);
        var (reader, _) = await app.MemberAsync(DemoTenant.Slug, TenantRole.Reader, school);
        var (controller, _) = await app.MemberAsync(DemoTenant.Slug, TenantRole.Admin);
        var (wideEditor, _) = await app.MemberAsync(DemoTenant.Slug, TenantRole.Editor);

        (scope, db) = app.DbFor(DemoTenant.Slug);
        using (scope)
        {
            var deadlines = scope.ServiceProvider.GetRequiredService<Kedja.Web.Periods.Deadlines>();
            var forSchool = await deadlines.PeopleToRemindAsync(school);
            forSchool.Select(p => p.Email).ShouldBe([schoolEditor, aboveEditor], ignoreOrder: true);
            forSchool.ShouldAllBe(p => !p.RemindersOff && p.Role == TenantRole.Editor);
            forSchool.Single(p => p.Email == aboveEditor).UserId.ShouldBe(await UserIdAsync(app, aboveEditor));

            (await deadlines.PeopleToRemindAsync(administration)).Select(p => p.Email).ShouldBe([aboveEditor]);

            // Nobody is named for the committee: the members of the whole municipality are reminded.
            (await deadlines.PeopleToRemindAsync(committee)).Select(p => p.Email).ShouldBe([controller, wideEditor], ignoreOrder: true);

            var many = await deadlines.PeopleToRemindAsync([school, otherAdministration, Guid.NewGuid()]);
            many.Keys.ShouldBe([school, otherAdministration], ignoreOrder: true);
            many[otherAdministration].Select(p => p.Email).ShouldBe([elsewhere]);
            many.Values.SelectMany(p => p).ShouldNotContain(p => p.Email == reader);
        }
    }
}
