using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Kedja.Domain.Auditing;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Data;

/// <summary>The last link of one audit chain. Its row is locked while entries are appended, so chains never fork.</summary>
public class AuditChainHead
{
    public const string SystemScope = "system";

    /// <summary>The tenant's id ("D" format), or <see cref="SystemScope"/> for installation-wide events.</summary>
    public required string Scope { get; set; }

    public long LastSequence { get; set; }

    public string LastHash { get; set; } = "";
}

/// <summary>Where verification found the chain broken, in Swedish, with the entry it concerns.</summary>
public sealed record AuditChainBreak(long? EntryId, long Sequence, string Reason);

public sealed record AuditChainReport(string Scope, long Entries, string HeadHash, AuditChainBreak? Break)
{
    public bool IsIntact => Break is null;
}

/// <summary>
/// Appends audit entries to their per-tenant hash chain and verifies a chain. See
/// docs/adr/0014-tamper-evident-audit.md: the triggers stop UPDATE and DELETE, the chain shows it if they were dropped.
/// </summary>
public static class AuditChain
{
    public static string ScopeOf(Guid? tenantId) => tenantId?.ToString("D") ?? AuditChainHead.SystemScope;

    /// <summary>
    /// Gives each new entry its place in its chain. Runs inside the saving transaction; the head row of each chain is
    /// locked first (in a fixed order, so two writers cannot deadlock on each other's chains).
    /// </summary>
    internal static async Task LinkAsync(KedjaDbContext db, IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken)
    {
        foreach (var chain in entries.GroupBy(e => ScopeOf(e.TenantId)).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var scope = chain.Key;
            await db.Database.ExecuteSqlRawAsync(
                "INSERT INTO audit_chain_heads (scope, last_sequence, last_hash) VALUES ({0}, 0, '') ON CONFLICT (scope) DO NOTHING", [scope], cancellationToken);
            if (KedjaDatabase.ProviderOf(db) == DatabaseProvider.Postgres)
            {
                // SQLite has one writer at a time already; PostgreSQL needs the row lock.
                await db.Database.ExecuteSqlRawAsync("SELECT 1 FROM audit_chain_heads WHERE scope = {0} FOR UPDATE", [scope], cancellationToken);
            }

            var head = await db.AuditChainHeads.AsNoTracking().SingleAsync(h => h.Scope == scope, cancellationToken);
            var sequence = head.LastSequence;
            var hash = head.LastHash;
            foreach (var entry in chain)
            {
                // Both databases must give back exactly what was hashed; PostgreSQL keeps microseconds.
                entry.At = new DateTime(entry.At.Ticks - (entry.At.Ticks % 10), DateTimeKind.Utc);
                entry.Sequence = ++sequence;
                entry.Hash = hash = Compute(entry, hash);
            }

            await db.AuditChainHeads.Where(h => h.Scope == scope)
                .ExecuteUpdateAsync(s => s.SetProperty(h => h.LastSequence, sequence).SetProperty(h => h.LastHash, hash), cancellationToken);
        }
    }

    /// <summary>
    /// Links and writes many entries at once, outside SaveChanges, for writes that bypass it (an import of thousands of
    /// values through the bulk writer). Only inside the caller's transaction, which also holds what the entries describe.
    /// </summary>
    public static async Task AppendAsync(KedjaDbContext db, IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken = default)
    {
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("Granskningsposter skrivs i samma transaktion som ändringen de beskriver.");
        }

        if (entries.Count == 0)
        {
            return;
        }

        await LinkAsync(db, entries, cancellationToken);
        await new Bulk.BulkWriter(db).InsertAsync(entries, cancellationToken);
    }

    /// <summary>SHA-256 over the entry's fields and the previous hash, as an unambiguous JSON array.</summary>
    public static string Compute(AuditEntry entry, string previousHash)
    {
        var content = JsonSerializer.Serialize(new object?[]
        {
            entry.Sequence,
            entry.TenantId?.ToString("D"),
            entry.UserName,
            entry.At.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture),
            entry.Entity,
            entry.EntityId,
            entry.Action,
            entry.Before,
            entry.After,
            previousHash,
        });
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content)));
    }

    /// <summary>
    /// Reads the chain in order and recomputes every hash. Names the first entry that was changed, removed or inserted,
    /// and a chain whose end does not match its head (entries removed from the end).
    /// </summary>
    public static async Task<AuditChainReport> VerifyAsync(KedjaDbContext db, Guid? tenantId, CancellationToken cancellationToken = default)
    {
        var scope = ScopeOf(tenantId);
        var head = await db.AuditChainHeads.AsNoTracking().SingleOrDefaultAsync(h => h.Scope == scope, cancellationToken);
        var entries = db.AuditEntries.IgnoreQueryFilters().AsNoTracking()
            .Where(e => e.TenantId == tenantId)
            .OrderBy(e => e.Sequence).ThenBy(e => e.Id)
            .AsAsyncEnumerable();
        long expected = 1;
        var previous = "";
        await foreach (var entry in entries.WithCancellation(cancellationToken))
        {
            if (entry.Sequence != expected)
            {
                var reason = entry.Sequence < expected
                    ? $"Post {entry.Id} har samma plats i kedjan ({entry.Sequence}) som en tidigare post: en post har lagts till i efterhand."
                    : $"Post {entry.Id} har plats {entry.Sequence}, men {expected} väntades: {(entry.Sequence - expected == 1 ? "en post" : $"{entry.Sequence - expected} poster")} saknas.";
                return new AuditChainReport(scope, expected - 1, previous, new AuditChainBreak(entry.Id, expected, reason));
            }

            if (Compute(entry, previous) != entry.Hash)
            {
                return new AuditChainReport(scope, expected - 1, previous, new AuditChainBreak(entry.Id, expected,
                    $"Post {entry.Id} (plats {entry.Sequence}) stämmer inte med sin kontrollsumma: posten eller en post före den har ändrats."));
            }

            previous = entry.Hash;
            expected++;
        }

        var count = expected - 1;
        if ((head?.LastSequence ?? 0) != count || (head?.LastHash ?? "") != previous)
        {
            return new AuditChainReport(scope, count, previous, new AuditChainBreak(null, expected,
                $"Kedjan slutar vid plats {count}, men den senast skrivna posten har plats {head?.LastSequence ?? 0}: poster i slutet har tagits bort eller kedjans huvud har ändrats."));
        }

        return new AuditChainReport(scope, count, previous, null);
    }

    /// <summary>Links entries written before the chain existed (migration 0005), in the order they were written.</summary>
    internal static async Task SealExistingAsync(KedjaDbContext db, CancellationToken cancellationToken)
    {
        var scopes = await db.AuditEntries.IgnoreQueryFilters().Select(e => e.TenantId).Distinct().ToListAsync(cancellationToken);
        foreach (var tenantId in scopes)
        {
            long sequence = 0;
            var hash = "";
            var entries = await db.AuditEntries.IgnoreQueryFilters().AsNoTracking().Where(e => e.TenantId == tenantId).OrderBy(e => e.Id).ToListAsync(cancellationToken);
            foreach (var entry in entries)
            {
                entry.Sequence = ++sequence;
                entry.Hash = hash = Compute(entry, hash);
                await db.AuditEntries.IgnoreQueryFilters().Where(e => e.Id == entry.Id)
                    .ExecuteUpdateAsync(s => s.SetProperty(e => e.Sequence, entry.Sequence).SetProperty(e => e.Hash, entry.Hash), cancellationToken);
            }

            await db.Database.ExecuteSqlRawAsync(
                "INSERT INTO audit_chain_heads (scope, last_sequence, last_hash) VALUES ({0}, {1}, {2})", [ScopeOf(tenantId), sequence, hash], cancellationToken);
        }
    }
}
