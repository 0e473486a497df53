using Kedja.Data;
using Kedja.Domain.Tenancy;
using Kedja.Web.Exchange;
using Kedja.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Activities;

/// <summary>A program as the tenant document describes it, with its version: what GET gives and PUT takes back.</summary>
public sealed record VersionedProgram(Guid Id, string Name, string? Description, Guid? OwnerUnitId, int? ValidFromYear, int? ValidToYear, int? Version)
    : ProgramDoc(Id, Name, Description, OwnerUnitId, ValidFromYear, ValidToYear)
{
    public static VersionedProgram Of(Domain.Activities.Program p) => new(p.Id, p.Name, p.Description, p.OwnerUnitId, p.ValidFromYear, p.ValidToYear, p.Version);
}

/// <summary>
/// Creates, changes and removes programs (a miljöprogram, a digitaliseringsprogram: activities and indicators outside
/// goal fulfilment) with <see cref="ProgramRules"/>, as the importer checks them. Administrators edit every program;
/// an editor those their units own, and a program nobody owns only who reaches every unit (ADR 23).
/// </summary>
public sealed class ProgramEditing(KedjaDbContext db, TenantContext tenant)
{
    public const string NotFound = "Programmet finns inte.";

    public const string OutsideUnits = "Du får bara ändra program som ägs av din enhet eller enheterna under den. Ett program utan ägare ändras av kommunens administratör.";

    public async Task<List<VersionedProgram>> ListAsync(CancellationToken cancellationToken = default) =>
        [.. (await db.Programs.AsNoTracking().OrderBy(p => p.Name).ToListAsync(cancellationToken)).Select(VersionedProgram.Of)];

    public async Task<ServiceResult<VersionedProgram>> GetAsync(Guid id, CancellationToken cancellationToken = default) =>
        await db.Programs.AsNoTracking().SingleOrDefaultAsync(p => p.Id == id, cancellationToken) is { } program ? VersionedProgram.Of(program) : ServiceError.NotFound(NotFound);

    /// <summary>Whether the person may change a program with this owner (and create one).</summary>
    public async Task<bool> MayEditAsync(Guid? ownerUnitId, CancellationToken cancellationToken = default) =>
        tenant.Role >= TenantRole.Editor && (ownerUnitId is { } owner
            ? await UnitScope.AllowsAsync(tenant, db, owner, cancellationToken)
            : tenant.Role == TenantRole.Admin || tenant.IsSystemAdmin || tenant.UnitScope is null);

    /// <param name="unreadable">What the form could not read: refused together with every rule the rest breaks, so a person fixes all at once.</param>
    public async Task<ServiceResult<VersionedProgram>> CreateAsync(VersionedProgram input, ValidationErrors? unreadable = null, CancellationToken cancellationToken = default)
    {
        if (await CheckAsync(input, unreadable, cancellationToken) is { } invalid)
        {
            return invalid;
        }

        if (!await MayEditAsync(input.OwnerUnitId, cancellationToken))
        {
            return ServiceError.Forbidden(OutsideUnits);
        }

        var id = input.Id == Guid.Empty ? Guid.CreateVersion7() : input.Id;
        if (await db.Programs.AnyAsync(p => p.Id == id, cancellationToken))
        {
            return ServiceError.Conflict("Det finns redan ett program med det id:t.");
        }

        var program = new Domain.Activities.Program { Id = id, Name = "" };
        Apply(program, input);
        db.Programs.Add(program);
        return await db.TrySaveAsync() ? VersionedProgram.Of(program) : ServiceError.Conflict("Det finns redan ett program med det id:t.");
    }

    /// <summary>Renames a program or changes its years or owner. Giving it to another unit needs the right to edit for both.</summary>
    /// <param name="unreadable">What the form could not read: refused together with every rule the rest breaks, so a person fixes all at once.</param>
    public async Task<ServiceResult<VersionedProgram>> UpdateAsync(Guid id, VersionedProgram input, ValidationErrors? unreadable = null, CancellationToken cancellationToken = default)
    {
        var program = await db.Programs.SingleOrDefaultAsync(p => p.Id == id, cancellationToken);
        if (program is null)
        {
            return ServiceError.NotFound(NotFound);
        }

        if (!await MayEditAsync(program.OwnerUnitId, cancellationToken))
        {
            return ServiceError.Forbidden(OutsideUnits);
        }

        if (input.Version is null)
        {
            return ServiceError.Invalid("version", ServiceError.VersionToChange);
        }

        if (await CheckAsync(input, unreadable, cancellationToken) is { } invalid)
        {
            return invalid;
        }

        if (!await MayEditAsync(input.OwnerUnitId, cancellationToken))
        {
            return ServiceError.Forbidden(OutsideUnits);
        }

        db.ExpectVersion(program, input.Version.Value);
        Apply(program, input);
        return await db.TrySaveAsync() ? VersionedProgram.Of(program) : ServiceError.Conflict();
    }

    /// <summary>
    /// Removes a program that holds nothing. One with activities or indicators is refused: they carry reports and
    /// outcomes, which a removal must not take with it unseen (ADR 23).
    /// </summary>
    public async Task<ServiceResult<Done>> DeleteAsync(Guid id, int? version, CancellationToken cancellationToken = default)
    {
        var program = await db.Programs.SingleOrDefaultAsync(p => p.Id == id, cancellationToken);
        if (program is null)
        {
            return ServiceError.NotFound(NotFound);
        }

        if (!await MayEditAsync(program.OwnerUnitId, cancellationToken))
        {
            return ServiceError.Forbidden(OutsideUnits);
        }

        if (version is null)
        {
            return ServiceError.Invalid("version", ServiceError.VersionToRemove);
        }

        if (await db.Activities.AnyAsync(a => a.ProgramId == id, cancellationToken) || await db.Indicators.AnyAsync(i => i.ProgramId == id, cancellationToken))
        {
            return ServiceError.Invalid("id", "Programmet har aktiviteter eller indikatorer. Ta bort eller flytta dem först.");
        }

        return await db.RemoveAsReadAsync(program, version.Value);
    }

    private async Task<ServiceError?> CheckAsync(ProgramDoc input, ValidationErrors? unreadable, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors(unreadable);
        if (!NullElements.Check(errors, "", input))
        {
            return ServiceError.Invalid(errors);
        }

        var ownerExists = input.OwnerUnitId is not { } owner || await db.Units.AnyAsync(u => u.Id == owner, cancellationToken);
        ProgramRules.Check(errors, "", input, ownerExists);
        return errors.Count > 0 ? ServiceError.Invalid(errors) : null;
    }

    private static void Apply(Domain.Activities.Program program, ProgramDoc input)
    {
        program.Name = input.Name.Trim();
        program.Description = string.IsNullOrWhiteSpace(input.Description) ? null : input.Description.Trim();
        program.OwnerUnitId = input.OwnerUnitId;
        program.ValidFromYear = input.ValidFromYear;
        program.ValidToYear = input.ValidToYear;
    }
}
