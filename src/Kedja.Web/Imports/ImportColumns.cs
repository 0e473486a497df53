using System.Collections.Frozen;
using System.Text;

namespace Kedja.Web.Imports;

/// <summary>
/// The column headers of an outcome file: the canonical Swedish names the template writes, and the names people and
/// other systems write instead (English, shorter Swedish), so a file made elsewhere is read without renaming columns.
/// </summary>
public static class ImportColumns
{
    public const string Unit = "Enhet";
    public const string Indicator = "Indikator";
    public const string IndicatorId = "Indikator-id";
    public const string Period = "Period";
    public const string Value = "Utfall";
    public const string ValueWomen = "Utfall kvinnor";
    public const string ValueMen = "Utfall män";
    public const string Target = "Målvärde";
    public const string Comment = "Kommentar";

    /// <summary>Written in the template to help the reader; ignored on import.</summary>
    public const string UnitOfMeasure = "Måttenhet";

    /// <summary>Written in the template (the period's state, "Öppen"/"Låst"); ignored on import.</summary>
    public const string State = "Uppföljning";

    /// <summary>The template's columns, in order.</summary>
    public static IReadOnlyList<string> Template { get; } =
        [Unit, Indicator, IndicatorId, Period, Value, ValueWomen, ValueMen, Target, Comment, UnitOfMeasure, State];

    /// <summary>The columns whose values an import reads.</summary>
    public static IReadOnlyList<string> Imported { get; } =
        [Unit, Indicator, IndicatorId, Period, Value, ValueWomen, ValueMen, Target, Comment];

    public static bool IsInformational(string canonical) => canonical is UnitOfMeasure or State;

    private static readonly FrozenDictionary<string, string> Names = Build(new()
    {
        [Unit] = ["Unit", "Organisationsenhet", "Organisational unit", "Organization unit"],
        [Indicator] = ["Indicator", "Indikatornamn", "Indicator name", "Nyckeltal"],
        [IndicatorId] = ["Indicator id", "Indicator-id", "IndicatorId", "Indikator id", "IndikatorId", "Indikatorid", "Indikatorns id"],
        [Period] = ["Period", "Tidsperiod"],
        [Value] = ["Outcome", "Value", "Utfall totalt", "Outcome total", "Värde", "Totalt", "Total"],
        [ValueWomen] = ["Outcome women", "Women", "Value women", "Kvinnor", "Utfall kvinnor", "Utfall K"],
        [ValueMen] = ["Outcome men", "Men", "Value men", "Män", "Utfall män", "Utfall M"],
        [Target] = ["Target", "Mål", "Målnivå", "Target value"],
        [Comment] = ["Comment", "Comments", "Kommentarer", "Anmärkning", "Note"],
        [UnitOfMeasure] = ["Unit of measure", "Unit of measurement", "Enhet för mått"],
        [State] = ["Follow-up", "Follow up", "Followup", "Status"],
    });

    /// <summary>
    /// The canonical name of a header, or null when it names no column Kedja knows. Case, spaces, hyphens, underscores
    /// and dots do not matter: "indikator_id", "Indikator Id" and "IndikatorId" are all "Indikator-id".
    /// </summary>
    public static string? Canonical(string? header) =>
        header is null ? null : Names.GetValueOrDefault(Key(header));

    private static FrozenDictionary<string, string> Build(Dictionary<string, string[]> aliases)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (canonical, others) in aliases)
        {
            foreach (var name in others.Prepend(canonical))
            {
                var key = Key(name);
                if (names.TryGetValue(key, out var taken) && taken != canonical)
                {
                    throw new InvalidOperationException($"The header alias '{name}' names both {taken} and {canonical}.");
                }

                names[key] = canonical;
            }
        }

        return names.ToFrozenDictionary(StringComparer.Ordinal);
    }

    // A file from a Mac may spell "å" as "a" and a combining ring: normalised first, so both read the same.
    private static string Key(string header)
    {
        var text = header.Normalize(NormalizationForm.FormC);
        var key = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (!char.IsWhiteSpace(c) && c is not ('-' or '_' or '.' or ':' or '\u2010' or '\u2011' or '\u2013'))
            {
                key.Append(char.ToLowerInvariant(c));
            }
        }

        return key.ToString();
    }
}
