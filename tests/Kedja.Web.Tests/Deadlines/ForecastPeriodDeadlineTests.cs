using Kedja.Domain.FollowUp;
using Kedja.Domain.Periods;
using Kedja.Domain.Tenancy;
using Kedja.Web.Demo;
using Kedja.Web.Forecasts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kedja.Web.Tests.DeadlineTests;

/// <summary>
/// A forecast-only period (prognostillfälle) with a deadline asks for full-year forecasts and nothing else: the start
/// page's deadlines, who is late and the reminders count a unit as done when each of its indicators that takes a
/// forecast has one, not by the follow-up's workflow.
/// </summary>
public class ForecastPeriodDeadlineTests
{
    private const string Slug = DemoTenant.Slug;

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_forecast_period_is_due_for_units_whose_indicators_take_forecasts_until_each_has_one(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var p10 = new PeriodRef(2026, PeriodKind.Forecast, 11);
        var due = new DateOnly(2027, 1, 10);
        var (scope, db) = app.DbFor(Slug);
        using (scope)
        {
            db.Periods.Add(new FollowUpPeriod { Key = p10.Key, Year = 2026, Kind = p10.Kind, Name = p10.Label, StartDate = p10.Start, EndDate = p10.End, Deadline = due });
            await db.SaveChangesAsync();
        }

        StartPageDeadlineTests.MoveTo(app, new DateOnly(2027, 1, 5));
        List<Periods.DueFollowUp> forecastDue;
        (scope, db) = app.DbFor(Slug);
        using (scope)
        {
            forecastDue = [.. (await scope.ServiceProvider.GetRequiredService<Periods.Deadlines>().DueBetweenAsync(due, due)).Where(d => d.PeriodKey == p10.Key)];
        }

        forecastDue.ShouldNotBeEmpty();
        forecastDue.ShouldAllBe(d => d.MissingForecasts > 0 && d.IsOpen);
        var unit = forecastDue[0].UnitId;
        var editor = await app.MemberClientAsync(Slug, TenantRole.Editor, unit);
        var page = await editor.GetStringAsync($"/k/{Slug}");
        page.ShouldContain("Dina sista dagar");
        page.ShouldContain(p10.Label);

        // Every indicator of the unit that takes a forecast gets one: the unit is done, the others are not.
        (scope, db) = app.DbFor(Slug);
        using (scope)
        {
            var period = await db.Periods.SingleAsync(p => p.Key == p10.Key);
            var models = await db.Models.AsNoTracking().ToListAsync();
            foreach (var indicator in (await db.Indicators.Where(i => i.OwnerUnitId == unit).ToListAsync()).Where(i => ForecastReading.Takes(i, models, 2026)))
            {
                db.IndicatorForecasts.Add(new IndicatorForecast { IndicatorId = indicator.Id, PeriodId = period.Id, Year = 2026, Value = 1m, RecordedBy = "test", RecordedAt = DateTime.UtcNow });
            }

            await db.SaveChangesAsync();
        }

        StartPageDeadlineTests.MoveTo(app, new DateOnly(2027, 1, 15));
        (scope, db) = app.DbFor(Slug);
        using (scope)
        {
            var deadlines = scope.ServiceProvider.GetRequiredService<Periods.Deadlines>();
            var after = (await deadlines.DueBetweenAsync(due, due)).Where(d => d.PeriodKey == p10.Key).ToList();
            after.Single(d => d.UnitId == unit).ShouldSatisfyAllConditions(d => d.MissingForecasts.ShouldBe(0), d => d.IsOpen.ShouldBeFalse());
            var late = (await deadlines.LateAsync()).Where(d => d.PeriodKey == p10.Key).Select(d => d.UnitId).ToList();
            late.ShouldNotContain(unit);
            late.Count.ShouldBe(forecastDue.Count - 1, "the other units still miss their forecasts");
            (await deadlines.NotSubmittedDueBetweenAsync(due, due)).Where(d => d.PeriodKey == p10.Key).Select(d => d.UnitId).ShouldNotContain(unit);
        }
    }
}
