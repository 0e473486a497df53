using Kedja.Domain.Activities;
using Kedja.Domain.FollowUp;
using Kedja.Domain.Model;
using Kedja.Domain.Periods;
using Kedja.Web.Exchange;
using static Kedja.Domain.Organisation.UnitKind;

namespace Kedja.Web.Templates;

public sealed record TemplateInfo(string Key, string Name, string Description, string Source, FollowUpCadence Cadence, string DimensionLabel, IReadOnlyList<string> Dimensions, IReadOnlyList<string> Levels)
{
    /// <summary>The municipality whose model the template follows, for a page to put in its own language.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string ModelledOn { get; init; } = "";
}

/// <summary>
/// The five source models as built-in templates: structure only (levels, dimensions and their unit rules, calendar,
/// scale, rules), with texts of our own. A template becomes a tenant through the same importer as any document.
/// </summary>
public static class ModelTemplates
{
    public const string Kil = "balanserad-styrning";
    public const string Kumla = "vision-nio-mal";
    public const string Karlskoga = "malpyramid";
    public const string Heby = "inriktningar-effektmal";
    public const string Hagfors = "balanserade-malkort";

    public static IReadOnlyList<string> Keys { get; } = [Kil, Kumla, Karlskoga, Heby, Hagfors];

    public static IReadOnlyList<TemplateInfo> List() => [.. Keys.Select(k =>
    {
        var doc = Build(k, "mall", "Mall", null, 2027);
        var model = doc.Models[0];
        return new TemplateInfo(k, model.Name, model.Description ?? "", $"Förebild: {Sources[k]}", model.Cadence, model.DimensionLabel,
            [.. model.Dimensions.Select(d => d.Name)], [.. model.Levels.Select(l => l.Name)]) { ModelledOn = Sources[k] };
    })];

    private static readonly Dictionary<string, string> Sources = new()
    {
        [Kil] = "Kils kommun",
        [Kumla] = "Kumla kommun",
        [Karlskoga] = "Karlskoga kommun",
        [Heby] = "Heby kommun",
        [Hagfors] = "Hagfors kommun",
    };

    /// <summary>The first year of the mandate period that contains <paramref name="year"/> (terms start 2023, 2027, ...).</summary>
    public static int MandateStart(int year) => 2023 + (int)Math.Floor((year - 2023) / 4.0) * 4;

    public static bool Exists(string key) => Keys.Contains(key);

    public static TenantDocument Build(string key, string slug, string name, string? kommunkod, int firstYear)
    {
        var b = new Builder(firstYear);
        switch (key)
        {
            case Kil:
                b.Model("Balanserad styrning, fem perspektiv",
                    "Visionen bryts ned i strategiska mål inom fem perspektiv. Varje mål har strategier (kritiska framgångsfaktorer) och mäts med indikatorer som får ett operativt mål för året.",
                    FollowUpCadence.InterimAndAnnual, "Perspektiv");
                b.Dimension("Ekonomi", "Kommunens finansiella ställning och resultat.");
                b.Dimension("Medborgare", "Hur invånare och brukare upplever kommunens service.");
                b.Dimension("Medarbetare", "Kommunen som arbetsgivare: trivsel, hälsa och arbetsmiljö.");
                b.Dimension("Miljö", "Hållbar utveckling, ekologiskt och socialt.");
                b.Dimension("Utveckling", "Tillväxt och utveckling av kommunen som plats.");
                b.Level("Strategiskt mål", "Vart kommunen vill nå inom perspektivet, på ett till fem års sikt.", [Council, ExecutiveBoard], 1, 5, requiresParent: false, strategies: true);
                b.Level("Nämndmål", "Nämndens bidrag till ett strategiskt mål.", [Committee], 1, 4, requiresParent: true, strategies: false);
                break;
            case Kumla:
                b.Model("Vision och nio politiska mål",
                    "Fullmäktige styr med nio politiska mål, ett per strategiskt område, och mått med målvärden kopplas direkt till dem. Nämnderna arbetar med de sju områden som rör invånarna; ekonomi och medarbetare följs på kommunövergripande nivå. Program ger riktning men ingår inte i måluppfyllelsen.",
                    FollowUpCadence.Tertial, "Strategiskt område");
                var all = new List<Domain.Organisation.UnitKind>();
                var internalOnly = new List<Domain.Organisation.UnitKind> { Council, ExecutiveBoard };
                b.Dimension("Demokrati och delaktighet", "Invånarnas inflytande och möjlighet att delta.", all);
                b.Dimension("Service och bemötande", "Tillgänglighet och bemötande för invånare och företag.", all);
                b.Dimension("Ekonomi", "Ansvarsfull och effektiv användning av skattemedlen.", internalOnly);
                b.Dimension("Medarbetare", "En attraktiv arbetsgivare där medarbetarna trivs.", internalOnly);
                b.Dimension("Vård, omsorg och folkhälsa", "Stöd, vård och ett förebyggande arbete.", all);
                b.Dimension("Utbildning och lärande", "Lärande hela livet och goda resultat i skolan.", all);
                b.Dimension("Kultur och fritid", "Ett rikt utbud av kultur- och fritidsaktiviteter.", all);
                b.Dimension("Miljö, trygghet och teknik", "Miljövänliga och trygga lösningar.", all);
                b.Dimension("Boende, infrastruktur och näringsliv", "Attraktivt boende, god infrastruktur och ett gott företagsklimat.", all);
                b.Level("Politiskt mål", "Fullmäktiges mål för ett strategiskt område.", [Council], 4, 4, requiresParent: false, strategies: false);
                b.Level("Nämndmål", "Nämndens bearbetning av ett politiskt mål.", [Committee, ExecutiveBoard], 1, 4, requiresParent: true, strategies: false);
                b.Program("Miljöprogram", "Gemensam riktning för miljöarbetet som nämnderna planerar efter och rapporterar aktiviteter i.");
                b.Program("Digitaliseringsprogram", "Gemensam riktning för digital utveckling som nämnderna planerar efter och rapporterar aktiviteter i.");
                break;
            case Karlskoga:
                b.Model("Målpyramid",
                    "Visionen konkretiseras i fullmäktigemål, nämndmål och förvaltningsmål med aktiviteter i verksamhetsplanen. Allt vilar på grunduppdraget och lagstiftningen. Helägda bolag bidrar till fullmäktigemålen och redovisar en gång per år.",
                    FollowUpCadence.Tertial, "Målområde");
                b.Level("Fullmäktigemål", "Kommunövergripande mål för mandatperioden.", [Council], 4, 4, requiresParent: false, strategies: false);
                b.Level("Nämnd- och bolagsmål", "Nämndens åtagande mot fullmäktige och egna mål; bolagens bidrag till fullmäktigemålen.", [Committee, ExecutiveBoard, Company], 1, 4, requiresParent: false, strategies: false);
                b.Level("Förvaltningsmål", "Konkretiserande delmål i förvaltningens verksamhetsplan.", [Administration, Division, Unit], 1, 2, requiresParent: true, strategies: false);
                b.CadenceOverride(Company, FollowUpCadence.Year);
                break;
            case Heby:
                b.Model("Inriktningar och effektmål",
                    "Fullmäktige beslutar om inriktningar utifrån visionen och styr även med policyer, planer, riktlinjer och budget. Nämnderna beslutar om effektmål som visar nyttan för invånarna. Agenda 2030 är ett övergripande ramverk.",
                    FollowUpCadence.InterimAndAnnual, "Område");
                b.Level("Inriktning", "Fullmäktiges långsiktiga riktning.", [Council], 4, 4, requiresParent: false, strategies: false);
                b.Level("Effektmål", "Den nytta nämnden vill åstadkomma för invånare och brukare.", [Committee, ExecutiveBoard], 1, 4, requiresParent: true, strategies: false);
                b.Level("Verksamhetsmål", "Förvaltningens och enheternas mål i verksamhetsplanen.", [Administration, Division, Unit], 1, 2, requiresParent: true, strategies: false);
                break;
            case Hagfors:
                b.Model("Balanserade målkort, fyra perspektiv",
                    "Ett övergripande målkort för kommunen, målkort för varje avdelning och för enheterna under dem. Varje målkort har mål, aktiviteter och mått inom fyra perspektiv och följs upp tre gånger per år.",
                    FollowUpCadence.Tertial, "Perspektiv");
                b.Dimension("Medborgare och kund", "Hur de vi finns till för upplever verksamheten.");
                b.Dimension("Medarbetare", "Arbetsmiljö, kompetens och ledarskap.");
                b.Dimension("Arbetsprocess", "Hur verksamheten arbetar och utvecklas.");
                b.Dimension("Ekonomi", "Resurser och kostnader.");
                b.Level("Övergripande målkort", "Kommunens gemensamma målkort.", [Council, ExecutiveBoard], 1, 3, requiresParent: false, strategies: false);
                b.Level("Avdelningens målkort", "Avdelningens mål som bidrar till det övergripande målkortet.", [Administration, Division, Committee], 1, 3, requiresParent: true, strategies: false);
                b.Level("Enhetens målkort", "Enhetens mål som bidrar till avdelningens.", [Unit], 1, 3, requiresParent: true, strategies: false);
                break;
            default:
                throw new ArgumentException($"Mallen '{key}' finns inte.", nameof(key));
        }

        return b.Document(key, slug, name, kommunkod);
    }

    private sealed class Builder(int firstYear)
    {
        private readonly List<DimensionDoc> dimensions = [];
        private readonly List<LevelDoc> levels = [];
        private readonly List<CadenceOverride> overrides = [];
        private readonly List<ProgramDoc> programs = [];
        private string name = "";
        private string description = "";
        private string dimensionLabel = "Perspektiv";
        private FollowUpCadence cadence;
        private readonly Guid councilId = Guid.CreateVersion7();

        public void Model(string modelName, string text, FollowUpCadence calendar, string label)
        {
            name = modelName;
            description = text;
            cadence = calendar;
            dimensionLabel = label;
        }

        public void Dimension(string dimensionName, string text, List<Domain.Organisation.UnitKind>? allowed = null) =>
            dimensions.Add(new DimensionDoc(Guid.CreateVersion7(), dimensionName, text, dimensions.Count + 1, null, allowed ?? []));

        public void Level(string levelName, string text, List<Domain.Organisation.UnitKind> kinds, int min, int max, bool requiresParent, bool strategies) =>
            levels.Add(new LevelDoc(Guid.CreateVersion7(), levelName, text, levels.Count, kinds, min, max, requiresParent, strategies, RollupRule.StandardShare));

        public void CadenceOverride(Domain.Organisation.UnitKind kind, FollowUpCadence calendar) => overrides.Add(new CadenceOverride(kind, calendar));

        public void Program(string programName, string text) =>
            programs.Add(new ProgramDoc(Guid.CreateVersion7(), programName, text, councilId, firstYear, firstYear + 3));

        public TenantDocument Document(string key, string slug, string tenantName, string? kommunkod)
        {
            var periods = Enumerable.Range(firstYear, 4)
                .SelectMany(y => PeriodRef.CalendarFor(cadence, y))
                .Select(p => new PeriodDoc(p.Key, p.Label, p.End.AddDays(p.ClosesYear ? 45 : 20), false, null, null))
                .ToList();
            return new TenantDocument
            {
                Tenant = new TenantInfo(slug, tenantName, kommunkod),
                Models =
                [
                    new ModelDoc
                    {
                        Id = Guid.CreateVersion7(), Name = name, TemplateKey = key, FirstYear = firstYear, LastYear = firstYear + 3,
                        Vision = "", Description = description, DimensionLabel = dimensionLabel, Cadence = cadence, CadenceOverrides = overrides,
                        DefaultThresholds = ThresholdRule.Standard, Dimensions = dimensions, Levels = levels, Scale = StandardScaleDocs(),
                    },
                ],
                Periods = periods,
                Units =
                [
                    new UnitDoc(councilId, null, "Kommunfullmäktige", "KF", Council, null, 0, true, []),
                    new UnitDoc(Guid.CreateVersion7(), councilId, "Kommunstyrelsen", "KS", ExecutiveBoard, null, 1, true, []),
                ],
                Programs = programs,
            };
        }
    }

    public static List<ScaleDoc> StandardScaleDocs() =>
    [
        new(StandardScale.Met, "Uppfyllt", "uppfyllda", "Målet är nått.", "#1b7a3a", "●", 1m, 1, false, "uppfylld", "uppfyllt"),
        new(StandardScale.PartlyMet, "Delvis uppfyllt", "delvis uppfyllda", "Målet är delvis nått eller på väg att nås.", "#9a5b00", "◐", 0.5m, 2, false, "delvis uppfylld", "delvis uppfyllt"),
        new(StandardScale.NotMet, "Ej uppfyllt", "inte uppfyllda", "Målet är inte nått.", "#b3261e", "○", 0m, 3, false, "inte uppfylld", "inte uppfyllt"),
        new(StandardScale.NotAssessed, "Ej bedömt", "inte bedömda", "Underlag saknas eller målet har inte bedömts.", "#5f6368", "–", 0m, 4, true, "inte bedömd", "inte bedömt"),
    ];
}
