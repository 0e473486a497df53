using Kedja.Data;
using Kedja.Domain.Indicators;
using Kedja.Domain.Periods;
using Kedja.Domain.Tenancy;
using Kedja.Web.Exchange;
using Kedja.Web.Infrastructure;
using Kedja.Web.Periods;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Indicators;

public sealed record TargetDto(string PeriodKey, decimal? Value, decimal? Min, decimal? Max, string? Note);

public sealed record IndicatorDto(Guid Id, string Name, string? Description, string UnitOfMeasure, int Decimals, Direction Direction, PeriodKind Periodicity,
    ValueSource Source, string? KoladaKpiId, Guid OwnerUnitId, Guid? GoalId, Guid? ProgramId, bool IsBasicMission, decimal? BaselineValue, string? BaselinePeriod,
    List<TargetDto> Targets, int Version);

public sealed record OutcomeDto(string PeriodKey, decimal? Value, decimal? ValueWomen, decimal? ValueMen, string? Comment, ValueSource Source,
    string? SourceReference, DateTime? FetchedAt, bool IsRevised, string RecordedBy, DateTime RecordedAt, int Version, List<RevisionDto> Revisions);

public sealed record RevisionDto(decimal? Value, string RecordedBy, DateTime RecordedAt, DateTime ReplacedAt, ValueSource Source);

public sealed record OutcomeInput(decimal? Value, decimal? ValueWomen, decimal? ValueMen, string? Comment, int? Version);

/// <summary>An indicator as the tenant document describes it, with the version being changed. A new indicator may bring its own id.</summary>
public sealed record IndicatorInput : IndicatorDoc
{
    public int? Version { get; init; }
}

public static class IndicatorEndpoints
{
    public static void MapIndicators(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/tenants/{slug}/indicators").WithTags("Indikatorer och utfall");
        group.MapGet("/", List).RequireTenant();
        group.MapGet("/{id:guid}", Get).RequireTenant();
        group.MapPost("/", Create).RequireTenant(TenantRole.Admin);
        group.MapPut("/{id:guid}", Update).RequireTenant(TenantRole.Admin);
        group.MapDelete("/{id:guid}", Delete).RequireTenant(TenantRole.Admin);
        group.MapGet("/{id:guid}/outcomes", Outcomes).RequireTenant();
        group.MapPut("/{id:guid}/outcomes/{periodKey}", PutOutcome).RequireTenant(TenantRole.Editor);
    }

    private static async Task<Ok<List<IndicatorDto>>> List(KedjaDbContext db, Guid? goalId, Guid? unitId) =>
        TypedResults.Ok((await db.Indicators.AsNoTracking().Include(i => i.Targets)
            .Where(i => (goalId == null || i.GoalId == goalId) && (unitId == null || i.OwnerUnitId == unitId))
            .OrderBy(i => i.SortOrder).ThenBy(i => i.Name).ToListAsync()).Select(ToDto).ToList());

    private static async Task<Results<Ok<IndicatorDto>, ProblemHttpResult>> Get(Guid id, KedjaDbContext db)
    {
        var indicator = await db.Indicators.AsNoTracking().Include(i => i.Targets).SingleOrDefaultAsync(i => i.Id == id);
        return indicator is null ? Problems.NotFound("Indikatorn finns inte.") : TypedResults.Ok(ToDto(indicator));
    }

    private static async Task<Results<Created<IndicatorDto>, ValidationProblem, ProblemHttpResult>> Create(IndicatorInput input, KedjaDbContext db)
    {
        var id = input.Id == Guid.Empty ? Guid.CreateVersion7() : input.Id;
        if (await db.Indicators.AnyAsync(i => i.Id == id))
        {
            return Problems.Conflict("Det finns redan en indikator med det id:t.");
        }

        var errors = await CheckAsync(input, db, existing: null);
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors.ToDictionary());
        }

        var indicator = new Indicator { Id = id, Name = "" };
        input.CopyTo(indicator);
        db.Indicators.Add(indicator);
        if (!await db.TrySaveAsync())
        {
            return Problems.Conflict("Det finns redan en indikator med det id:t.");
        }

        return TypedResults.Created($"/api/v1/tenants/{db.Scope.Slug}/indicators/{indicator.Id}", ToDto(indicator));
    }

    /// <summary>Changes an indicator and replaces its targets. Needs the version read with it.</summary>
    private static async Task<Results<Ok<IndicatorDto>, ValidationProblem, ProblemHttpResult>> Update(Guid id, IndicatorInput input, KedjaDbContext db)
    {
        var indicator = await db.Indicators.Include(i => i.Targets).SingleOrDefaultAsync(i => i.Id == id);
        if (indicator is null)
        {
            return Problems.NotFound("Indikatorn finns inte.");
        }

        if (input.Version is null)
        {
            return Problems.Invalid("version", "Ange versionen du ändrar (från GET), så att ingen annans ändring skrivs över.");
        }

        var errors = await CheckAsync(input, db, indicator);
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors.ToDictionary());
        }

        db.ExpectVersion(indicator, input.Version.Value);
        input.CopyTo(indicator);
        return await db.TrySaveAsync() ? TypedResults.Ok(ToDto(indicator)) : Problems.Conflict();
    }

    /// <summary>Removes an indicator that has no outcomes yet; one with a history is kept so that earlier reports still add up.</summary>
    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> Delete(Guid id, int? version, KedjaDbContext db)
    {
        var indicator = await db.Indicators.Include(i => i.Targets).SingleOrDefaultAsync(i => i.Id == id);
        if (indicator is null)
        {
            return Problems.NotFound("Indikatorn finns inte.");
        }

        if (version is null)
        {
            return Problems.Invalid("version", "Ange versionen du tar bort.");
        }

        if (await db.Outcomes.AnyAsync(o => o.IndicatorId == id))
        {
            return Problems.Invalid("id", "Indikatorn har utfall och kan inte tas bort, eftersom tidigare rapporter bygger på dem.");
        }

        db.ExpectVersion(indicator, version.Value);
        db.Indicators.Remove(indicator);
        return await db.TrySaveAsync() ? TypedResults.NoContent() : Problems.Conflict();
    }

    /// <summary>The document's own rules for an indicator, and that what it points to exists and fits.</summary>
    private static async Task<ValidationErrors> CheckAsync(IndicatorInput input, KedjaDbContext db, Indicator? existing)
    {
        var errors = new ValidationErrors();
        if (!Exchange.NullElements.Check(errors, "", input))
        {
            return errors;
        }

        var goal = input.GoalId is { } goalId ? await db.Goals.AsNoTracking().SingleOrDefaultAsync(g => g.Id == goalId) : null;
        var scale = goal is null ? null : (await db.ScaleLevels.AsNoTracking().Where(s => s.ModelId == goal.ModelId).Select(s => s.Key).ToListAsync()).ToHashSet(StringComparer.Ordinal);
        Exchange.TenantDocumentValidator.CheckIndicator(errors, "", input, scale);
        if (!await db.Units.AnyAsync(u => u.Id == input.OwnerUnitId))
        {
            errors.Add("ownerUnitId", "Enheten finns inte.");
        }

        if (input.GoalId is not null && goal is null)
        {
            errors.Add("goalId", "Målet finns inte.");
        }

        if (input.ProgramId is { } programId && !await db.Programs.AnyAsync(p => p.Id == programId))
        {
            errors.Add("programId", "Programmet finns inte.");
        }

        if (existing is not null && existing.Periodicity != input.Periodicity && await db.Outcomes.AnyAsync(o => o.IndicatorId == existing.Id))
        {
            errors.Add("periodicity", $"Indikatorn har redan utfall som mäts {IndicatorEvaluatorText(existing.Periodicity)}. Skapa en ny indikator för den nya periodiciteten.");
        }

        foreach (var (target, t) in (input.Targets ?? []).Select((x, n) => (x, n)))
        {
            if (PeriodRef.TryParse(target.PeriodKey, out var p) && p.Kind != input.Periodicity && p.Kind != PeriodKind.Year)
            {
                errors.Add($"targets[{t}].periodKey", $"Målvärdet för {p.Label} passar inte en indikator som mäts {IndicatorEvaluatorText(input.Periodicity)}.");
            }
        }

        return errors;
    }

    private static string IndicatorEvaluatorText(PeriodKind kind) => Domain.FollowUp.IndicatorEvaluator.PeriodicityText(kind);

    private static async Task<Results<Ok<List<OutcomeDto>>, ProblemHttpResult>> Outcomes(Guid id, KedjaDbContext db)
    {
        if (!await db.Indicators.AnyAsync(i => i.Id == id))
        {
            return Problems.NotFound("Indikatorn finns inte.");
        }

        var outcomes = await db.Outcomes.AsNoTracking().Include(o => o.Revisions).Where(o => o.IndicatorId == id).ToListAsync();
        return TypedResults.Ok(outcomes.OrderBy(o => PeriodRef.Parse(o.PeriodKey)).Select(ToDto).ToList());
    }

    /// <summary>Records the outcome of a period. Changing an existing value needs its version and keeps the earlier value as a revision.</summary>
    private static async Task<Results<Ok<OutcomeDto>, ValidationProblem, ProblemHttpResult>> PutOutcome(
        Guid id, string periodKey, OutcomeInput input, KedjaDbContext db, TenantContext tenant, IAuditActor actor, TimeProvider clock)
    {
        var indicator = await db.Indicators.AsNoTracking().SingleOrDefaultAsync(i => i.Id == id);
        if (indicator is null)
        {
            return Problems.NotFound("Indikatorn finns inte.");
        }

        if (!await UnitScope.AllowsAsync(tenant, db, indicator.OwnerUnitId))
        {
            return Problems.Forbidden("Du får bara registrera utfall för din egen enhet och enheterna under den.");
        }

        if (!PeriodRef.TryParse(periodKey, out var period))
        {
            return Problems.Invalid("periodKey", $"Ogiltig period '{periodKey}'. Ange t.ex. 2025-T2 eller 2025.");
        }

        if (period.Kind != indicator.Periodicity)
        {
            return Problems.Invalid("periodKey", $"Indikatorn mäts {Domain.FollowUp.IndicatorEvaluator.PeriodicityText(indicator.Periodicity)}; {period.Label} passar inte.");
        }

        var values = new ValidationErrors();
        values.Value("value", input.Value);
        values.Value("valueWomen", input.ValueWomen);
        values.Value("valueMen", input.ValueMen);
        values.Text("comment", input.Comment, "Kommentaren", Domain.TextLimits.Text);
        if (values.Count > 0)
        {
            return Problems.Invalid(values.ToDictionary());
        }

        if (await WorkflowGuard.EnsureOpenForResultAsync(db, indicator.OwnerUnitId, period) is { } closed)
        {
            return closed;
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var outcome = await db.Outcomes.Include(o => o.Revisions).SingleOrDefaultAsync(o => o.IndicatorId == id && o.PeriodKey == period.Key);
        if (outcome is null)
        {
            outcome = new Outcome { IndicatorId = id, PeriodKey = period.Key, RecordedBy = actor.Name, RecordedAt = now, Source = ValueSource.Manual };
            db.Outcomes.Add(outcome);
        }
        else
        {
            if (input.Version is null)
            {
                return Problems.Invalid("version", "Utfallet finns redan. Ange versionen du ändrar, så att ingen annans ändring skrivs över.");
            }

            db.ExpectVersion(outcome, input.Version.Value);
            if (outcome.Value != input.Value || outcome.ValueWomen != input.ValueWomen || outcome.ValueMen != input.ValueMen)
            {
                outcome.Revisions.Add(new OutcomeRevision
                {
                    OutcomeId = outcome.Id, Value = outcome.Value, ValueWomen = outcome.ValueWomen, ValueMen = outcome.ValueMen, Source = outcome.Source,
                    SourceReference = outcome.SourceReference, RecordedBy = outcome.RecordedBy, RecordedAt = outcome.RecordedAt, ReplacedAt = now,
                });
            }

            outcome.RecordedBy = actor.Name;
            outcome.RecordedAt = now;
            outcome.Source = ValueSource.Manual;
            outcome.SourceReference = null;
            outcome.FetchedAt = null;
        }

        outcome.Value = input.Value;
        outcome.ValueWomen = input.ValueWomen;
        outcome.ValueMen = input.ValueMen;
        outcome.Comment = input.Comment;
        if (!await db.TrySaveAsync())
        {
            return Problems.Conflict();
        }

        return TypedResults.Ok(ToDto(outcome));
    }

    private static IndicatorDto ToDto(Indicator i) => new(i.Id, i.Name, i.Description, i.UnitOfMeasure, i.Decimals, i.Direction, i.Periodicity, i.Source,
        i.KoladaKpiId, i.OwnerUnitId, i.GoalId, i.ProgramId, i.IsBasicMission, i.BaselineValue, i.BaselinePeriod,
        [.. i.Targets.OrderBy(t => t.PeriodKey, StringComparer.Ordinal).Select(t => new TargetDto(t.PeriodKey, t.Value, t.Min, t.Max, t.Note))], i.Version);

    private static OutcomeDto ToDto(Outcome o) => new(o.PeriodKey, o.Value, o.ValueWomen, o.ValueMen, o.Comment, o.Source, o.SourceReference, o.FetchedAt,
        o.IsRevised, o.RecordedBy, o.RecordedAt, o.Version,
        [.. o.Revisions.OrderBy(r => r.ReplacedAt).Select(r => new RevisionDto(r.Value, r.RecordedBy, r.RecordedAt, r.ReplacedAt, r.Source))]);
}
