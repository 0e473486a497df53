using System.Diagnostics.CodeAnalysis;
using Kedja.Data;
using Kedja.Domain.Charts;
using Kedja.Domain.InternalControl;
using Kedja.Web.Exchange;
using Kedja.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.InternalControl;

/// <summary>
/// A risk as the document describes it, with its version: what GET gives and PUT takes back. Its assessments (the
/// history per year) are read-only here; each year's is written through <c>PUT /risks/{id}/assessments/{year}</c>,
/// so PUT leaves them as they are. <see cref="RiskDoc.Number"/> 0 in a new risk gives the next free number.
/// </summary>
public sealed record VersionedRisk : RiskDoc
{
    public VersionedRisk()
    {
    }

    [SetsRequiredMembers]
    public VersionedRisk(RiskDoc doc, int version)
        : base(doc) => Version = version;

    public int? Version { get; init; }
}

/// <summary>One year's assessment of a risk as <c>PUT /risks/{id}/assessments/{year}</c> takes it, with the risk's version.</summary>
/// <param name="LikelihoodAfter">After existing controls: given with <paramref name="ConsequenceAfter"/> or not at all.</param>
public sealed record RiskAssessmentInput(int Likelihood, int Consequence, string? ExistingControls, int? LikelihoodAfter, int? ConsequenceAfter, string? Reasoning, int? Version);

/// <summary>
/// A risk in a unit's register for a year, as the register's list and table show it: the year's assessment or, when it
/// has none yet, the latest earlier one (<see cref="AssessedYear"/> says which; null when never assessed).
/// </summary>
/// <param name="Value">The value that counts: after existing controls when assessed so, else before.</param>
/// <param name="Band">The band of <paramref name="Value"/> with its colour; null when never assessed.</param>
public sealed record RiskRegisterEntry(Guid Id, int Number, Guid UnitId, string Title, string? Category, string? Process, string? Owner, int FirstYear, int? LastYear,
    int? AssessedYear, int? Likelihood, int? Consequence, int? LikelihoodAfter, int? ConsequenceAfter, int? ValueBefore, int? ValueAfter, int? Value, RiskBand? Band, int Version);

/// <summary>A unit's register for a year: the risks, the scale they are assessed on, and the matrix drawn from them.</summary>
public sealed record RiskRegisterView(Guid UnitId, int Year, RiskSettings Settings, IReadOnlyList<RiskRegisterEntry> Risks, RiskMatrix Matrix);

/// <summary>
/// Each unit's risk register (issue 15, ADR 46): the risks, their assessment per year with the earlier years kept, and the
/// matrix of a year. Read by whoever sees the unit's internal control (<see cref="UnitScope.SeesManyAsync"/>: the unit,
/// those above it, the council and the executive board, municipality-wide readers); changed by the unit's own editors
/// and those above (<see cref="UnitScope.AllowsAsync"/>). One rule set with the document importer
/// (<see cref="InternalControlRules"/>).
/// </summary>
public sealed class RiskRegister(KedjaDbContext db, TenantContext tenant, IAuditActor actor, TimeProvider clock)
{
    public const string NotFound = "Risken finns inte.";

    public const string UnitNotFound = "Enheten finns inte.";

    private const string OutsideUnits = "Du får bara ändra riskregistret för din egen enhet och enheterna under den.";

    /// <summary>
    /// How many times a new risk tries the next number when others took it at the same moment: each round one of those
    /// racing wins, so this many people adding risks to one municipality in the same instant still all succeed.
    /// </summary>
    private const int NumberAttempts = 30;

    /// <summary>The register of the unit (or of every unit the person sees) in the year: the risks in the register then, by number.</summary>
    public async Task<ServiceResult<List<RiskRegisterEntry>>> ListAsync(Guid? unitId, int year, CancellationToken cancellationToken = default)
    {
        var sees = await UnitScope.SeesManyAsync(tenant, db, cancellationToken);
        if (unitId is { } unit && (!sees(unit) || !await db.Units.AnyAsync(u => u.Id == unit, cancellationToken)))
        {
            return ServiceError.NotFound(UnitNotFound);
        }

        var settings = await RiskSettingsEditing.ScaleAsync(db, tenant.TenantId, cancellationToken);
        var risks = await db.Risks.AsNoTracking().Include(r => r.Assessments)
            .Where(r => (unitId == null || r.UnitId == unitId) && r.FirstYear <= year && (r.LastYear == null || r.LastYear >= year))
            .OrderBy(r => r.Number).ToListAsync(cancellationToken);
        return risks.Where(r => sees(r.UnitId)).Select(r => Entry(r, year, settings)).ToList();
    }

    /// <summary>The unit's register for the year with its matrix, for the pages, the reports and the portal.</summary>
    public async Task<ServiceResult<RiskRegisterView>> ViewAsync(Guid unitId, int year, string title, CancellationToken cancellationToken = default)
    {
        var listed = await ListAsync(unitId, year, cancellationToken);
        if (listed.Error is { } error)
        {
            return error;
        }

        var settings = await RiskSettingsEditing.ScaleAsync(db, tenant.TenantId, cancellationToken);
        var rows = listed.Value!.Select(e => new RiskMatrixRow(e.Id, e.Number, e.Title, e.Category, e.Process, e.Owner, e.AssessedYear, e.ValueBefore, e.ValueAfter, e.Value, e.Band,
            e.AssessedYear is null ? null : e.LikelihoodAfter ?? e.Likelihood, e.AssessedYear is null ? null : e.ConsequenceAfter ?? e.Consequence)).ToList();
        return new RiskRegisterView(unitId, year, settings, listed.Value!, RiskMatrix.Of(title, settings, rows));
    }

    public async Task<ServiceResult<VersionedRisk>> GetAsync(Guid id, CancellationToken cancellationToken = default)
    {
        var risk = await db.Risks.AsNoTracking().Include(r => r.Assessments).SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        return risk is null || !await UnitScope.SeesAsync(tenant, db, risk.UnitId, cancellationToken) ? ServiceError.NotFound(NotFound) : Versioned(risk);
    }

    /// <summary>Whether the person may change the risks of the unit (for the pages: a form or only the facts).</summary>
    public Task<bool> MayChangeAsync(Guid unitId, CancellationToken cancellationToken = default) => UnitScope.AllowsAsync(tenant, db, unitId, cancellationToken);

    /// <summary>
    /// Adds a risk to a unit's register with the next free number of the municipality, or the number it brings when that is
    /// free. Assessments given with it are checked and kept, as the document importer keeps them.
    /// </summary>
    /// <param name="unreadable">What the form could not read: refused together with every rule the rest breaks.</param>
    public async Task<ServiceResult<VersionedRisk>> CreateAsync(VersionedRisk input, ValidationErrors? unreadable = null, CancellationToken cancellationToken = default)
    {
        if (!await UnitScope.SeesAsync(tenant, db, input.UnitId, cancellationToken) && await db.Units.AnyAsync(u => u.Id == input.UnitId, cancellationToken))
        {
            return ServiceError.NotFound(UnitNotFound);
        }

        if (!await UnitScope.AllowsAsync(tenant, db, input.UnitId, cancellationToken))
        {
            return ServiceError.Forbidden(OutsideUnits);
        }

        var id = input.Id == Guid.Empty ? Guid.CreateVersion7() : input.Id;
        if (await db.Risks.AnyAsync(r => r.Id == id, cancellationToken))
        {
            return ServiceError.Conflict("Det finns redan en risk med det id:t.");
        }

        var errors = new ValidationErrors(unreadable);
        if (await CheckAsync(errors, input, null, cancellationToken) is { } invalid)
        {
            return invalid;
        }

        if (input.Number > 0 && await db.Risks.AnyAsync(r => r.Number == input.Number, cancellationToken))
        {
            return ServiceError.Invalid("number", $"Nummer {input.Number} har redan en annan risk.");
        }

        var risk = new Risk { Id = id, Title = "" };
        Apply(risk, input);
        risk.Assessments = [.. input.Assessments.Select(a => Assessment(risk, a.Year, a))];
        db.Risks.Add(risk);
        for (var attempt = 1; ; attempt++)
        {
            risk.Number = input.Number > 0 ? input.Number : await NextNumberAsync(cancellationToken);
            if (await db.TrySaveAsync())
            {
                return Versioned(risk);
            }

            // Someone else took the number at the same moment: the unique index refused it, so try the next one. A number
            // the request chose itself is not changed.
            if (input.Number > 0 || attempt == NumberAttempts)
            {
                db.ChangeTracker.Clear();
                return ServiceError.Conflict("Någon annan lade till en risk med samma nummer samtidigt. Försök igen.");
            }

            // A moment's pause of a different length for each, so that those racing do not read the same highest number again.
            await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 20 + (attempt * 10))), cancellationToken);
        }
    }

    /// <summary>
    /// Changes a risk's facts and its years in the register (a <see cref="RiskDoc.LastYear"/> takes it out of the register
    /// after that year). Its number and assessments stay as they are. Moving it to another unit needs the right to change both.
    /// </summary>
    public async Task<ServiceResult<VersionedRisk>> UpdateAsync(Guid id, VersionedRisk input, ValidationErrors? unreadable = null, CancellationToken cancellationToken = default)
    {
        var risk = await db.Risks.Include(r => r.Assessments).SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (risk is null || !await UnitScope.SeesAsync(tenant, db, risk.UnitId, cancellationToken))
        {
            return ServiceError.NotFound(NotFound);
        }

        if (!await UnitScope.AllowsAllAsync(tenant, db, [risk.UnitId, input.UnitId], cancellationToken))
        {
            return ServiceError.Forbidden(OutsideUnits);
        }

        var errors = new ValidationErrors(unreadable);
        if (input.Version is null)
        {
            errors.Add("version", ServiceError.VersionToChange);
        }

        // The assessments are checked as they stand against the new years: a risk cannot leave the register before a year it was assessed.
        var checkedInput = input with { Number = risk.Number, Assessments = [.. risk.Assessments.OrderBy(a => a.Year).Select(ToDoc)] };
        if (await CheckAsync(errors, checkedInput, risk.Category, cancellationToken) is { } invalid)
        {
            return invalid;
        }

        if (input.UnitId != risk.UnitId && await PlansLeftAsync(risk.Id, input.UnitId, cancellationToken) is { Count: > 0 } left)
        {
            return ServiceError.Invalid("unitId",
                $"Risken är vald i internkontrollplanen för {string.Join(", ", left)} och kan bara flyttas till en enhet som planen omfattar. Ange ett sista år i registret och lägg upp risken på den nya enheten i stället.");
        }

        db.ExpectVersion(risk, input.Version!.Value);
        Apply(risk, input);
        return await db.TrySaveAsync() ? Versioned(risk) : ServiceError.Conflict();
    }

    /// <summary>
    /// Writes the risk's assessment for a year, replacing that year's if there is one; the other years are kept as they
    /// are. The year must be one the risk is in the register; needs the risk's version.
    /// </summary>
    public async Task<ServiceResult<VersionedRisk>> AssessAsync(Guid id, int year, RiskAssessmentInput input, ValidationErrors? unreadable = null, CancellationToken cancellationToken = default)
    {
        var risk = await db.Risks.Include(r => r.Assessments).SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (risk is null || !await UnitScope.SeesAsync(tenant, db, risk.UnitId, cancellationToken))
        {
            return ServiceError.NotFound(NotFound);
        }

        if (!await UnitScope.AllowsAsync(tenant, db, risk.UnitId, cancellationToken))
        {
            return ServiceError.Forbidden(OutsideUnits);
        }

        var errors = new ValidationErrors(unreadable);
        if (input.Version is null)
        {
            errors.Add("version", ServiceError.VersionToChange);
        }

        var settings = await RiskSettingsEditing.ScaleAsync(db, tenant.TenantId, cancellationToken);
        var doc = new RiskAssessmentDoc(year, input.Likelihood, input.Consequence, Clean(input.ExistingControls), input.LikelihoodAfter, input.ConsequenceAfter, Clean(input.Reasoning),
            actor.Name, clock.GetUtcNow().UtcDateTime);
        InternalControlRules.CheckAssessment(errors, "", doc, settings);
        if (!RiskScale.InRegister(risk, year) && !errors.ToDictionary().ContainsKey("year"))
        {
            errors.Add("year", risk.LastYear is { } last
                ? $"Risken finns i registret {risk.FirstYear}–{last}: bedöm den för ett av de åren."
                : $"Risken finns i registret från {risk.FirstYear}: bedöm den för det året eller senare.");
        }

        if (errors.Count > 0)
        {
            return ServiceError.Invalid(errors);
        }

        var assessment = risk.Assessments.SingleOrDefault(a => a.Year == year);
        if (assessment is null)
        {
            risk.Assessments.Add(Assessment(risk, year, doc));
        }
        else
        {
            Fill(assessment, doc);
        }

        db.ExpectVersion(risk, input.Version!.Value);
        return await db.TrySaveAsync() ? Versioned(risk) : ServiceError.Conflict();
    }

    /// <summary>Removes a risk that was never assessed and never chosen for a plan; any other is taken out of the register by its last year instead.</summary>
    public async Task<ServiceResult<Done>> DeleteAsync(Guid id, int? version, CancellationToken cancellationToken = default)
    {
        var risk = await db.Risks.Include(r => r.Assessments).SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (risk is null || !await UnitScope.SeesAsync(tenant, db, risk.UnitId, cancellationToken))
        {
            return ServiceError.NotFound(NotFound);
        }

        if (!await UnitScope.AllowsAsync(tenant, db, risk.UnitId, cancellationToken))
        {
            return ServiceError.Forbidden(OutsideUnits);
        }

        if (version is null)
        {
            return ServiceError.Invalid("version", ServiceError.VersionToRemove);
        }

        if (risk.Assessments.Count > 0
            || await db.ControlPlanRisks.AnyAsync(p => p.RiskId == id, cancellationToken)
            || await db.ControlActions.AnyAsync(a => a.RiskId == id, cancellationToken))
        {
            return ServiceError.Invalid("id", "Risken har bedömts eller valts till en plan. Ange ett sista år i registret i stället, så finns historiken kvar.");
        }

        return await db.RemoveAsReadAsync(risk, version.Value);
    }

    /// <summary>
    /// The years of the plans that chose the risk (or point a control action at it) whose unit the new unit is not under: a
    /// plan's risks come from its unit's registers (ADR 46), and a move out of them would change a decided plan without a reason.
    /// </summary>
    private async Task<List<int>> PlansLeftAsync(Guid riskId, Guid newUnitId, CancellationToken cancellationToken)
    {
        var planIds = await db.ControlPlanRisks.AsNoTracking().Where(p => p.RiskId == riskId).Select(p => p.PlanId)
            .Concat(db.ControlActions.AsNoTracking().Where(a => a.RiskId == riskId).Select(a => a.PlanId)).Distinct().ToListAsync(cancellationToken);
        if (planIds.Count == 0)
        {
            return [];
        }

        var plans = await db.ControlPlans.AsNoTracking().Where(p => planIds.Contains(p.Id)).Select(p => new { p.UnitId, p.Year }).ToListAsync(cancellationToken);
        var parents = await db.Units.AsNoTracking().Select(u => new { u.Id, u.ParentId }).ToDictionaryAsync(u => u.Id, u => u.ParentId, cancellationToken);
        var above = new HashSet<Guid>();
        Guid? current = newUnitId;
        while (current is { } id && above.Add(id))
        {
            current = parents.GetValueOrDefault(id);
        }

        return [.. plans.Where(p => !above.Contains(p.UnitId)).Select(p => p.Year).Distinct().Order()];
    }

    /// <summary>The importer's rules with what the risk points at looked up in the database; <paramref name="currentCategory"/> stays allowed.</summary>
    private async Task<ServiceError?> CheckAsync(ValidationErrors errors, RiskDoc input, string? currentCategory, CancellationToken cancellationToken)
    {
        if (!NullElements.Check(errors, "", input))
        {
            return ServiceError.Invalid(errors);
        }

        var settings = await RiskSettingsEditing.ScaleAsync(db, tenant.TenantId, cancellationToken);
        var references = new RiskReferences(
            await db.Units.AnyAsync(u => u.Id == input.UnitId, cancellationToken),
            settings,
            c => settings.Categories.Contains(c, StringComparer.Ordinal) || string.Equals(c, currentCategory, StringComparison.Ordinal));
        InternalControlRules.CheckRisk(errors, "", input with { Title = input.Title ?? "" }, references);
        return errors.Count > 0 ? ServiceError.Invalid(errors) : null;
    }

    /// <summary>The highest number the municipality has used, plus one; a removed risk's number may come back only if it was the highest.</summary>
    private async Task<int> NextNumberAsync(CancellationToken cancellationToken) =>
        (await db.Risks.AsNoTracking().MaxAsync(r => (int?)r.Number, cancellationToken) ?? 0) + 1;

    private static void Apply(Risk risk, RiskDoc input)
    {
        risk.UnitId = input.UnitId;
        risk.Title = input.Title.Trim();
        risk.Description = Clean(input.Description);
        risk.Category = Clean(input.Category);
        risk.Process = Clean(input.Process);
        risk.Owner = Clean(input.Owner);
        risk.FirstYear = input.FirstYear;
        risk.LastYear = input.LastYear;
    }

    private static RiskAssessment Assessment(Risk risk, int year, RiskAssessmentDoc doc)
    {
        var assessment = new RiskAssessment { RiskId = risk.Id, Year = year, AssessedBy = doc.AssessedBy };
        Fill(assessment, doc);
        return assessment;
    }

    private static void Fill(RiskAssessment a, RiskAssessmentDoc doc)
    {
        (a.Likelihood, a.Consequence, a.ExistingControls, a.LikelihoodAfter, a.ConsequenceAfter, a.Reasoning, a.AssessedBy, a.AssessedAt) =
            (doc.Likelihood, doc.Consequence, Clean(doc.ExistingControls), doc.LikelihoodAfter, doc.ConsequenceAfter, Clean(doc.Reasoning), doc.AssessedBy.Trim(), doc.AssessedAt);
    }

    private static string? Clean(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private static RiskAssessmentDoc ToDoc(RiskAssessment a) =>
        new(a.Year, a.Likelihood, a.Consequence, a.ExistingControls, a.LikelihoodAfter, a.ConsequenceAfter, a.Reasoning, a.AssessedBy, a.AssessedAt);

    /// <summary>The risk as the document (and the API) describes it, its assessments oldest first.</summary>
    public static RiskDoc ToDoc(Risk r) => new()
    {
        Id = r.Id, Number = r.Number, UnitId = r.UnitId, Title = r.Title, Description = r.Description, Category = r.Category, Process = r.Process, Owner = r.Owner,
        FirstYear = r.FirstYear, LastYear = r.LastYear, Assessments = [.. r.Assessments.OrderBy(a => a.Year).Select(ToDoc)],
    };

    private static VersionedRisk Versioned(Risk risk) => new(ToDoc(risk), risk.Version);

    private static RiskRegisterEntry Entry(Risk r, int year, RiskSettings settings)
    {
        var a = RiskScale.Latest(r, year);
        return new RiskRegisterEntry(r.Id, r.Number, r.UnitId, r.Title, r.Category, r.Process, r.Owner, r.FirstYear, r.LastYear,
            a?.Year, a?.Likelihood, a?.Consequence, a?.LikelihoodAfter, a?.ConsequenceAfter, a?.ValueBefore, a?.ValueAfter, a?.Value,
            a is null ? null : RiskScale.Band(settings, a.Value), r.Version);
    }
}
