using System.Globalization;
using System.Text.Json;
using Kedja.Data;
using Kedja.Domain.Activities;
using Kedja.Domain.FollowUp;
using Kedja.Domain.Goals;
using Kedja.Domain.Indicators;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Organisation;

/// <summary>One field of a change: its value before and after (null where it had none, or the change added or removed the row).</summary>
public sealed record FieldChange(string Field, string? Before, string? After);

/// <summary>One entry of an item's history: the item itself or one of its parts (a goal's strategy, an indicator's outcome).</summary>
/// <param name="Correction">Closed years (h145): "Rättad 2026-12-01: {reason}" when the change was made in a correction of a locked follow-up.</param>
public sealed record HistoryEntry(long Sequence, DateTime At, string Who, string Entity, string EntityId, string Action, List<FieldChange> Fields, string? Correction = null);

/// <summary>An item's history, newest first, with the title it had last.</summary>
public sealed record ItemHistoryView(string Entity, Guid Id, string? Title, List<HistoryEntry> Entries, bool More);

/// <summary>
/// Who changed what and when for one item, read from the tenant's audit trail (ADR 14), with the parts a user thinks
/// of as the item: a goal with its strategies, links, documents and assessments; an indicator with its targets and
/// outcomes; an activity with its reports. Parts removed since are found by their recorded parent id.
/// </summary>
public sealed class ItemHistory(KedjaDbContext db)
{
    public const int Take = 200;

    /// <summary>The audit trail's entity names (the CLR type names) that have a history page, and their parts.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Parts = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        [nameof(Goal)] = [nameof(Strategy), nameof(GoalLink), nameof(Assessment), nameof(Domain.Documents.DocumentGoalLink)],
        [nameof(Indicator)] = [nameof(IndicatorTarget), nameof(Outcome)],
        [nameof(Activity)] = [nameof(ActivityComment)],
        [nameof(Domain.Activities.Program)] = [],
        [nameof(Domain.Documents.GoverningDocument)] = [nameof(Domain.Documents.DocumentGoalLink)],
        [nameof(Domain.Organisation.OrgUnit)] = [],
        [nameof(Domain.Model.GovernanceModel)] = [nameof(Domain.Model.Dimension), nameof(Domain.Model.GoalLevel), nameof(Domain.Model.ScaleLevel)],
        [nameof(Domain.Budget.BudgetFrame)] = [nameof(Domain.Budget.BudgetOutcome)],
    };

    public static bool Knows(string entity) => Parts.ContainsKey(entity);

    public async Task<ItemHistoryView> ForAsync(string entity, Guid id, CancellationToken cancellationToken = default)
    {
        var key = id.ToString();
        var parts = Parts.GetValueOrDefault(entity) ?? [];

        // Parts that exist now, by id: their changes record only the fields that changed, not the parent.
        var partIds = entity switch
        {
            nameof(Goal) => await db.Strategies.Where(s => s.GoalId == id).Select(s => s.Id)
                .Concat(db.Assessments.Where(a => a.GoalId == id).Select(a => a.Id)).ToListAsync(cancellationToken),
            nameof(Indicator) => await db.Targets.Where(t => t.IndicatorId == id).Select(t => t.Id)
                .Concat(db.Outcomes.Where(o => o.IndicatorId == id).Select(o => o.Id)).ToListAsync(cancellationToken),
            nameof(Activity) => await db.ActivityComments.Where(c => c.ActivityId == id).Select(c => c.Id).ToListAsync(cancellationToken),
            nameof(Domain.Budget.BudgetFrame) => await db.BudgetOutcomes.Where(o => o.FrameId == id).Select(o => o.Id).ToListAsync(cancellationToken),
            nameof(Domain.Model.GovernanceModel) => await db.Dimensions.Where(d => d.ModelId == id).Select(d => d.Id)
                .Concat(db.GoalLevels.Where(l => l.ModelId == id).Select(l => l.Id))
                .Concat(db.ScaleLevels.Where(l => l.ModelId == id).Select(l => l.Id)).ToListAsync(cancellationToken),
            _ => [],
        };
        var partKeys = partIds.Select(p => p.ToString()).ToList();

        // Links are keyed by both ends ("parent/child"); removed parts carry their parent's id in what they held.
        var pattern = "%" + key + "%";
        var rows = await db.AuditEntries.AsNoTracking()
            .Where(a => (a.Entity == entity && a.EntityId == key)
                || (parts.Contains(a.Entity) && (partKeys.Contains(a.EntityId) || EF.Functions.Like(a.EntityId, pattern)
                    || (a.Action != "Modified" && (EF.Functions.Like(a.Before ?? "", pattern) || EF.Functions.Like(a.After ?? "", pattern))))))
            .OrderByDescending(a => a.Sequence).Take(Take + 1)
            .Select(a => new { a.Sequence, a.At, a.UserName, a.Entity, a.EntityId, a.Action, a.Before, a.After })
            .ToListAsync(cancellationToken);
        // Ids a person cannot read become names: a period's, a status step's label; other references are left out.
        var periods = await db.Periods.AsNoTracking().ToDictionaryAsync(p => p.Id.ToString(), p => p.Name, cancellationToken);
        var labels = (await db.ScaleLevels.AsNoTracking().Select(l => new { l.Key, l.Label }).ToListAsync(cancellationToken))
            .GroupBy(l => l.Key).ToDictionary(g => g.Key, g => g.First().Label);
        string? Named(string field, string? value) => value is null ? null : field switch
        {
            "PeriodId" => periods.GetValueOrDefault(value, value),
            "StatusKey" or "SuggestedStatusKey" => labels.GetValueOrDefault(value, value),
            _ => value,
        };
        var entries = rows.Take(Take).Select(r => new HistoryEntry(r.Sequence, r.At, r.UserName, r.Entity, r.EntityId, r.Action,
            [.. Changes(r.Before, r.After)
                .Where(c => c.Field == "PeriodId" || !c.Field.EndsWith("Id", StringComparison.Ordinal))
                .Where(c => r.Action == "Modified" || (c.After ?? c.Before) is not null)
                .Select(c => c with { Before = Named(c.Field, c.Before), After = Named(c.Field, c.After) })])).ToList();
        // Closed years (h145): changes made in a correction after closing say so.
        var corrected = await Periods.PeriodCorrections.MarkersByAuditEntryAsync(db, [.. entries.Select(e => e.Sequence)], cancellationToken);
        entries = [.. entries.Select(e => corrected.TryGetValue(e.Sequence, out var marker) ? e with { Correction = marker } : e)];
        var title = rows.Where(r => r.Entity == entity)
            .Select(r => Title(r.After) ?? Title(r.Before)).FirstOrDefault(t => t is not null);
        return new ItemHistoryView(entity, id, title, entries, rows.Count > Take);
    }

    private static string? Title(string? json)
    {
        var values = Read(json);
        foreach (var field in (string[])["Title", "Name"])
        {
            if (values.TryGetValue(field, out var v) && v.ValueKind == JsonValueKind.String)
            {
                return v.GetString();
            }
        }

        return null;
    }

    private static Dictionary<string, JsonElement> Read(string? json) =>
        string.IsNullOrEmpty(json) || JsonDocument.Parse(json).RootElement is not { ValueKind: JsonValueKind.Object } root
            ? []
            : root.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone());

    /// <summary>The fields that differ, as a person reads them; bookkeeping fields (ids, tenant, version) left out.</summary>
    public static List<FieldChange> Changes(string? before, string? after)
    {
        var (b, a) = (Read(before), Read(after));
        return [.. b.Keys.Union(a.Keys)
            .Where(k => k is not ("Id" or "TenantId" or "Version" or "RowVersion") && !(Empty(b.GetValueOrDefault(k)) && Empty(a.GetValueOrDefault(k)))
                && b.GetValueOrDefault(k).GetRawTextOrNull() != a.GetValueOrDefault(k).GetRawTextOrNull())
            .Order(StringComparer.Ordinal)
            .Select(k => new FieldChange(k, Format(b.GetValueOrDefault(k)), Format(a.GetValueOrDefault(k))))];
    }

    /// <summary>
    /// Nothing, an empty text and an empty list all read as "nothing" to a person: a field going from one to another
    /// has not changed, and a new item's empty fields were not "added".
    /// </summary>
    private static bool Empty(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Undefined or JsonValueKind.Null => true,
        JsonValueKind.String => string.IsNullOrWhiteSpace(value.GetString()),
        JsonValueKind.Array => value.GetArrayLength() == 0,
        _ => false,
    };

    /// <summary>A recorded value in Swedish form: decimal comma, dates and times without the machine's marks, a list as its items.</summary>
    public static string? Format(JsonElement value) => Empty(value) ? null : value.ValueKind switch
    {
        JsonValueKind.Array => string.Join(", ", value.EnumerateArray().Select(Format).OfType<string>()),
        JsonValueKind.String when DateTime.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at) && value.GetString()!.Contains('T') =>
            (at.Kind == DateTimeKind.Utc ? Ui.Language.InSweden(at) : at).ToString("yyyy-MM-dd HH:mm", Ui.Language.Formats),
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.GetDecimal().ToString("0.############", Ui.Language.Formats),
        JsonValueKind.True => "✓",
        JsonValueKind.False => "–",
        _ => value.GetRawText(),
    };
}

internal static class JsonElementText
{
    public static string? GetRawTextOrNull(this JsonElement value) => value.ValueKind == JsonValueKind.Undefined ? null : value.GetRawText();
}
