using System.Diagnostics;
using System.Text.Json;
using Kedja.Data;
using Kedja.Data.Bulk;
using Kedja.Domain.Auditing;
using Kedja.Domain.FollowUp;
using Kedja.Domain.Goals;
using Kedja.Domain.Indicators;
using Kedja.Domain.Model;
using Kedja.Domain.Organisation;
using Kedja.Domain.Periods;
using Kedja.Domain.Tenancy;
using Kedja.Web.Exchange;
using Kedja.Web.Templates;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Generation;

public enum TenantSize
{
    S,
    M,
    L,
}

public sealed record GenerationResult(string Slug, int Units, int Goals, int Indicators, long Targets, long Outcomes, TimeSpan Elapsed);

/// <summary>
/// Generates a synthetic tenant for scale testing: a pyramid model over ten years of tertials. L is a large city:
/// 2,500 units, 25,000 goals, 50,000 indicators and ten years of tertial outcomes (about 1.5 million).
/// Deterministic for a given size, so measurements can be repeated.
/// </summary>
public sealed class TenantGenerator(KedjaDbContext db, IAuditActor actor, TimeProvider clock)
{
    private static readonly string[] Areas = ["Utbildning", "Omsorg", "Samhällsbyggnad", "Kultur och fritid", "Miljö", "Arbetsmarknad", "Socialtjänst", "Teknik", "Räddningstjänst", "Stadsdel"];

    public static (int Committees, int Units, int Goals, int Indicators) Dimensions(TenantSize size) => size switch
    {
        TenantSize.S => (5, 50, 500, 1_000),
        TenantSize.M => (10, 500, 5_000, 10_000),
        _ => (20, 2_500, 25_000, 50_000),
    };

    public async Task<GenerationResult> GenerateAsync(TenantSize size, string slug, int years = 10, string? name = null, CancellationToken cancellationToken = default)
    {
        if (!TenantDocumentValidator.SlugPattern().IsMatch(slug) || await db.Tenants.AnyAsync(t => t.Slug == slug, cancellationToken))
        {
            throw new ArgumentException($"Kortnamnet '{slug}' är ogiltigt eller upptaget.", nameof(slug));
        }

        var watch = Stopwatch.StartNew();
        var (committeeCount, unitCount, goalCount, indicatorCount) = Dimensions(size);
        var random = new Random(unitCount);
        var lastYear = clock.GetUtcNow().Year;
        var firstYear = lastYear - years + 1;
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var tenant = new Tenant { Slug = slug, Name = name ?? $"Storstad {size}", Kommunkod = null, CreatedAt = clock.GetUtcNow().UtcDateTime };
        db.Tenants.Add(tenant);
        db.Scope.Enter(tenant.Id, slug);
        db.SuppressRowAudit = true;

        // The model and calendar go through EF: they are small and the mapping of their JSON columns is reused.
        var template = ModelTemplates.Build(ModelTemplates.Karlskoga, slug, tenant.Name, null, firstYear).Models[0];
        var model = new GovernanceModel
        {
            Name = $"Genererad målpyramid {firstYear}-{lastYear}", TemplateKey = template.TemplateKey, FirstYear = firstYear, LastYear = lastYear,
            Vision = "En växande stad där alla kan leva ett gott liv.", Cadence = FollowUpCadence.Tertial, DefaultThresholds = ThresholdRule.Standard,
            Dimensions = [.. new[] { "Invånare", "Verksamhet", "Medarbetare", "Ekonomi" }.Select((n, i) => new Dimension { Name = n, SortOrder = i })],
            Levels = [.. template.Levels.Select(l => new GoalLevel { Name = l.Name, Depth = l.Depth, UnitKinds = l.UnitKinds, RequiresParent = l.RequiresParent, Rollup = l.Rollup })],
            Scale = [.. template.Scale.Select(s => new ScaleLevel { Key = s.Key, Label = s.Label, Plural = s.Plural, SingularCommon = s.SingularCommon, SingularNeuter = s.SingularNeuter, Colour = s.Colour, Symbol = s.Symbol, Score = s.Score, SortOrder = s.SortOrder, IsNotAssessed = s.IsNotAssessed })],
        };
        db.Models.Add(model);
        foreach (var p in Enumerable.Range(firstYear, years).SelectMany(y => PeriodRef.CalendarFor(FollowUpCadence.Tertial, y)))
        {
            db.Periods.Add(new FollowUpPeriod { Key = p.Key, Year = p.Year, Kind = p.Kind, Name = p.Label, StartDate = p.Start, EndDate = p.End, Deadline = p.End.AddDays(20), IsPublished = p.End < today });
        }

        await db.SaveChangesAsync(cancellationToken);
        var bulk = new BulkWriter(db);

        // Organisation: KF, KS, nämnder each served by a förvaltning, avdelningar and enheter under them.
        var units = new List<OrgUnit>();
        var council = Add(units, new OrgUnit { Name = "Kommunfullmäktige", ShortName = "KF", Kind = UnitKind.Council });
        Add(units, new OrgUnit { Name = "Kommunstyrelsen", ShortName = "KS", Kind = UnitKind.ExecutiveBoard, ParentId = council.Id });
        var committees = Enumerable.Range(0, committeeCount).Select(i => Add(units, new OrgUnit { Name = $"{Areas[i % Areas.Length]}snämnd {(i / Areas.Length) + 1}", Kind = UnitKind.Committee, ParentId = council.Id, SortOrder = i })).ToList();
        var administrations = committees.Select((c, i) => Add(units, new OrgUnit { Name = $"{Areas[i % Areas.Length]}sförvaltning {(i / Areas.Length) + 1}", Kind = UnitKind.Administration, ParentId = c.Id, SortOrder = i })).ToList();
        var remaining = unitCount - units.Count;
        var divisionsPer = Math.Max(1, remaining / administrations.Count / 10);
        var divisions = administrations.SelectMany((a, i) => Enumerable.Range(0, divisionsPer).Select(d => Add(units, new OrgUnit { Name = $"Avdelning {d + 1}, {a.Name}", Kind = UnitKind.Division, ParentId = a.Id, SortOrder = d }))).ToList();
        var leaves = new List<OrgUnit>();
        for (var i = 0; units.Count < unitCount; i++)
        {
            var division = divisions[i % divisions.Count];
            leaves.Add(Add(units, new OrgUnit { Name = $"Enhet {(i / divisions.Count) + 1}, {division.Name}", Kind = UnitKind.Unit, ParentId = division.Id, SortOrder = i }));
        }

        await bulk.InsertAsync(units, cancellationToken);
        await bulk.InsertAsync(administrations.Select((a, i) => new UnitService { TenantId = tenant.Id, AdministrationId = a.Id, CommitteeId = committees[i].Id }), cancellationToken);

        // Goals: KF goals, ten per nämnd, and the rest on förvaltningar, avdelningar and enheter, each linked upward.
        var committeeOf = new Dictionary<Guid, int>();
        for (var i = 0; i < committees.Count; i++)
        {
            committeeOf[administrations[i].Id] = i;
        }

        foreach (var u in units.Where(u => u.Kind is UnitKind.Division))
        {
            committeeOf[u.Id] = committeeOf[u.ParentId!.Value];
        }

        foreach (var u in leaves)
        {
            committeeOf[u.Id] = committeeOf[u.ParentId!.Value];
        }

        var goals = new List<Goal>(goalCount);
        var links = new List<GoalLink>(goalCount);
        var levels = model.Levels.OrderBy(l => l.Depth).ToList();
        var kfGoals = Enumerable.Range(0, 12).Select(i => AddGoal(goals, model, levels[0], council.Id, model.Dimensions[i % 4].Id, $"Fullmäktigemål {i + 1}", tenant.Id)).ToList();
        var committeeGoals = committees.Select((c, ci) => Enumerable.Range(0, 10).Select(i =>
        {
            var g = AddGoal(goals, model, levels[1], c.Id, model.Dimensions[i % 4].Id, $"Nämndmål {i + 1}, {c.Name}", tenant.Id);
            links.Add(new GoalLink { TenantId = tenant.Id, ParentGoalId = kfGoals[random.Next(kfGoals.Count)].Id, ChildGoalId = g.Id });
            return g;
        }).ToList()).ToList();
        var owners = administrations.Concat(units.Where(u => u.Kind == UnitKind.Division)).Concat(leaves).ToList();
        for (var i = 0; goals.Count < goalCount; i++)
        {
            var owner = owners[i % owners.Count];
            var parentGoals = committeeGoals[committeeOf[owner.Id]];
            var g = AddGoal(goals, model, levels[2], owner.Id, model.Dimensions[i % 4].Id, $"Verksamhetsmål {(i / owners.Count) + 1}, {owner.Name}", tenant.Id);
            links.Add(new GoalLink { TenantId = tenant.Id, ParentGoalId = parentGoals[random.Next(parentGoals.Count)].Id, ChildGoalId = g.Id });
        }

        await bulk.InsertAsync(goals, cancellationToken);
        await bulk.InsertAsync(links, cancellationToken);

        // Indicators: spread over the goals, tertial, with a yearly target and an outcome for every tertial that has ended.
        var indicators = Enumerable.Range(0, indicatorCount).Select(i =>
        {
            var goal = goals[i % goals.Count];
            return new Indicator
            {
                TenantId = tenant.Id, Name = $"Indikator {i + 1}", UnitOfMeasure = "%", Decimals = 1, Direction = i % 3 == 0 ? Direction.LowerIsBetter : Direction.HigherIsBetter,
                Periodicity = PeriodKind.Tertial, OwnerUnitId = goal.OwnerUnitId, GoalId = goal.Id, SortOrder = i,
            };
        }).ToList();
        await bulk.InsertAsync(indicators, cancellationToken);
        var targets = await bulk.InsertAsync(indicators.SelectMany(ind => Enumerable.Range(firstYear, years).Select(y => new IndicatorTarget
        {
            TenantId = tenant.Id, IndicatorId = ind.Id, PeriodKey = y.ToString(System.Globalization.CultureInfo.InvariantCulture), Value = ind.Direction == Direction.LowerIsBetter ? 8m : 80m,
        })), cancellationToken);
        var tertials = Enumerable.Range(firstYear, years).SelectMany(y => PeriodRef.CalendarFor(FollowUpCadence.Tertial, y)).Where(p => p.End < today).ToList();
        var recordedAt = new DateTime(lastYear, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var outcomes = await bulk.InsertAsync(indicators.SelectMany(ind => tertials.Select(p => new Outcome
        {
            TenantId = tenant.Id, IndicatorId = ind.Id, PeriodKey = p.Key,
            Value = Math.Round((ind.Direction == Direction.LowerIsBetter ? 8m : 80m) * (decimal)(0.75 + (random.NextDouble() * 0.4)), 1),
            Source = ValueSource.Import, SourceReference = "generate", RecordedBy = "generate", RecordedAt = recordedAt,
        })), cancellationToken);

        db.AuditEntries.Add(new AuditEntry
        {
            TenantId = tenant.Id, UserName = actor.Name, At = clock.GetUtcNow().UtcDateTime, Entity = nameof(Tenant), EntityId = tenant.Id.ToString(), Action = "Generated",
            After = JsonSerializer.Serialize(new { size = size.ToString(), units = units.Count, goals = goals.Count, indicators = indicators.Count, targets, outcomes }),
        });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.SuppressRowAudit = false;
        db.ChangeTracker.Clear();
        return new GenerationResult(slug, units.Count, goals.Count, indicators.Count, targets, outcomes, watch.Elapsed);
    }

    private OrgUnit Add(List<OrgUnit> units, OrgUnit unit)
    {
        unit.TenantId = db.Scope.TenantId!.Value;
        units.Add(unit);
        return unit;
    }

    private static Goal AddGoal(List<Goal> goals, GovernanceModel model, GoalLevel level, Guid owner, Guid dimension, string title, Guid tenantId)
    {
        var goal = new Goal { TenantId = tenantId, ModelId = model.Id, LevelId = level.Id, OwnerUnitId = owner, DimensionId = dimension, Title = title, SortOrder = goals.Count };
        goals.Add(goal);
        return goal;
    }
}
