using System.Security.Cryptography;
using System.Text.Json;
using Kedja.Data;
using Kedja.Domain.Imports;
using Kedja.Domain.Tenancy;
using Kedja.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Imports;

/// <summary>How imports are checked and made in the background (<c>Kedja:Imports</c>); ADR 36.</summary>
public sealed class ImportOptions
{
    public const string Section = "Kedja:Imports";

    /// <summary>Whether this node's worker checks and imports files; tests drive workers themselves with false.</summary>
    public bool RunWorker { get; set; } = true;

    public double PollSeconds { get; set; } = 3;

    public double LeaseSeconds { get; set; } = 60;

    /// <summary>Files one node checks or imports at the same time.</summary>
    public int Parallel { get; set; } = 1;

    /// <summary>A tenant's files checked or imported at the same time across all nodes; the rest wait queued (issue 17).</summary>
    public int RunningPerTenant { get; set; } = 1;

    /// <summary>A file not imported is removed after this many days; the log row stays.</summary>
    public int KeepFileDays { get; set; } = 7;
}

public sealed class ImportQueue : WorkSignal;

/// <summary>An import as the API and the pages show it: the log row, and the preview once the file is checked.</summary>
public sealed record ImportDto(Guid Id, string FileName, string FileHash, long Size, string RequestedBy, DateTime RequestedAt, string State, int Progress,
    string? Failure, int Rows, int ErrorRows, int NewRows, int ChangedRows, int UnchangedRows, DateTime? CheckedAt, DateTime? ImportedAt, ImportCheck? Preview)
{
    /// <summary>While this is true the state changes by itself: a page reloads, an API client polls.</summary>
    public bool Working => State is "checkQueued" or "checking" or "importQueued" or "importing";

    public bool CanImport => State == "checked" && Preview is { CanImport: true };
}

/// <summary>
/// The rules of the import log: who may upload (editors and administrators), who sees an import (the one who uploaded
/// it, and administrators), and that only a checked file without problems is imported. The worker does the work.
/// </summary>
public sealed class ImportJobs(KedjaDbContext db, TenantContext tenant, IAuditActor actor, ImportQueue queue, TimeProvider clock)
{
    public const string NotFound = "Importen finns inte.";

    public static string TooLarge(long max) => $"Filen är för stor: högst {max / 1024 / 1024} MB.";

    public static readonly JsonSerializerOptions PreviewJson = new(JsonSerializerDefaults.Web);

    public async Task<ServiceResult<ImportDto>> StartAsync(string? fileName, byte[] content, CancellationToken cancellationToken = default) =>
        await StartAsync(fileName, content, OutcomeImportKind.Outcomes, cancellationToken);

    /// <summary>Uploads a file of a kind: outcomes (editors) or budget and outcome from the finance system (administrators, larger files).</summary>
    public async Task<ServiceResult<ImportDto>> StartAsync(string? fileName, byte[] content, string kind, CancellationToken cancellationToken = default)
    {
        var finance = kind == OutcomeImportKind.Finance;
        if (!tenant.IsSystemAdmin && tenant.Role < (finance ? TenantRole.Admin : TenantRole.Editor))
        {
            return ServiceError.Forbidden(finance ? Finance.FinanceImports.AdminsOnly : "Läsare kan inte importera. Be en redaktör eller administratör.");
        }

        var name = CleanFileName(fileName);
        if (name.Length == 0)
        {
            return ServiceError.Invalid("file", "Välj en fil att importera.");
        }

        if (content.Length == 0)
        {
            return ServiceError.Invalid("file", "Filen är tom.");
        }

        var max = finance ? Finance.FinanceImports.MaxBytes : ImportReader.MaxBytes;
        if (content.LongLength > max)
        {
            return ServiceError.Invalid("file", TooLarge(max));
        }

        var import = new OutcomeImport
        {
            TenantId = tenant.TenantId, RequestedById = tenant.UserId, RequestedByName = actor.Name, RequestedAt = clock.GetUtcNow().UtcDateTime,
            FileName = name.Length > Domain.TextLimits.Short ? name[..Domain.TextLimits.Short] : name, FileHash = Convert.ToHexStringLower(SHA256.HashData(content)),
            Size = content.LongLength, Content = content, State = OutcomeImportState.CheckQueued, Kind = finance ? OutcomeImportKind.Finance : OutcomeImportKind.Outcomes,
        };
        db.OutcomeImports.Add(import);
        await db.SaveChangesAsync(cancellationToken);
        queue.Wake();
        return Dto(import);
    }

    /// <summary>
    /// The name the import log shows: after the last / or \ (a browser on Windows may send a whole path; on Linux
    /// <see cref="Path.GetFileName(string)"/> keeps backslashes), without control or format characters, so a right-to-left
    /// override cannot make "fil‮vsc.exe" read as another name in the log.
    /// </summary>
    public static string CleanFileName(string? fileName)
    {
        var name = fileName ?? "";
        name = name[(name.LastIndexOfAny(['/', '\\']) + 1)..];
        return string.Concat(name.Where(c => char.GetUnicodeCategory(c) is not (System.Globalization.UnicodeCategory.Control or System.Globalization.UnicodeCategory.Format))).Trim();
    }

    /// <summary>Logs an import made directly, without the worker (the verb): who, when, the file's name, hash and row counts.</summary>
    public async Task LogAsync(string fileName, byte[] content, ImportRun run, CancellationToken cancellationToken = default) =>
        await LogAsync(fileName, content, run, OutcomeImportKind.Outcomes, cancellationToken);

    public async Task LogAsync(string fileName, byte[] content, ImportRun run, string kind, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        db.OutcomeImports.Add(new OutcomeImport
        {
            TenantId = tenant.TenantId, RequestedById = tenant.UserId, RequestedByName = actor.Name, RequestedAt = now, FileName = Path.GetFileName(fileName),
            Format = run.Check.Format, FileHash = Convert.ToHexStringLower(SHA256.HashData(content)), Size = content.LongLength,
            State = run.Imported ? OutcomeImportState.Imported : OutcomeImportState.Failed, Progress = 100, Failure = run.Refusal, Rows = run.Check.Rows,
            ErrorRows = run.Check.ErrorRows, NewValues = run.Check.NewRows, ChangedValues = run.Check.ChangedRows, UnchangedValues = run.Check.UnchangedRows,
            Preview = JsonSerializer.Serialize(run.Check, PreviewJson), PlanHash = run.Check.PlanHash, CheckedAt = now,
            ImportedAt = run.Imported ? now : null, ImportedByName = run.Imported ? actor.Name : null, Kind = kind,
        });
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task<ServiceResult<ImportDto>> GetAsync(Guid id, CancellationToken cancellationToken = default) =>
        await GetAsync(id, OutcomeImportKind.Outcomes, cancellationToken);

    /// <summary>An import of a kind: one of another kind is not found here (each kind has its own pages and URLs).</summary>
    public async Task<ServiceResult<ImportDto>> GetAsync(Guid id, string kind, CancellationToken cancellationToken = default) =>
        await FindAsync(id, cancellationToken) is { } import && import.Kind == kind ? Dto(import) : ServiceError.NotFound(NotFound);

    /// <summary>The person's imports (an administrator's: everyone's), newest first.</summary>
    public async Task<List<ImportDto>> ListAsync(CancellationToken cancellationToken = default) => await ListAsync(OutcomeImportKind.Outcomes, cancellationToken);

    /// <summary>The person's imports of a kind (an administrator's: everyone's), newest first.</summary>
    public async Task<List<ImportDto>> ListAsync(string kind, CancellationToken cancellationToken = default) =>
        [.. (await Visible().Where(i => i.Kind == kind).OrderByDescending(i => i.RequestedAt).Take(50)
            .Select(i => new OutcomeImport
            {
                TenantId = i.TenantId, Id = i.Id, RequestedById = i.RequestedById, RequestedByName = i.RequestedByName, RequestedAt = i.RequestedAt, FileName = i.FileName,
                FileHash = i.FileHash, Size = i.Size, State = i.State, Progress = i.Progress, Failure = i.Failure, Rows = i.Rows, ErrorRows = i.ErrorRows,
                NewValues = i.NewValues, ChangedValues = i.ChangedValues, UnchangedValues = i.UnchangedValues, CheckedAt = i.CheckedAt, ImportedAt = i.ImportedAt,
            }).ToListAsync(cancellationToken)).Select(Dto)];

    /// <summary>Queues the import of a checked file without problems. Only the person who uploaded it imports it: it is done in their name and with their rights.</summary>
    public async Task<ServiceResult<ImportDto>> ImportAsync(Guid id, CancellationToken cancellationToken = default) =>
        await ImportAsync(id, OutcomeImportKind.Outcomes, cancellationToken);

    /// <summary>Queues the import of a checked file of a kind: one of another kind is not found here, as in <see cref="GetAsync(Guid, string, CancellationToken)"/>.</summary>
    public async Task<ServiceResult<ImportDto>> ImportAsync(Guid id, string kind, CancellationToken cancellationToken = default)
    {
        var import = await FindAsync(id, cancellationToken);
        if (import is null || import.Kind != kind)
        {
            return ServiceError.NotFound(NotFound);
        }

        if (import.RequestedById != tenant.UserId)
        {
            return ServiceError.Forbidden("Bara den som laddade upp filen kan importera den.");
        }

        var preview = Preview(import);
        if (import.State != OutcomeImportState.Checked || preview is not { CanImport: true })
        {
            return ServiceError.Conflict(import.State switch
            {
                OutcomeImportState.Imported => "Filen är redan importerad.",
                OutcomeImportState.Checked => "Filen har fel och kan inte importeras. Rätta felen och ladda upp den igen.",
                OutcomeImportState.ImportQueued or OutcomeImportState.Importing => "Filen importeras redan.",
                _ => "Filen är inte färdigkontrollerad än.",
            });
        }

        var won = await db.OutcomeImports.Where(i => i.Id == id && i.State == OutcomeImportState.Checked)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.State, OutcomeImportState.ImportQueued).SetProperty(i => i.Progress, 0), cancellationToken);
        if (won == 0)
        {
            return ServiceError.Conflict("Filen importeras redan.");
        }

        queue.Wake();
        return Dto((await FindAsync(id, cancellationToken))!);
    }

    private IQueryable<OutcomeImport> Visible() =>
        tenant.IsSystemAdmin || tenant.Role >= TenantRole.Admin ? db.OutcomeImports.AsNoTracking() : db.OutcomeImports.AsNoTracking().Where(i => i.RequestedById == tenant.UserId);

    private Task<OutcomeImport?> FindAsync(Guid id, CancellationToken cancellationToken) => Visible().SingleOrDefaultAsync(i => i.Id == id, cancellationToken);

    public static ImportCheck? Preview(OutcomeImport import) =>
        import.Preview is { } json ? JsonSerializer.Deserialize<ImportCheck>(json, PreviewJson) : null;

    public static string StateKey(OutcomeImportState state) => JsonNamingPolicy.CamelCase.ConvertName(state.ToString());

    private static ImportDto Dto(OutcomeImport i) => new(i.Id, i.FileName, i.FileHash, i.Size, i.RequestedByName, i.RequestedAt, StateKey(i.State), i.Progress,
        i.Failure, i.Rows, i.ErrorRows, i.NewValues, i.ChangedValues, i.UnchangedValues, i.CheckedAt, i.ImportedAt, Preview(i));
}
