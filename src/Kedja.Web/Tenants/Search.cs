using System.Text;
using Kedja.Data;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Tenants;

public enum SearchKind
{
    Goal,
    Indicator,
    Activity,
    Document,
}

public sealed record SearchHit(SearchKind Kind, Guid Id, string Title, string? Detail, Guid? GoalId, Guid? UnitId);

/// <summary>
/// Finds goals, indicators, activities and governing documents of the municipality whose name or description holds
/// the words, in Swedish terms: case and accents as a Swedish reader expects (å is not a), every word somewhere.
/// Matched in memory: SQLite's lower() knows only A-Z, and a municipality's texts are a few megabytes at most.
/// </summary>
public sealed class Search(KedjaDbContext db)
{
    public const int MaxPerKind = 50;

    /// <summary>The words searched for: none when the query is too short to mean anything (under two letters).</summary>
    public static List<string> Words(string? query)
    {
        var words = (query ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Take(8).ToList();
        return words.Sum(w => w.Length) < 2 ? [] : words;
    }

    /// <summary>Every word somewhere in the texts, in Swedish terms. The public portal's search matches by the same rule.</summary>
    public static bool Matches(IReadOnlyList<string> words, params string?[] texts)
    {
        var folded = texts.Select(Fold).ToList();
        return words.Select(Fold).All(w => folded.Any(t => Holds([w], t)));
    }

    /// <summary>The rule itself, on what <see cref="Fold"/> made of the words and of a text: every word somewhere in it.</summary>
    public static bool Holds(IReadOnlyList<string> foldedWords, string foldedText) =>
        foldedWords.All(w => foldedText.Contains(w, StringComparison.Ordinal));

    /// <summary>
    /// A text as the search compares it: composed (NFKC), so that an "å" typed as "a" and a ring is the letter å, without
    /// invisible format characters, and in lower case; then compared ordinally, so "å" is not "a" and "é" not "e". As a Swedish collation ignoring case
    /// would, at a fraction of its cost: the portal's search goes through every published goal and indicator, 75,000 on
    /// L, for each question (culture-aware, 160-230 ms; folded once and compared ordinally, a few milliseconds).
    /// </summary>
    public static string Fold(string? text)
    {
        // Compatibility forms too (the "ﬁ" of a PDF, "m²"), and no invisible format characters (a soft hyphen pasted
        // from Word in "verksamhets\u00ADplan"): the collation ignored both.
        var composed = (text ?? "").Normalize(NormalizationForm.FormKC);
        var visible = new StringBuilder(composed.Length);
        foreach (var c in composed)
        {
            if (char.GetUnicodeCategory(c) != System.Globalization.UnicodeCategory.Format)
            {
                visible.Append(c);
            }
        }

        return visible.ToString().ToLowerInvariant();
    }

    public async Task<List<SearchHit>> FindAsync(string? query, CancellationToken cancellationToken = default)
    {
        var words = Words(query);
        if (words.Count == 0)
        {
            return [];
        }

        bool Matches(params string?[] texts) => Search.Matches(words, texts);
        var goals = (await db.Goals.AsNoTracking().Select(g => new { g.Id, g.Title, g.Description, g.Code, g.OwnerUnitId }).ToListAsync(cancellationToken))
            .Where(g => Matches(g.Title, g.Description, g.Code)).Take(MaxPerKind).Select(g => new SearchHit(SearchKind.Goal, g.Id, g.Title, g.Code, g.Id, g.OwnerUnitId));
        var indicators = (await db.Indicators.AsNoTracking().Select(i => new { i.Id, i.Name, i.Description, i.GoalId, i.OwnerUnitId }).ToListAsync(cancellationToken))
            .Where(i => Matches(i.Name, i.Description)).Take(MaxPerKind).Select(i => new SearchHit(SearchKind.Indicator, i.Id, i.Name, null, i.GoalId, i.OwnerUnitId));
        var activities = (await db.Activities.AsNoTracking().Select(a => new { a.Id, a.Title, a.Description, a.GoalId, a.ResponsibleUnitId }).ToListAsync(cancellationToken))
            .Where(a => Matches(a.Title, a.Description)).Take(MaxPerKind).Select(a => new SearchHit(SearchKind.Activity, a.Id, a.Title, null, a.GoalId, a.ResponsibleUnitId));
        var documents = (await db.Documents.AsNoTracking().Select(d => new { d.Id, d.Title, d.Description }).ToListAsync(cancellationToken))
            .Where(d => Matches(d.Title, d.Description)).Take(MaxPerKind).Select(d => new SearchHit(SearchKind.Document, d.Id, d.Title, d.Description, null, null));
        return [.. goals.Concat(indicators).Concat(activities).Concat(documents)];
    }
}
