using System.Text.Json;
using Kedja.Data;
using Kedja.Domain;
using Kedja.Domain.Periods;
using Kedja.Web.Infrastructure;
using Kedja.Web.Periods;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Exchange;

/// <summary>
/// Closed years (issue 16, ADR 47 section 4): the scorecards as reported when follow-ups were locked and after each
/// correction, and the corrections with their reasons. Without them an imported tenant would compute its locked years
/// from today's model and organisation. Left out, the tenant has none, as before.
/// </summary>
public sealed record ClosedYearsDoc
{
    public List<LockedScorecardDoc> LockedScorecards { get; init; } = [];

    public List<CorrectionDoc> Corrections { get; init; } = [];
}

/// <param name="CorrectionNumber">0 for the card as locked; the correction's number when a correction took it again.</param>
/// <param name="Json">The scorecard as its API gave it then, unchanged (units, goals and indicators by the document's ids).</param>
/// <param name="Hash">SHA-256 of <paramref name="Json"/> (UTF-8), lowercase hex: a copy is checked against it.</param>
public sealed record LockedScorecardDoc(Guid Id, Guid UnitId, string PeriodKey, int CorrectionNumber, string Json, string Hash, string LockedBy, DateTime LockedAt);

/// <param name="Number">1 for the unit's first correction of the period, and so on.</param>
/// <param name="ClosedAt">When it was finished; null while it is open.</param>
/// <param name="Changes">What it changed on the scorecard, before and after.</param>
public sealed record CorrectionDoc(Guid UnitId, string PeriodKey, int Number, string Reason, string OpenedBy, DateTime OpenedAt, string? ClosedBy, DateTime? ClosedAt,
    List<CorrectedItem> Changes);

/// <summary>
/// Reads, checks and writes <see cref="ClosedYearsDoc"/>. A stored card is written exactly as the document has it, after
/// its hash is checked, so that last year's card reads the same in the copy. Which audit entries a correction made is not
/// carried (the audit trail stays with the original), so the copy's item history shows no correction markers.
/// </summary>
public static class ClosedYearSection
{
    private const string Path = "$.closedYears";

    public static async Task<ClosedYearsDoc> ExportAsync(KedjaDbContext db, IReadOnlyDictionary<Guid, string> periodKeys, CancellationToken cancellationToken)
    {
        var cards = await db.LockedScorecards.AsNoTracking().ToListAsync(cancellationToken);
        var corrections = await db.Corrections.AsNoTracking().ToListAsync(cancellationToken);
        return new ClosedYearsDoc
        {
            LockedScorecards = [.. cards.Select(c => new LockedScorecardDoc(c.Id, c.UnitId, periodKeys[c.PeriodId], c.CorrectionNumber, c.Json, c.Hash, c.LockedBy, c.LockedAt))
                .OrderBy(c => TenantExporter.Key(c.UnitId)).ThenBy(c => c.PeriodKey, StringComparer.Ordinal).ThenBy(c => c.LockedAt).ThenBy(c => TenantExporter.Key(c.Id))],
            Corrections = [.. corrections.Select(c => new CorrectionDoc(c.UnitId, periodKeys[c.PeriodId], c.Number, c.Reason, c.OpenedBy, c.OpenedAt, c.ClosedBy, c.ClosedAt,
                    string.IsNullOrEmpty(c.Changes) ? [] : JsonSerializer.Deserialize<List<CorrectedItem>>(c.Changes) ?? []))
                .OrderBy(c => TenantExporter.Key(c.UnitId)).ThenBy(c => c.PeriodKey, StringComparer.Ordinal).ThenBy(c => c.Number)],
        };
    }

    /// <summary>Every error of the section with its path; units and periods are the document's.</summary>
    public static void Validate(ValidationErrors e, ClosedYearsDoc? doc, IReadOnlySet<Guid> units, IReadOnlySet<string> periods)
    {
        if (doc is null)
        {
            e.Add(Path, "De låsta åren saknas. Utelämna dem hellre: då har kommunen inga sparade målkort eller rättelser.");
            return;
        }

        void Where(string at, Guid unit, string? period)
        {
            if (!units.Contains(unit))
            {
                e.Add($"{at}.unitId", $"Enheten {unit} finns inte.");
            }

            if (!periods.Contains(period ?? ""))
            {
                e.Add($"{at}.periodKey", $"Uppföljningsperioden '{period}' finns inte.");
            }
        }

        TenantDocumentValidator.Unique(e, $"{Path}.lockedScorecards", doc.LockedScorecards, c => c.Id);
        for (var i = 0; i < doc.LockedScorecards.Count; i++)
        {
            var c = doc.LockedScorecards[i];
            var at = $"{Path}.lockedScorecards[{i}]";
            Where(at, c.UnitId, c.PeriodKey);
            if (c.CorrectionNumber < 0)
            {
                e.Add($"{at}.correctionNumber", "Rättelsens nummer är 0 (som låst) eller mer.");
            }

            e.Required($"{at}.lockedBy", c.LockedBy, "Vem som låste");
            if (string.IsNullOrEmpty(c.Json) || !IsObject(c.Json))
            {
                e.Add($"{at}.json", "Målkortet ska vara ett JSON-objekt, som Kedja sparade det.");
            }
            else if (!string.Equals(c.Hash, LockedScorecards.HashOf(c.Json), StringComparison.Ordinal))
            {
                e.Add($"{at}.hash", "Kontrollsumman stämmer inte med målkortet: det sparade målkortet har ändrats.");
            }
        }

        var numbers = new HashSet<(Guid, string, int)>();
        var open = new HashSet<(Guid, string)>();
        for (var i = 0; i < doc.Corrections.Count; i++)
        {
            var c = doc.Corrections[i];
            var at = $"{Path}.corrections[{i}]";
            Where(at, c.UnitId, c.PeriodKey);
            if (c.Number < 1)
            {
                e.Add($"{at}.number", "Rättelserna numreras från 1.");
            }
            else if (!numbers.Add((c.UnitId, c.PeriodKey ?? "", c.Number)))
            {
                e.Add($"{at}.number", $"Enheten har redan rättelse {c.Number} för perioden.");
            }

            e.Required($"{at}.reason", c.Reason, "Skälet", TextLimits.Text);
            e.Required($"{at}.openedBy", c.OpenedBy, "Vem som började rättelsen");
            if (c.ClosedAt is null != c.ClosedBy is null)
            {
                e.Add($"{at}.closedBy", "En avslutad rättelse har både vem och när; en pågående ingetdera.");
            }
            else if (c.ClosedAt is { } closed && closed < c.OpenedAt)
            {
                e.Add($"{at}.closedAt", "Rättelsen kan inte avslutas innan den började.");
            }
            else if (c.ClosedAt is null && !open.Add((c.UnitId, c.PeriodKey ?? "")))
            {
                e.Add($"{at}.closedAt", "Enheten har redan en pågående rättelse för perioden.");
            }

            e.Text($"{at}.closedBy", c.ClosedBy, "Vem som avslutade");
        }
    }

    private static bool IsObject(string json)
    {
        try
        {
            using var parsed = JsonDocument.Parse(json);
            return parsed.RootElement.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>
    /// Adds the section's rows. An open correction counts the changes made after the import (the copy's audit trail
    /// starts there), so it starts from the latest audit entry now. Periods are the import's, just added.
    /// </summary>
    public static async Task AddAsync(KedjaDbContext db, ClosedYearsDoc doc, CancellationToken cancellationToken)
    {
        var periods = db.Periods.Local.ToDictionary(p => p.Key, p => p.Id, StringComparer.Ordinal);
        db.LockedScorecards.AddRange(doc.LockedScorecards.Select(c => new LockedScorecard
        {
            Id = c.Id, PeriodId = periods[c.PeriodKey], UnitId = c.UnitId, CorrectionNumber = c.CorrectionNumber, Json = c.Json, Hash = c.Hash, LockedBy = c.LockedBy,
            LockedAt = c.LockedAt,
        }));
        var from = doc.Corrections.Any(c => c.ClosedAt is null) ? await db.AuditEntries.MaxAsync(a => (long?)a.Sequence, cancellationToken) ?? 0 : 0;
        db.Corrections.AddRange(doc.Corrections.Select(c => new Correction
        {
            PeriodId = periods[c.PeriodKey], UnitId = c.UnitId, Number = c.Number, Reason = c.Reason, OpenedBy = c.OpenedBy, OpenedAt = c.OpenedAt, ClosedBy = c.ClosedBy,
            ClosedAt = c.ClosedAt, AuditFrom = from, Changes = c.Changes.Count == 0 ? null : JsonSerializer.Serialize(c.Changes),
        }));
    }
}
