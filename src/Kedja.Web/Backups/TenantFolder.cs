using System.Text.Json;
using Kedja.Data;
using Kedja.Web.Exchange;
using Kedja.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Backups;

public sealed record FolderTenant(string Slug, string File, long Bytes);

/// <summary>
/// Every municipality as its tenant document, one file per municipality (<c>{slug}.json</c>) and their hashes in
/// <c>SHA256SUMS</c>: the logical backup of each municipality (ADR 50). The documents are written exactly as the
/// export verb writes one, so exporting what was imported gives the same bytes. Accounts, memberships, the audit log
/// and report files are not in a tenant document: they are in the database backup.
/// </summary>
public sealed class TenantFolder(IServiceScopeFactory scopes, JsonSerializerOptionsProvider json)
{
    public const string SumsFile = "SHA256SUMS";

    /// <summary>Writes the export verb's file for the tenant the scope has entered.</summary>
    public static async Task WriteDocumentAsync(IServiceProvider scoped, string path, CancellationToken cancellationToken)
    {
        var doc = await scoped.GetRequiredService<TenantExporter>().ExportAsync(cancellationToken);
        await using var stream = File.Create(path);
        await JsonSerializer.SerializeAsync(stream, doc, Indented(scoped.GetRequiredService<JsonSerializerOptionsProvider>().Options), cancellationToken);
    }

    private static JsonSerializerOptions Indented(JsonSerializerOptions options) => new(options) { WriteIndented = true };

    public async Task<IReadOnlyList<FolderTenant>> ExportAllAsync(string folder, Func<FolderTenant, Task>? progress = null, CancellationToken cancellationToken = default)
    {
        if (Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any())
        {
            throw new BackupRefusedException($"Mappen {folder} är inte tom. Välj en ny eller tom mapp, så att filer från en tidigare export inte blandas in.", usage: true);
        }

        Directory.CreateDirectory(folder);
        List<string> slugs;
        using (var scope = scopes.CreateScope())
        {
            slugs = await scope.ServiceProvider.GetRequiredService<KedjaDbContext>().Tenants.AsNoTracking().Select(t => t.Slug).ToListAsync(cancellationToken);
        }

        var written = new List<FolderTenant>();
        var sums = new System.Text.StringBuilder();
        foreach (var slug in slugs.Order(StringComparer.Ordinal))
        {
            using var scope = scopes.CreateScope();
            var entered = await scope.ServiceProvider.GetRequiredService<TenantAccess>().EnterAsSystemAsync(slug, cancellationToken);
            if (entered.Error is not null)
            {
                // Removed between the list and now: nothing to back up.
                continue;
            }

            var path = Path.Combine(folder, slug + ".json");
            await WriteDocumentAsync(scope.ServiceProvider, path, cancellationToken);
            sums.Append(await BackupHash.ComputeAsync(path, cancellationToken)).Append("  ").Append(slug).Append(".json\n");
            var tenant = new FolderTenant(slug, path, new FileInfo(path).Length);
            written.Add(tenant);
            if (progress is not null)
            {
                await progress(tenant);
            }
        }

        await File.WriteAllTextAsync(Path.Combine(folder, SumsFile), sums.ToString(), cancellationToken);
        return written;
    }

    /// <summary>
    /// Imports every document of the folder, each under the slug it carries. All documents are read, hashed against
    /// SHA256SUMS and checked before the first is written; any problem refuses the whole folder. Each municipality is
    /// then written in its own transaction.
    /// </summary>
    public async Task<IReadOnlyList<FolderTenant>> ImportAllAsync(string folder, Func<FolderTenant, Task>? progress = null, CancellationToken cancellationToken = default)
    {
        if (!Directory.Exists(folder))
        {
            throw new BackupRefusedException($"Mappen {folder} finns inte.", usage: true);
        }

        var files = Directory.GetFiles(folder, "*.json").Order(StringComparer.Ordinal).ToList();
        if (files.Count == 0)
        {
            throw new BackupRefusedException($"Mappen {folder} har inga kommuner (*.json).", usage: true);
        }

        await CheckSumsAsync(folder, files, cancellationToken);
        var documents = new List<(string File, TenantDocument Document)>();
        var problems = new List<string>();
        using (var scope = scopes.CreateScope())
        {
            var importer = scope.ServiceProvider.GetRequiredService<TenantImporter>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var file in files)
            {
                await using var stream = File.OpenRead(file);
                var (doc, errors) = await DocumentJson.ReadAsync(stream, json.Options, cancellationToken);
                errors ??= await importer.CheckAsync(doc!, doc!.Tenant.Slug, cancellationToken);
                if (doc is not null && !seen.Add(doc.Tenant.Slug))
                {
                    errors["tenant.slug"] = [$"Kortnamnet {doc.Tenant.Slug} finns i mer än en fil."];
                }

                problems.AddRange(errors.Select(e => $"{Path.GetFileName(file)}: {e.Key}: {string.Join(" ", e.Value)}"));
                if (doc is not null)
                {
                    documents.Add((file, doc));
                }
            }
        }

        if (problems.Count > 0)
        {
            throw new BackupRefusedException("Importen stoppades innan något sparades:\n  " + string.Join("\n  ", problems));
        }

        var imported = new List<FolderTenant>();
        foreach (var (file, doc) in documents)
        {
            using var scope = scopes.CreateScope();
            var result = await scope.ServiceProvider.GetRequiredService<TenantImporter>().ImportAsync(doc, doc.Tenant.Slug, cancellationToken: cancellationToken);
            if (!result.Succeeded)
            {
                throw new BackupRefusedException(
                    $"{Path.GetFileName(file)} kunde inte importeras ({string.Join(" ", result.Errors.SelectMany(e => e.Value))}). " +
                    (imported.Count == 0 ? "Inget sparades." : $"Redan importerade: {string.Join(", ", imported.Select(t => t.Slug))}; de andra sparades inte."));
            }

            var tenant = new FolderTenant(doc.Tenant.Slug, file, new FileInfo(file).Length);
            imported.Add(tenant);
            if (progress is not null)
            {
                await progress(tenant);
            }
        }

        return imported;
    }

    /// <summary>Every document must be listed in SHA256SUMS with its hash, when the folder has one (export-all writes it).</summary>
    private static async Task CheckSumsAsync(string folder, List<string> files, CancellationToken cancellationToken)
    {
        var sumsPath = Path.Combine(folder, SumsFile);
        if (!File.Exists(sumsPath))
        {
            return;
        }

        var sums = (await File.ReadAllLinesAsync(sumsPath, cancellationToken))
            .Select(line => line.Split("  ", 2))
            .Where(parts => parts.Length == 2)
            .ToDictionary(parts => parts[1].Trim(), parts => parts[0].Trim(), StringComparer.Ordinal);
        var wrong = new List<string>();
        foreach (var file in files)
        {
            var name = Path.GetFileName(file);
            if (!sums.TryGetValue(name, out var expected))
            {
                wrong.Add($"{name} saknas i {SumsFile}");
            }
            else if (!string.Equals(expected, await BackupHash.ComputeAsync(file, cancellationToken), StringComparison.OrdinalIgnoreCase))
            {
                wrong.Add($"{name} är ändrad eller skadad (SHA-256 stämmer inte med {SumsFile})");
            }
        }

        wrong.AddRange(sums.Keys.Where(name => !files.Any(f => Path.GetFileName(f) == name)).Select(name => $"{name} står i {SumsFile} men finns inte"));
        if (wrong.Count > 0)
        {
            throw new BackupRefusedException("Importen stoppades innan något sparades:\n  " + string.Join("\n  ", wrong));
        }
    }
}
