using System.Data.Common;
using System.Globalization;
using Kedja.Data;
using Kedja.Data.Bulk;
using Kedja.Domain;
using Kedja.Domain.Activities;
using Kedja.Domain.Budget;
using Kedja.Domain.Documents;
using Kedja.Domain.FollowUp;
using Kedja.Domain.Goals;
using Kedja.Domain.Indicators;
using Kedja.Domain.Model;
using Kedja.Domain.Organisation;
using Kedja.Domain.Periods;
using Kedja.Domain.Tenancy;
using Kedja.Web.Demo;
using Kedja.Web.Generation;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using ActivityProgram = Kedja.Domain.Activities.Program;

namespace Kedja.Web.Tests;

/// <summary>
/// The bulk writer (binary COPY on PostgreSQL, multi-row INSERT on SQLite) stores every value exactly as EF would, and
/// one write is all or nothing.
/// </summary>
public class BulkWriterTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Every_row_of_the_demo_copied_in_bulk_reads_back_through_EF_as_it_was(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<KedjaDbContext>();
        var from = (await db.Tenants.SingleAsync(t => t.Slug == DemoTenant.Slug)).Id;
        var to = await NewTenantAsync(db, "kopia");
        var bulk = new BulkWriter(db);
        var copied = new Dictionary<string, int>();

        async Task Copy<T>(Func<List<T>, IEnumerable<T>>? order = null)
            where T : class, ITenantOwned
        {
            var rows = await Rows<T>(db, from);
            rows.ForEach(r => r.TenantId = to);
            (await bulk.InsertAsync(order is null ? rows : order(rows))).ShouldBe(rows.Count);
            Stored(db, await Rows<T>(db, to)).ShouldBe(Stored(db, rows), typeof(T).Name);
            copied[typeof(T).Name] = rows.Count;
        }

        // Parents before children: SQLite checks references at the end of each statement of a few rows.
        await Copy<GovernanceModel>();
        await Copy<Dimension>();
        await Copy<GoalLevel>();
        await Copy<ScaleLevel>();
        await Copy<FollowUpPeriod>();
        await Copy<OrgUnit>(units =>
        {
            var parents = units.ToDictionary(u => u.Id, u => u.ParentId);
            int Depth(Guid id) => parents[id] is { } parent ? 1 + Depth(parent) : 0;
            return units.OrderBy(u => Depth(u.Id));
        });
        await Copy<UnitService>();
        await Copy<ActivityProgram>();
        await Copy<Goal>();
        await Copy<GoalLink>();
        await Copy<Strategy>();
        await Copy<Indicator>();
        await Copy<IndicatorTarget>();
        await Copy<Outcome>();
        await Copy<OutcomeRevision>();
        await Copy<Assessment>();
        await Copy<UnitPeriodStatus>();
        await Copy<Activity>();
        await Copy<ActivityComment>();
        await Copy<GoverningDocument>();
        await Copy<DocumentGoalLink>();
        await Copy<BudgetFrame>();
        await Copy<BudgetOutcome>();

        // What the generator writes in bulk is there in the demo, so the comparisons above covered real rows.
        foreach (var type in new[] { nameof(OrgUnit), nameof(UnitService), nameof(Goal), nameof(GoalLink), nameof(Indicator), nameof(IndicatorTarget), nameof(Outcome) })
        {
            copied[type].ShouldBeGreaterThan(0, type);
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Values_at_the_edges_are_stored_in_bulk_as_EF_stores_them(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider);
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<KedjaDbContext>();
        var viaEf = await NewTenantAsync(db, "via-ef");
        var viaBulk = await NewTenantAsync(db, "via-bulk");
        var ids = Enumerable.Range(0, 20).Select(_ => Guid.CreateVersion7()).ToArray();

        db.Scope.Enter(viaEf, "via-ef");
        db.SuppressRowAudit = true;
        var (models, levels, periods, units, indicators, outcomes) = Edges(viaEf, ids);
        db.AddRange(models);
        db.AddRange(levels);
        db.AddRange(periods);
        db.AddRange(units);
        db.AddRange(indicators);
        db.AddRange(outcomes);
        await db.SaveChangesAsync();
        db.ChangeTracker.Clear();

        var bulk = new BulkWriter(db);
        var written = Edges(viaBulk, ids);
        await bulk.InsertAsync(written.Models);
        await bulk.InsertAsync(written.Levels);
        await bulk.InsertAsync(written.Periods);
        await bulk.InsertAsync(written.Units);
        await bulk.InsertAsync(written.Indicators);
        await bulk.InsertAsync(written.Outcomes);

        Stored(db, await Rows<GovernanceModel>(db, viaBulk)).ShouldBe(Stored(db, await Rows<GovernanceModel>(db, viaEf)));
        Stored(db, await Rows<GoalLevel>(db, viaBulk)).ShouldBe(Stored(db, await Rows<GoalLevel>(db, viaEf)));
        Stored(db, await Rows<FollowUpPeriod>(db, viaBulk)).ShouldBe(Stored(db, await Rows<FollowUpPeriod>(db, viaEf)));
        Stored(db, await Rows<OrgUnit>(db, viaBulk)).ShouldBe(Stored(db, await Rows<OrgUnit>(db, viaEf)));
        Stored(db, await Rows<Indicator>(db, viaBulk)).ShouldBe(Stored(db, await Rows<Indicator>(db, viaEf)));
        Stored(db, await Rows<Outcome>(db, viaBulk)).ShouldBe(Stored(db, await Rows<Outcome>(db, viaEf)));

        // And what fits the columns reads back as it was written: all 18 digits, the instant, the JSON, the enums.
        var indicator = (await Rows<Indicator>(db, viaBulk)).Single(i => i.Id == ids[10]);
        indicator.BaselineValue.ShouldBe(12345678901234.5678m);
        indicator.Weight.ShouldBe(-0.0001m);
        indicator.Direction.ShouldBe(Direction.LowerIsBetter);
        indicator.Thresholds.ShouldNotBeNull().Steps.Select(s => (s.Status, s.MinimumAchievement)).ShouldBe(written.Indicators[0].Thresholds!.Steps.Select(s => (s.Status, s.MinimumAchievement)));
        indicator.Description.ShouldBe(written.Indicators[0].Description);
        var outcome = (await Rows<Outcome>(db, viaBulk)).Single(o => o.Id == ids[12]);
        outcome.Value.ShouldBe(-99999999999999.9999m);
        outcome.ValueWomen.ShouldBeNull();
        outcome.RecordedAt.ShouldBe(written.Outcomes[0].RecordedAt.ToUniversalTime());
        outcome.RecordedAt.Kind.ShouldBe(DateTimeKind.Utc);
        outcome.FetchedAt.ShouldBe(new DateTime(2026, 3, 1, 12, 30, 15, 123, 456, DateTimeKind.Utc));
        var period = (await Rows<FollowUpPeriod>(db, viaBulk)).Single(p => p.Id == ids[4]);
        (period.StartDate, period.EndDate, period.Deadline).ShouldBe((new DateOnly(1, 1, 1), new DateOnly(9999, 12, 31), (DateOnly?)null));
        var level = (await Rows<GoalLevel>(db, viaBulk)).Single();
        level.UnitKinds.ShouldBe([UnitKind.Committee, UnitKind.Unit]);
        (level.Rollup.Kind, level.Rollup.MissingInputs, level.Rollup.IncludeIndicators).ShouldBe((RollupKind.Weighted, MissingInputPolicy.Exclude, false));
        level.HorizonMinYears.ShouldBeNull();
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_bulk_write_that_fails_inside_a_transaction_leaves_nothing_behind(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider);
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<KedjaDbContext>();
        var tenant = await NewTenantAsync(db, "trasig");
        var bulk = new BulkWriter(db);
        var units = Enumerable.Range(0, 3000).Select(i => new OrgUnit { TenantId = tenant, Name = $"Enhet {i}", Kind = UnitKind.Unit, SortOrder = i }).ToList();

        // A reference to a unit that does not exist, found by the database after the rows before it were sent.
        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            (await bulk.InsertAsync(units)).ShouldBe(units.Count);
            var stray = new OrgUnit { TenantId = tenant, Name = "Utan förälder", Kind = UnitKind.Unit, ParentId = Guid.NewGuid() };
            await Should.ThrowAsync<DbException>(() => bulk.InsertAsync(units.Select(u => new OrgUnit { TenantId = tenant, Name = u.Name, Kind = u.Kind, ParentId = u.Id }).Append(stray)));
            await transaction.RollbackAsync();
        }

        (await Rows<OrgUnit>(db, tenant)).ShouldBeEmpty();

        // The rows themselves fail halfway (a source that breaks): the import is cancelled and the connection still works.
        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            await bulk.InsertAsync(units);
            await Should.ThrowAsync<InvalidOperationException>(() => bulk.InsertAsync(Breaking(units, 2500)));
            await transaction.RollbackAsync();
        }

        (await Rows<OrgUnit>(db, tenant)).ShouldBeEmpty();

        // Without a transaction of the caller's, one call is still all or nothing, over many statements on SQLite.
        var duplicate = new OrgUnit { Id = units[0].Id, TenantId = tenant, Name = "Samma nyckel", Kind = UnitKind.Unit };
        await Should.ThrowAsync<DbException>(() => bulk.InsertAsync(units.Append(duplicate)));
        (await Rows<OrgUnit>(db, tenant)).ShouldBeEmpty();
        (await bulk.InsertAsync(units)).ShouldBe(units.Count);
        (await Rows<OrgUnit>(db, tenant)).Count.ShouldBe(units.Count);

        static IEnumerable<OrgUnit> Breaking(List<OrgUnit> units, int at)
        {
            foreach (var unit in units.Take(at))
            {
                yield return new OrgUnit { TenantId = unit.TenantId, Name = unit.Name, Kind = unit.Kind };
            }

            throw new InvalidOperationException("Källan gick sönder.");
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_generator_writes_a_tenant_in_bulk_that_reads_back_whole(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider);
        using var scope = app.Services.CreateScope();
        var generator = scope.ServiceProvider.GetRequiredService<TenantGenerator>();
        var result = await generator.GenerateAsync(TenantSize.S, "storstad-s", years: 2);
        var (_, units, goals, indicators) = TenantGenerator.Dimensions(TenantSize.S);
        (result.Units, result.Goals, result.Indicators, result.Targets).ShouldBe((units, goals, indicators, indicators * 2L));

        var db = scope.ServiceProvider.GetRequiredService<KedjaDbContext>();
        var tenant = await db.Tenants.SingleAsync(t => t.Slug == "storstad-s");
        db.Scope.Enter(tenant.Id, tenant.Slug);
        (await db.Units.CountAsync()).ShouldBe(units);
        (await db.UnitServices.CountAsync()).ShouldBeGreaterThan(0);
        (await db.Goals.CountAsync()).ShouldBe(goals);
        (await db.GoalLinks.CountAsync()).ShouldBe(goals - 12);
        (await db.Indicators.CountAsync(i => i.Periodicity == PeriodKind.Tertial)).ShouldBe(indicators);
        (await db.Targets.CountAsync()).ShouldBe((int)result.Targets);
        (await db.Outcomes.LongCountAsync()).ShouldBe(result.Outcomes);
        (await db.Outcomes.CountAsync(o => o.Source == ValueSource.Import && o.RecordedBy == "generate")).ShouldBe((int)result.Outcomes);
    }

    [Fact]
    public void Every_column_of_the_model_has_a_type_for_binary_COPY()
    {
        using var db = new KedjaDbContext(
            new DbContextOptionsBuilder<KedjaDbContext>().UseNpgsql("Host=127.0.0.1").Options, new TenantScope(), new FixedActor("test"));
        var columns = db.Model.GetEntityTypes().SelectMany(e => e.GetProperties()).ToList();
        columns.ShouldNotBeEmpty();
        foreach (var column in columns)
        {
            Should.NotThrow(() => BulkWriter.PostgresType(column), $"{column.DeclaringType.DisplayName()}.{column.Name}");
        }
    }

    private static async Task<Guid> NewTenantAsync(KedjaDbContext db, string slug)
    {
        var tenant = new Tenant { Slug = slug, Name = slug, CreatedAt = DateTime.UtcNow };
        db.Tenants.Add(tenant);
        await db.SaveChangesAsync();
        db.ChangeTracker.Clear();
        return tenant.Id;
    }

    private static Task<List<T>> Rows<T>(KedjaDbContext db, Guid tenant)
        where T : class, ITenantOwned =>
        db.Set<T>().IgnoreQueryFilters().AsNoTracking().Where(r => r.TenantId == tenant).ToListAsync();

    /// <summary>Each row as the database holds it (through the value converters), tenant aside, ordered by key.</summary>
    private static List<string> Stored<T>(KedjaDbContext db, List<T> rows)
        where T : class
    {
        var properties = db.Model.FindEntityType(typeof(T))!.GetProperties().Where(p => p.Name != nameof(ITenantOwned.TenantId)).ToList();
        return [.. rows.Select(row => string.Join(" | ", properties.Select(p => $"{p.Name}={Text(p, row)}"))).Order(StringComparer.Ordinal)];

        static string Text(IProperty property, object row)
        {
            var value = property.GetGetter().GetClrValue(row);
            if (value is not null && property.GetTypeMapping().Converter is { } converter)
            {
                value = converter.ConvertToProvider(value);
            }

            return value switch
            {
                null => "null",
                DateTime at => $"{at:O} {at.Kind}",
                IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
                _ => value.ToString()!,
            };
        }
    }

    private static (List<GovernanceModel> Models, List<GoalLevel> Levels, List<FollowUpPeriod> Periods, List<OrgUnit> Units, List<Indicator> Indicators, List<Outcome> Outcomes)
        Edges(Guid tenant, Guid[] ids)
    {
        var model = new GovernanceModel
        {
            TenantId = tenant, Id = ids[0], Name = "Modell \"citat\" och \\ och\nrad", FirstYear = 2023, LastYear = 2026, Status = ModelStatus.Draft,
            CadenceOverrides = [new CadenceOverride(UnitKind.Company, FollowUpCadence.Year)],
            DefaultThresholds = new ThresholdRule([new ThresholdStep(StandardScale.Met, 0.95m), new ThresholdStep(StandardScale.PartlyMet, 0.123456789m)], StandardScale.NotMet),
        };
        var level = new GoalLevel
        {
            TenantId = tenant, Id = ids[1], ModelId = model.Id, Name = "Nämndmål", Depth = 1, UnitKinds = [UnitKind.Committee, UnitKind.Unit], HorizonMaxYears = 4,
            Rollup = new RollupRule { Kind = RollupKind.Weighted, MissingInputs = MissingInputPolicy.Exclude, IncludeIndicators = false },
        };
        List<FollowUpPeriod> periods =
        [
            new() { TenantId = tenant, Id = ids[4], Key = "2026-T1", Year = 2026, Kind = PeriodKind.Tertial, Name = "Tertial 1", StartDate = new DateOnly(1, 1, 1), EndDate = new DateOnly(9999, 12, 31) },
            new()
            {
                TenantId = tenant, Id = ids[5], Key = "2026", Year = 2026, Kind = PeriodKind.Year, Name = "Helår", StartDate = new DateOnly(2026, 1, 1), EndDate = new DateOnly(2026, 12, 31),
                Deadline = new DateOnly(2027, 2, 28), IsPublished = true, PublishedAt = new DateTime(2027, 3, 1, 8, 0, 0, DateTimeKind.Unspecified), PublishedBy = "åsa@kommun.se",
            },
        ];
        var unit = new OrgUnit { TenantId = tenant, Id = ids[6], Name = "Kommunstyrelsen – ÅÄÖ", ShortName = null, Kind = UnitKind.ExecutiveBoard, Code = "", IsActive = false, SortOrder = int.MinValue };
        List<Indicator> indicators =
        [
            new()
            {
                TenantId = tenant, Id = ids[10], Name = "Andel nöjda", Description = "Emoji 🚲, tab\t, citat \" och apostrof '", OwnerUnitId = unit.Id,
                Direction = Direction.LowerIsBetter, Periodicity = PeriodKind.Tertial, Source = ValueSource.Kolada, BaselineValue = 12345678901234.5678m, Weight = -0.0001m,
                Thresholds = new ThresholdRule([new ThresholdStep(StandardScale.Met, 1.5m)], StandardScale.NotMet), SplitByGender = true, Decimals = 2,
            },
            new() { TenantId = tenant, Id = ids[11], Name = "Utan tröskel", OwnerUnitId = unit.Id, BaselineValue = 1.23456789m, Thresholds = null, Weight = 0.00005m },
        ];
        List<Outcome> outcomes =
        [
            new()
            {
                TenantId = tenant, Id = ids[12], IndicatorId = ids[10], PeriodKey = "2026-T1", Value = -99999999999999.9999m, ValueMen = 0m,
                RecordedBy = "test", RecordedAt = new DateTime(2026, 4, 30, 23, 59, 59, DateTimeKind.Local), Source = ValueSource.Manual,
                FetchedAt = new DateTime(2026, 3, 1, 12, 30, 15, 123, 456, DateTimeKind.Utc), IsRevised = true, Comment = new string('x', 4000),
            },
            new() { TenantId = tenant, Id = ids[13], IndicatorId = ids[11], PeriodKey = "2026-T1", Value = null, RecordedBy = "test", RecordedAt = new DateTime(2026, 5, 1, 0, 0, 0, DateTimeKind.Unspecified) },
        ];
        return ([model], [level], periods, [unit], indicators, outcomes);
    }
}
