using System.Diagnostics.CodeAnalysis;
using Kedja.Data;
using Kedja.Domain.Model;
using Kedja.Web.Exchange;
using Kedja.Web.Goals;
using Kedja.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Model;

/// <summary>A governance model as the tenant document describes it, with its version: what GET gives and PUT takes back.</summary>
/// <remarks><see cref="StatusName"/> is for people reading it; it is derived from the status and ignored when sent back.</remarks>
public sealed record VersionedModel : ModelDoc
{
    public VersionedModel()
    {
    }

    [SetsRequiredMembers]
    public VersionedModel(ModelDoc model)
        : base(model)
    {
    }

    public int? Version { get; init; }

    /// <summary>The status in Swedish: "Utkast", "Gällande", "Arkiverad".</summary>
    public string StatusName => ModelStatusNames.Swedish(Status);
}

/// <summary>
/// Changes a governance model as a whole with the rules of <see cref="ModelRules"/>, the same the document importer
/// applies; the goals, assessments and indicators that use the model are checked again with their own rules against
/// the model as it would be, so that nothing a change breaks is written.
/// </summary>
public sealed class ModelEditing(KedjaDbContext db, TenantExporter exporter, GoalDocuments goals)
{
    public async Task<List<VersionedModel>> ListAsync(CancellationToken cancellationToken = default)
    {
        var versions = await db.Models.AsNoTracking().ToDictionaryAsync(m => m.Id, m => m.Version, cancellationToken);
        return [.. (await exporter.ExportModelsAsync(cancellationToken)).Select(m => new VersionedModel(m) { Version = versions[m.Id] })];
    }

    /// <summary>
    /// Changes a model as a whole. Dimensions, levels and scale steps that goals, links, assessments or thresholds use
    /// cannot be removed or made to contradict them; everything is checked first and nothing is written when something is wrong.
    /// </summary>
    public async Task<ServiceResult<VersionedModel>> UpdateAsync(Guid id, VersionedModel input, CancellationToken cancellationToken = default)
    {
        var model = await db.Models.Include(m => m.Dimensions).Include(m => m.Levels).Include(m => m.Scale).SingleOrDefaultAsync(m => m.Id == id, cancellationToken);
        if (model is null)
        {
            return ServiceError.NotFound("Styrmodellen finns inte.");
        }

        var errors = new ValidationErrors();
        if (!NullElements.Check(errors, "", input))
        {
            return ServiceError.Invalid(errors);
        }

        // New dimensions and levels may come without an id; they get one here, as they would in the document.
        var doc = input with
        {
            Id = id,
            Dimensions = [.. (input.Dimensions ?? []).Select(d => d.Id == Guid.Empty ? d with { Id = Guid.CreateVersion7() } : d)],
            Levels = [.. (input.Levels ?? []).Select(l => l.Id == Guid.Empty ? l with { Id = Guid.CreateVersion7() } : l)],
            Scale = input.Scale ?? [],
        };
        var others = new ModelReferences([], []);
        foreach (var other in (await exporter.ExportModelsAsync(cancellationToken)).Where(m => m.Id != id))
        {
            other.Dimensions.ForEach(d => others.Dimensions.TryAdd(d.Id, (other.Id, d)));
            other.Levels.ForEach(l => others.Levels.TryAdd(l.Id, (other.Id, l)));
        }

        ModelRules.Check(errors, "", doc, others);
        if (input.Version is null)
        {
            errors.Add("version", ServiceError.VersionToChange);
        }

        await CheckUseAsync(errors, model, doc, cancellationToken);

        if (errors.Count > 0)
        {
            return ServiceError.Invalid(errors);
        }

        db.ExpectVersion(model, input.Version!.Value);
        doc.CopyTo(model);
        if (!await db.TrySaveAsync())
        {
            return ServiceError.Conflict();
        }

        return (await ListAsync(cancellationToken)).Single(m => m.Id == id);
    }

    /// <summary>What the rest of the tenant uses of the model must still hold after the change.</summary>
    private async Task CheckUseAsync(ValidationErrors errors, GovernanceModel model, ModelDoc doc, CancellationToken cancellationToken)
    {
        // The calendar moves the delår periods with the month; a PUT of the model would leave them behind.
        if (doc.InterimEndMonth is { } month && month != model.InterimEndMonth)
        {
            errors.Add("interimEndMonth", $"Delårets månad ändras i uppföljningskalendern (PUT /model/{model.Id}/interim-end-month), som flyttar delårsperioderna med den.");
        }

        await CheckForecastsAsync(errors, model, doc, cancellationToken);
        var used = await db.Goals.AsNoTracking().Where(g => g.ModelId == model.Id).Select(g => new { g.Id, g.LevelId, g.DimensionId }).ToListAsync(cancellationToken);
        var levels = doc.Levels.Select(l => l.Id).ToHashSet();
        var dimensions = doc.Dimensions.Select(d => d.Id).ToHashSet();
        foreach (var gone in model.Levels.Where(l => !levels.Contains(l.Id) && used.Any(g => g.LevelId == l.Id)))
        {
            errors.Add("levels", $"Nivån '{gone.Name}' har mål och kan inte tas bort.");
        }

        foreach (var gone in model.Dimensions.Where(d => !dimensions.Contains(d.Id) && used.Any(g => g.DimensionId == d.Id)))
        {
            errors.Add("dimensions", $"'{gone.Name}' har mål och kan inte tas bort.");
        }

        // The model's other goals, and the goals that contribute to them, checked with the goal rules against the model as it would be.
        var goalIds = used.Select(g => g.Id).ToList();
        var staying = used.Where(g => levels.Contains(g.LevelId) && (g.DimensionId is not { } d || dimensions.Contains(d))).Select(g => g.Id).ToList();
        var children = await db.GoalLinks.AsNoTracking().Where(l => staying.Contains(l.ParentGoalId)).Select(l => l.ChildGoalId).Distinct().ToListAsync(cancellationToken);
        List<Guid> recheck = [.. staying.Union(children)];
        if (recheck.Count > 0)
        {
            await goals.CheckAgainAsync(errors, recheck, await goals.LookupAsync(recheck, model: doc, cancellationToken: cancellationToken),
                field => field.StartsWith("dimensionId", StringComparison.Ordinal) ? "dimensions" : "levels", cancellationToken);
        }

        var removedKeys = model.Scale.Select(s => s.Key).Except(doc.Scale.Select(s => s.Key)).ToList();
        if (removedKeys.Count > 0)
        {
            var assessed = await db.Assessments.AsNoTracking().Where(a => goalIds.Contains(a.GoalId) && removedKeys.Contains(a.StatusKey)).Select(a => a.StatusKey).Distinct().ToListAsync(cancellationToken);
            foreach (var key in assessed)
            {
                errors.Add("scale", $"Statusen '{key}' används i bedömningar och kan inte tas bort. Byt etikett eller färg i stället.");
            }

            var thresholds = await db.Indicators.AsNoTracking().Where(i => goalIds.Contains(i.GoalId!.Value) && i.Thresholds != null)
                .Select(i => new { i.Name, i.Thresholds }).ToListAsync(cancellationToken);
            foreach (var key in removedKeys)
            {
                if (thresholds.FirstOrDefault(i => i.Thresholds!.Otherwise == key || i.Thresholds.Steps.Any(s => s.Status == key)) is { } user)
                {
                    errors.Add("scale", $"Statusen '{key}' används i tröskelvärdena för indikatorn '{user.Name}' och kan inte tas bort.");
                }
            }
        }
    }

    /// <summary>
    /// Every recorded full-year forecast must still be one its indicator takes with the model as it would be (a model
    /// that allows them for the year): otherwise the tenant's export would hold forecasts its import refuses.
    /// </summary>
    private async Task CheckForecastsAsync(ValidationErrors errors, GovernanceModel model, ModelDoc doc, CancellationToken cancellationToken)
    {
        var allows = doc.AllowsIndicatorForecasts ?? model.AllowsIndicatorForecasts;
        if (allows == model.AllowsIndicatorForecasts && doc.Status == model.Status && doc.FirstYear == model.FirstYear && doc.LastYear == model.LastYear)
        {
            return;
        }

        var forecasts = await db.IndicatorForecasts.AsNoTracking().Where(f => f.Year >= model.FirstYear && f.Year <= model.LastYear)
            .Select(f => new { f.Year, f.IndicatorId }).Distinct().ToListAsync(cancellationToken);
        if (forecasts.Count == 0)
        {
            return;
        }

        var others = await db.Models.AsNoTracking().Where(m => m.Id != model.Id).Select(m => new { m.AllowsIndicatorForecasts, m.Status, m.FirstYear, m.LastYear }).ToListAsync(cancellationToken);
        List<(bool, ModelStatus, int, int)> after = [.. others.Select(m => (m.AllowsIndicatorForecasts, m.Status, m.FirstYear, m.LastYear)), (allows, doc.Status, doc.FirstYear, doc.LastYear)];
        var ids = forecasts.Select(f => f.IndicatorId).Distinct().ToList();
        var sources = await db.Indicators.AsNoTracking().Where(i => ids.Contains(i.Id)).ToDictionaryAsync(i => i.Id, i => i.Source, cancellationToken);
        var stranded = forecasts.Where(f => sources.TryGetValue(f.IndicatorId, out var source) && !Forecasts.ForecastReading.Takes(source, after, f.Year)).Select(f => f.Year).Distinct().Order().ToList();
        if (stranded.Count > 0)
        {
            errors.Add(allows ? "status" : "allowsIndicatorForecasts",
                $"Det finns helårsprognoser för indikatorer {string.Join(", ", stranded)} som ingen annan styrmodell tar emot. Ta bort prognoserna först.");
        }
    }
}
