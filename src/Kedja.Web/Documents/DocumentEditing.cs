using Kedja.Data;
using Kedja.Domain.Documents;
using Kedja.Domain.Tenancy;
using Kedja.Web.Exchange;
using Kedja.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Documents;

/// <summary>
/// A governing document as the tenant document describes it (with the goals it bears on), its version and its kind in
/// Swedish: what GET gives and PUT takes back. A new document may bring its own id.
/// </summary>
public sealed record VersionedDocument(Guid Id, DocumentKind Kind, string Title, string? Description, Guid? DecidedByUnitId, DateOnly? DecidedOn,
    DateOnly? ValidFrom, DateOnly? ValidTo, string? Url, List<Guid> GoalIds, int? Version)
    : GoverningDocumentDoc(Id, Kind, Title, Description, DecidedByUnitId, DecidedOn, ValidFrom, ValidTo, Url, GoalIds)
{
    /// <summary>The kind as a person reads it ("Riktlinje"); ignored in a request.</summary>
    public string KindName => DocumentKindNames.Swedish(Kind);

    public static VersionedDocument Of(GoverningDocumentDoc d, int version) =>
        new(d.Id, d.Kind, d.Title, d.Description, d.DecidedByUnitId, d.DecidedOn, d.ValidFrom, d.ValidTo, d.Url, d.GoalIds, version);
}

/// <summary>A goal a document may bear on, with where it sits, for choosing goals on a page.</summary>
public sealed record DocumentGoalChoice(Guid Id, string Title, string? Code, Guid UnitId, string Unit, string Level, int Depth);

/// <summary>
/// Creates, changes and removes the tenant's governing documents (policies, plans, programmes, guidelines, budgets)
/// with the rules of <see cref="DocumentRules"/>, the same the document importer applies. Only administrators change
/// them: a governing document is decided by the council or a committee, not by the units that follow it (ADR 24).
/// </summary>
public sealed class DocumentEditing(KedjaDbContext db, TenantContext tenant)
{
    public const string NotFound = "Dokumentet finns inte.";

    public const string AdminsOnly = "Bara administratörer får ändra styrdokument.";

    public async Task<List<VersionedDocument>> ListAsync(CancellationToken cancellationToken = default)
    {
        var documents = await db.Documents.AsNoTracking().ToListAsync(cancellationToken);
        var links = (await db.DocumentGoals.AsNoTracking().ToListAsync(cancellationToken)).ToLookup(l => l.DocumentId, l => l.GoalId);
        return [.. documents.OrderBy(d => d.Kind).ThenBy(d => d.Title, StringComparer.Create(Ui.Language.Formats, false)).Select(d => Versioned(d, links[d.Id]))];
    }

    public async Task<ServiceResult<VersionedDocument>> GetAsync(Guid id, CancellationToken cancellationToken = default)
    {
        var document = await db.Documents.AsNoTracking().SingleOrDefaultAsync(d => d.Id == id, cancellationToken);
        return document is null
            ? ServiceError.NotFound(NotFound)
            : Versioned(document, await db.DocumentGoals.AsNoTracking().Where(l => l.DocumentId == id).Select(l => l.GoalId).ToListAsync(cancellationToken));
    }

    /// <summary>Every goal of the tenant with its unit and level, for choosing the goals a document bears on.</summary>
    public async Task<List<DocumentGoalChoice>> GoalChoicesAsync(CancellationToken cancellationToken = default)
    {
        var levels = await db.GoalLevels.AsNoTracking().Select(l => new { l.Id, l.Name, l.Depth }).ToDictionaryAsync(l => l.Id, cancellationToken);
        var units = await db.Units.AsNoTracking().Select(u => new { u.Id, u.Name, u.SortOrder }).ToDictionaryAsync(u => u.Id, cancellationToken);
        var goals = await db.Goals.AsNoTracking().Select(g => new { g.Id, g.Title, g.Code, g.OwnerUnitId, g.LevelId, g.SortOrder }).ToListAsync(cancellationToken);
        return [.. goals
            .Select(g => (Goal: g, Level: levels.GetValueOrDefault(g.LevelId), Unit: units.GetValueOrDefault(g.OwnerUnitId)))
            .OrderBy(x => x.Level?.Depth ?? int.MaxValue).ThenBy(x => x.Unit?.SortOrder ?? int.MaxValue).ThenBy(x => x.Goal.SortOrder).ThenBy(x => x.Goal.Title, StringComparer.Ordinal)
            .Select(x => new DocumentGoalChoice(x.Goal.Id, x.Goal.Title, x.Goal.Code, x.Goal.OwnerUnitId, x.Unit?.Name ?? "", x.Level?.Name ?? "", x.Level?.Depth ?? int.MaxValue))];
    }

    /// <param name="unreadable">What the form could not read: refused together with every rule the rest breaks, so a person fixes all at once.</param>
    public async Task<ServiceResult<VersionedDocument>> CreateAsync(VersionedDocument input, ValidationErrors? unreadable = null, CancellationToken cancellationToken = default)
    {
        if (tenant.Role < TenantRole.Admin)
        {
            return ServiceError.Forbidden(AdminsOnly);
        }

        var id = input.Id == Guid.Empty ? Guid.CreateVersion7() : input.Id;
        if (await db.Documents.AnyAsync(d => d.Id == id, cancellationToken))
        {
            return ServiceError.Conflict("Det finns redan ett dokument med det id:t.");
        }

        var doc = Normal(input) with { Id = id };
        if (await CheckAsync(doc, unreadable, cancellationToken) is { } invalid)
        {
            return invalid;
        }

        var document = new GoverningDocument { Id = id, Title = "" };
        db.Documents.Add(document);
        Apply(document, doc, []);
        return await db.TrySaveAsync() ? await GetAsync(id, cancellationToken) : ServiceError.Conflict("Det finns redan ett dokument med det id:t.");
    }

    /// <summary>Changes a document as a whole, the goals it bears on included. Needs the version read with it.</summary>
    /// <param name="unreadable">What the form could not read: refused together with every rule the rest breaks, so a person fixes all at once.</param>
    public async Task<ServiceResult<VersionedDocument>> UpdateAsync(Guid id, VersionedDocument input, ValidationErrors? unreadable = null, CancellationToken cancellationToken = default)
    {
        if (tenant.Role < TenantRole.Admin)
        {
            return ServiceError.Forbidden(AdminsOnly);
        }

        var document = await db.Documents.SingleOrDefaultAsync(d => d.Id == id, cancellationToken);
        if (document is null)
        {
            return ServiceError.NotFound(NotFound);
        }

        if (input.Version is null)
        {
            return ServiceError.Invalid("version", ServiceError.VersionToChange);
        }

        var doc = Normal(input) with { Id = id };
        if (await CheckAsync(doc, unreadable, cancellationToken) is { } invalid)
        {
            return invalid;
        }

        db.ExpectVersion(document, input.Version.Value);
        Apply(document, doc, await db.DocumentGoals.Where(l => l.DocumentId == id).ToListAsync(cancellationToken));
        return await db.TrySaveAsync() ? await GetAsync(id, cancellationToken) : ServiceError.Conflict();
    }

    /// <summary>Removes a document and its links to goals (the goals stay). Needs the version read with it.</summary>
    public async Task<ServiceResult<Done>> DeleteAsync(Guid id, int? version, CancellationToken cancellationToken = default)
    {
        if (tenant.Role < TenantRole.Admin)
        {
            return ServiceError.Forbidden(AdminsOnly);
        }

        var document = await db.Documents.SingleOrDefaultAsync(d => d.Id == id, cancellationToken);
        if (document is null)
        {
            return ServiceError.NotFound(NotFound);
        }

        if (version is null)
        {
            return ServiceError.Invalid("version", ServiceError.VersionToRemove);
        }

        // Removed here rather than by the database's cascade, so that the audit trail records which links went.
        db.DocumentGoals.RemoveRange(await db.DocumentGoals.Where(l => l.DocumentId == id).ToListAsync(cancellationToken));
        return await db.RemoveAsReadAsync(document, version.Value);
    }

    private static VersionedDocument Normal(VersionedDocument input) => input with
    {
        Title = input.Title?.Trim() ?? "",
        Description = string.IsNullOrWhiteSpace(input.Description) ? null : input.Description.Trim(),
        Url = string.IsNullOrWhiteSpace(input.Url) ? null : input.Url.Trim(),
        GoalIds = input.GoalIds ?? [],
    };

    /// <summary>The document's rules, with the unit and the goals it names looked up in the database.</summary>
    private async Task<ServiceError?> CheckAsync(GoverningDocumentDoc doc, ValidationErrors? unreadable, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors(unreadable);
        if (!NullElements.Check(errors, "", doc))
        {
            return ServiceError.Invalid(errors);
        }

        var unitExists = doc.DecidedByUnitId is { } unitId && await db.Units.AnyAsync(u => u.Id == unitId, cancellationToken);
        var named = doc.GoalIds.Distinct().ToList();
        var goals = (await db.Goals.Where(g => named.Contains(g.Id)).Select(g => g.Id).ToListAsync(cancellationToken)).ToHashSet();
        DocumentRules.Check(errors, "", doc, new DocumentReferences(_ => unitExists, goals.Contains));
        return errors.Count > 0 ? ServiceError.Invalid(errors) : null;
    }

    private void Apply(GoverningDocument document, GoverningDocumentDoc doc, List<DocumentGoalLink> links)
    {
        document.Kind = doc.Kind;
        document.Title = doc.Title;
        document.Description = doc.Description;
        document.DecidedByUnitId = doc.DecidedByUnitId;
        document.DecidedOn = doc.DecidedOn;
        document.ValidFrom = doc.ValidFrom;
        document.ValidTo = doc.ValidTo;
        document.Url = doc.Url;
        db.DocumentGoals.RemoveRange(links.Where(l => !doc.GoalIds.Contains(l.GoalId)));
        db.DocumentGoals.AddRange(doc.GoalIds.Where(g => links.All(l => l.GoalId != g)).Select(g => new DocumentGoalLink { DocumentId = document.Id, GoalId = g }));
    }

    private static VersionedDocument Versioned(GoverningDocument d, IEnumerable<Guid> goalIds) =>
        VersionedDocument.Of(new GoverningDocumentDoc(d.Id, d.Kind, d.Title, d.Description, d.DecidedByUnitId, d.DecidedOn, d.ValidFrom, d.ValidTo, d.Url,
            [.. goalIds.OrderBy(TenantExporter.Key)]), d.Version);
}
