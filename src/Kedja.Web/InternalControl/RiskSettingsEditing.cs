using Kedja.Data;
using Kedja.Domain.InternalControl;
using Kedja.Domain.Tenancy;
using Kedja.Web.Exchange;
using Kedja.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.InternalControl;

/// <summary>
/// The municipality's risk scale as <c>GET /risk-settings</c> gives it and <c>PUT</c> takes it back: the document's
/// <see cref="RiskSettingsDoc"/> with the row's version. A municipality that never saved its own scale has Kedja's
/// default (<see cref="RiskScale.Default"/>) at version 0, and saving from version 0 creates its row.
/// </summary>
/// <param name="IsDefault">Read only: true while the municipality uses Kedja's default scale (has no row).</param>
public sealed record VersionedRiskSettings(List<string> Likelihood, List<string> Consequence, List<RiskBand> Bands, List<string> Categories, int PlanThreshold,
    int? Version, bool IsDefault = false)
    : RiskSettingsDoc(Likelihood, Consequence, Bands, Categories, PlanThreshold)
{
    public static VersionedRiskSettings From(RiskSettings s, bool isDefault) =>
        new([.. s.LikelihoodLabels], [.. s.ConsequenceLabels], [.. s.Bands], [.. s.Categories], s.PlanThreshold, s.Version, isDefault);
}

/// <summary>
/// Reading and saving a municipality's risk scale (ADR 46) for the API, the page and anything that needs the scale
/// (the register, plans, reports, the portal). Only administrators change it; the rules are the importer's
/// (<see cref="InternalControlRules.CheckSettings"/>), with the steps existing assessments use so that the scale never
/// shrinks beneath them.
/// </summary>
public sealed class RiskSettingsEditing(KedjaDbContext db, TenantContext tenant)
{
    public const string AdminsOnly = "Bara kommunens administratörer kan ändra riskskalan.";

    /// <summary>The scale that applies: the municipality's row, or the default scale when it has none.</summary>
    public static async Task<RiskSettings> ScaleAsync(KedjaDbContext db, Guid tenantId, CancellationToken cancellationToken = default) =>
        await db.RiskSettings.AsNoTracking().SingleOrDefaultAsync(cancellationToken) ?? RiskScale.Default(tenantId);

    public async Task<VersionedRiskSettings> GetAsync(CancellationToken cancellationToken = default)
    {
        var row = await db.RiskSettings.AsNoTracking().SingleOrDefaultAsync(cancellationToken);
        return VersionedRiskSettings.From(row ?? RiskScale.Default(tenant.TenantId), row is null);
    }

    /// <summary>Saves the scale from the version read (0 for a municipality still on the default scale); every error at once.</summary>
    /// <param name="unreadable">What the form could not read: refused together with every rule the rest breaks.</param>
    public async Task<ServiceResult<VersionedRiskSettings>> SaveAsync(VersionedRiskSettings input, ValidationErrors? unreadable = null, CancellationToken cancellationToken = default)
    {
        if (!tenant.IsSystemAdmin && tenant.Role != TenantRole.Admin)
        {
            return ServiceError.Forbidden(AdminsOnly);
        }

        var errors = new ValidationErrors(unreadable);
        if (!NullElements.Check(errors, "", input))
        {
            return ServiceError.Invalid(errors);
        }

        input = input with { Categories = input.Categories ?? [], Bands = input.Bands ?? [] };
        var (likelihood, consequence) = await UsedStepsAsync(cancellationToken);
        InternalControlRules.CheckSettings(errors, "", input, likelihood, consequence);
        if (input.Version is null)
        {
            errors.Add("version", ServiceError.VersionToChange);
        }

        if (errors.Count > 0)
        {
            return ServiceError.Invalid(errors);
        }

        var row = await db.RiskSettings.SingleOrDefaultAsync(cancellationToken);
        if (row is null)
        {
            // Nobody has saved the scale yet: only a change from the default (version 0) creates the row; two at once
            // collide on the key and the second is told to read again.
            if (input.Version != 0)
            {
                return ServiceError.Conflict();
            }

            // Version 1 from the start, so that a second save from the default's version 0 is refused, not written over this one.
            row = new RiskSettings { TenantId = tenant.TenantId, Version = 1 };
            db.RiskSettings.Add(row);
        }
        else
        {
            db.ExpectVersion(row, input.Version!.Value);
        }

        input.ApplyTo(row);
        return await db.TrySaveAsync() ? VersionedRiskSettings.From(row, false) : ServiceError.Conflict();
    }

    /// <summary>The highest step of each axis any assessment uses, before or after existing controls (0 for none).</summary>
    private async Task<(int Likelihood, int Consequence)> UsedStepsAsync(CancellationToken cancellationToken)
    {
        var assessments = db.RiskAssessments.AsNoTracking();
        var likelihood = Math.Max(await assessments.MaxAsync(a => (int?)a.Likelihood, cancellationToken) ?? 0, await assessments.MaxAsync(a => a.LikelihoodAfter, cancellationToken) ?? 0);
        var consequence = Math.Max(await assessments.MaxAsync(a => (int?)a.Consequence, cancellationToken) ?? 0, await assessments.MaxAsync(a => a.ConsequenceAfter, cancellationToken) ?? 0);
        return (likelihood, consequence);
    }
}
