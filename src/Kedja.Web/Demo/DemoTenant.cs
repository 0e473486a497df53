using Kedja.Domain.Activities;
using Kedja.Domain.Assignments;
using Kedja.Domain.Documents;
using Kedja.Domain.FollowUp;
using Kedja.Domain.Indicators;
using Kedja.Domain.InternalControl;
using Kedja.Domain.Organisation;
using Kedja.Domain.Periods;
using Kedja.Web.Exchange;
using Kedja.Web.InternalControl;
using Kedja.Web.Templates;

namespace Kedja.Web.Demo;

/// <summary>
/// The demo municipality "Exempelkommun": a pyramid model with four perspectives, 32 units, goals on every level,
/// about 150 indicators with outcomes from 2023 to T2 2026, assessments, activities, a program, governing documents,
/// budget, and a year of internal control and assignments. Texts are our own; numbers are generated from a fixed seed
/// so every start gives the same story: school results improve slowly, sick leave peaked in 2024, the 2024 deficit
/// turned around in 2025.
/// </summary>
public static partial class DemoTenant
{
    public const string Slug = "exempelkommun";
    private const int FirstYear = 2023;
    private const string LastOutcome = "2026-T2";

    public static TenantDocument Build()
    {
        var template = ModelTemplates.Build(ModelTemplates.Karlskoga, Slug, "Exempelkommun", "9999", FirstYear);
        var b = new Builder(template);
        return b.Build();
    }

    private sealed class Builder(TenantDocument template)
    {
        private readonly Random random = new(2026);
        private readonly List<UnitDoc> units = [.. template.Units];
        private readonly List<GoalDoc> goals = [];
        private readonly List<IndicatorDoc> indicators = [];
        private readonly List<OutcomeDoc> outcomes = [];
        private readonly List<ActivityDoc> activities = [];
        private readonly ModelDoc model = template.Models[0] with
        {
            Name = "Exempelkommuns styrmodell 2023-2026",
            Vision = "Exempelkommun – en nära och växande kommun där alla kan leva ett gott liv.",
            DimensionLabel = "Perspektiv",
            Dimensions =
            [
                new(Guid.CreateVersion7(), "Invånare", "Vad invånare och brukare får ut av verksamheten.", 1, "#1565c0", []),
                new(Guid.CreateVersion7(), "Verksamhet", "Kvalitet, hållbarhet och effektivitet i arbetet.", 2, "#2e7d32", []),
                new(Guid.CreateVersion7(), "Medarbetare", "Arbetsmiljö, hälsa och kompetens.", 3, "#6a1b9a", []),
                new(Guid.CreateVersion7(), "Ekonomi", "God ekonomisk hushållning.", 4, "#ef6c00", []),
            ],
        };

        private Guid Dim(int n) => model.Dimensions[n - 1].Id;

        private Guid Level(int depth) => model.Levels[depth].Id;

        private Guid Council => units[0].Id;

        private Guid Board => units[1].Id;

        private Guid Unit(string name, UnitKind kind, Guid parent, string? shortName = null, List<Guid>? serves = null)
        {
            var unit = new UnitDoc(Guid.CreateVersion7(), parent, name, shortName, kind, null, units.Count, true, serves ?? []);
            units.Add(unit);
            return unit.Id;
        }

        private Guid Goal(Guid level, Guid owner, int dimension, string title, string description, int[] sdg, params Guid[] parents)
        {
            // A level with a shorter horizon than the mandate (förvaltningsmål run a year or two at a time) gets goals
            // without years of their own, rather than goals that claim the whole mandate.
            var wholeMandate = model.Levels.Single(l => l.Id == level).HorizonMaxYears is null or >= 4;
            var goal = new GoalDoc
            {
                Id = Guid.CreateVersion7(), ModelId = model.Id, LevelId = level, OwnerUnitId = owner, DimensionId = Dim(dimension), Title = title,
                Description = description, Code = null, ValidFromYear = wholeMandate ? FirstYear : null, ValidToYear = wholeMandate ? FirstYear + 3 : null,
                Agenda2030 = [.. sdg], SortOrder = goals.Count,
                Contributes = [.. parents.Select(p => new ParentLinkDoc(p))],
            };
            goals.Add(goal);
            return goal.Id;
        }

        /// <summary>An indicator with outcomes that move from <paramref name="start"/> by <paramref name="perYear"/>, with noise, toward a fixed target.</summary>
        private Guid Indicator(Guid owner, Guid? goal, string name, string unit, int decimals, Direction direction, PeriodKind periodicity,
            decimal start, decimal perYear, decimal target, decimal noise, string? kolada = null, bool basic = false, Guid? program = null, bool gender = false)
        {
            var id = Guid.CreateVersion7();
            indicators.Add(new IndicatorDoc
            {
                Id = id, Name = name, UnitOfMeasure = unit, Decimals = decimals, Direction = direction, Periodicity = periodicity,
                Source = kolada is null ? ValueSource.Manual : ValueSource.Kolada, KoladaKpiId = kolada, KoladaMunicipalityId = kolada is null ? null : "9999",
                PlausibleMin = unit == "%" ? 0m : null, PlausibleMax = unit == "%" ? 100m : null,
                BaselineValue = start, BaselinePeriod = "2022", OwnerUnitId = owner, GoalId = program is null ? goal : null, ProgramId = program,
                IsBasicMission = basic, SplitByGender = gender, SortOrder = indicators.Count,
                Targets = [.. Enumerable.Range(FirstYear, 4).Select(y => new TargetDoc(y.ToString(System.Globalization.CultureInfo.InvariantCulture), Round(Step(start, target, y), decimals), null, null, null))],
            });
            var periods = Enumerable.Range(FirstYear, 4).SelectMany(y => PeriodRef.EndingWithin(periodicity, new DateOnly(y, 1, 1), new DateOnly(y, 12, 31)))
                .Where(p => p <= PeriodRef.Parse(LastOutcome));
            foreach (var p in periods)
            {
                var years = (p.End.DayNumber - new DateOnly(FirstYear - 1, 12, 31).DayNumber) / 365.25m;
                var value = start + (perYear * years) + (((decimal)random.NextDouble() - 0.5m) * 2m * noise);
                if (unit == "%" && value > 100m)
                {
                    value = 100m;
                }

                value = Math.Max(0m, value);
                var rounded = Round(value, decimals);
                outcomes.Add(new OutcomeDoc
                {
                    IndicatorId = id, PeriodKey = p.Key, Value = rounded,
                    ValueWomen = gender ? Round(value * 1.04m, decimals) : null, ValueMen = gender ? Round(value * 0.96m, decimals) : null,
                    Source = kolada is null ? ValueSource.Manual : ValueSource.Kolada,
                    SourceReference = kolada is null ? null : $"Kolada {kolada}, kommun 9999",
                    FetchedAt = kolada is null ? null : Stamp(p.End.AddDays(60)),
                    RecordedBy = kolada is null ? "controller@exempelkommun.se" : "kolada-import",
                    RecordedAt = Stamp(p.End.AddDays(kolada is null ? 10 : 60)),
                });
            }

            return id;
        }

        /// <summary>Targets step from the baseline toward the end-of-term target.</summary>
        private static decimal Step(decimal start, decimal target, int year) => start + ((target - start) * (year - FirstYear + 1) / 4m);

        private static decimal Round(decimal value, int decimals) => Math.Round(value, decimals, MidpointRounding.AwayFromZero);

        private static DateTime Stamp(DateOnly day) => new(day.Year, day.Month, day.Day, 9, 30, 0, DateTimeKind.Utc);

        public TenantDocument Build()
        {
            // Organisation: nämnder under KF, förvaltningar under the nämnd they serve first, units under förvaltningar.
            var bun = Unit("Barn- och utbildningsnämnden", UnitKind.Committee, Council, "BUN");
            var sn = Unit("Socialnämnden", UnitKind.Committee, Council, "SN");
            var von = Unit("Vård- och omsorgsnämnden", UnitKind.Committee, Council, "VON");
            var kfn = Unit("Kultur- och fritidsnämnden", UnitKind.Committee, Council, "KFN");
            var sbn = Unit("Samhällsbyggnadsnämnden", UnitKind.Committee, Council, "SBN");
            var mbn = Unit("Miljö- och byggnämnden", UnitKind.Committee, Council, "MBN");
            var klf = Unit("Kommunledningsförvaltningen", UnitKind.Administration, Board, "KLF", [Board]);
            var buf = Unit("Barn- och utbildningsförvaltningen", UnitKind.Administration, bun, "BUF", [bun]);
            var sof = Unit("Social- och omsorgsförvaltningen", UnitKind.Administration, sn, "SOF", [sn, von]);
            var kff = Unit("Kultur- och fritidsförvaltningen", UnitKind.Administration, kfn, "KFF", [kfn]);
            var sbf = Unit("Samhällsbyggnadsförvaltningen", UnitKind.Administration, sbn, "SBF", [sbn, mbn]);
            var hr = Unit("HR-avdelningen", UnitKind.Division, klf);
            var eko = Unit("Ekonomiavdelningen", UnitKind.Division, klf);
            string[] schoolNames = ["Björkskolan", "Ekbackens skola", "Västra skolan"];
            var schools = schoolNames.Select(n => Unit(n, UnitKind.Unit, buf)).ToList();
            string[] preschoolNames = ["Lärkans förskola", "Solrosens förskola"];
            var preschools = preschoolNames.Select(n => Unit(n, UnitKind.Unit, buf)).ToList();
            var gymnasium = Unit("Gymnasieskolan Nova", UnitKind.Unit, buf);
            var ifo = Unit("Individ- och familjeomsorgen", UnitKind.Unit, sof, "IFO");
            var linden = Unit("Äldreboendet Linden", UnitKind.Unit, sof);
            var hemtjanstNorr = Unit("Hemtjänst norr", UnitKind.Unit, sof);
            var hemtjanstSoder = Unit("Hemtjänst söder", UnitKind.Unit, sof);
            var lss = Unit("LSS-verksamheten", UnitKind.Unit, sof);
            var bibliotek = Unit("Biblioteket", UnitKind.Unit, kff);
            var fritidsgard = Unit("Fritidsgården Navet", UnitKind.Unit, kff);
            var badhus = Unit("Badhuset", UnitKind.Unit, kff);
            var gata = Unit("Gata och park", UnitKind.Unit, sbf);
            var va = Unit("Vatten och avlopp", UnitKind.Unit, sbf, "VA");
            var bygglov = Unit("Bygglov och tillsyn", UnitKind.Unit, sbf);
            var bostader = Unit("Exempelkommuns Bostäder AB", UnitKind.Company, Council, "Bostäder");
            var energi = Unit("Exempelkommuns Energi AB", UnitKind.Company, Council, "Energi");

            var miljoprogram = new ProgramDoc(Guid.CreateVersion7(), "Miljöprogram 2023-2026", "Gemensamma åtaganden för minskad klimatpåverkan och en giftfri vardag.", Council, 2023, 2026);

            // KF goals.
            var kfSkola = Goal(Level(0), Council, 1, "Barn och unga når sin fulla potential", "Alla barn och elever får det stöd de behöver för att lyckas i skolan och i livet.", [4, 10]);
            var kfOmsorg = Goal(Level(0), Council, 1, "Trygg vård och omsorg med hög kvalitet", "Den som behöver stöd får det i rätt tid och med gott bemötande.", [3]);
            var kfLivsmiljo = Goal(Level(0), Council, 1, "En attraktiv kommun att bo och verka i", "Kommunen växer med trygga och levande miljöer, goda boenden och ett rikt fritidsutbud.", [11, 8]);
            var kfKlimat = Goal(Level(0), Council, 2, "Minskad klimatpåverkan", "Kommunens verksamheter och bolag minskar sina utsläpp i linje med miljöprogrammet.", [7, 13]);
            var kfArbetsgivare = Goal(Level(0), Council, 3, "En attraktiv arbetsgivare", "Medarbetarna är friska, trivs och utvecklas, och kommunen kan rekrytera den kompetens som behövs.", [8]);
            var kfEkonomi = Goal(Level(0), Council, 4, "God ekonomisk hushållning", "Verksamheten bedrivs inom budget och resultatet ger utrymme för framtida investeringar.", [16]);

            Indicator(Council, kfSkola, "Elever i åk 9 som är behöriga till yrkesprogram", "%", 1, Direction.HigherIsBetter, PeriodKind.Year, 82m, 1.2m, 88m, 1.5m, "N15428", gender: true);
            Indicator(Council, kfSkola, "Gymnasieelever med examen inom 4 år", "%", 1, Direction.HigherIsBetter, PeriodKind.Year, 68m, 1.0m, 75m, 2m, "N17461", gender: true);
            Indicator(Council, kfOmsorg, "Brukarbedömning hemtjänst äldreomsorg – helhetssyn", "%", 0, Direction.HigherIsBetter, PeriodKind.Year, 86m, 0.5m, 90m, 2m, "U21468");
            Indicator(Council, kfOmsorg, "Brukarbedömning särskilt boende äldreomsorg – helhetssyn", "%", 0, Direction.HigherIsBetter, PeriodKind.Year, 80m, 0.8m, 85m, 2m, "U23471");
            Indicator(Council, kfLivsmiljo, "Invånare totalt", "antal", 0, Direction.HigherIsBetter, PeriodKind.Year, 24850m, 140m, 25400m, 40m, "N01951");
            Indicator(Council, kfLivsmiljo, "Nöjd Region-Index – helheten", "index", 0, Direction.HigherIsBetter, PeriodKind.Year, 58m, 0.5m, 62m, 1.5m);
            Indicator(Council, kfKlimat, "Utsläpp av växthusgaser från kommunens fordon", "ton CO2e", 0, Direction.LowerIsBetter, PeriodKind.Year, 820m, -55m, 600m, 20m);
            Indicator(Council, kfKlimat, "Andel fossilfria fordon i kommunorganisationen", "%", 0, Direction.HigherIsBetter, PeriodKind.Year, 38m, 8m, 70m, 3m);
            Indicator(Council, kfArbetsgivare, "Sjukfrånvaro bland kommunens medarbetare", "%", 1, Direction.LowerIsBetter, PeriodKind.Tertial, 8.1m, -0.2m, 7.0m, 0.5m, "N00090", gender: true);
            Indicator(Council, kfArbetsgivare, "Hållbart medarbetarengagemang (HME)", "index", 0, Direction.HigherIsBetter, PeriodKind.Year, 76m, 0.7m, 80m, 1m, "N00208");
            Indicator(Council, kfEkonomi, "Resultat före extraordinära poster i procent av skatteintäkter", "%", 1, Direction.HigherIsBetter, PeriodKind.Year, 1.2m, 0.3m, 2.0m, 0.9m, "N03101");
            Indicator(Council, kfEkonomi, "Soliditet inklusive pensionsförpliktelser", "%", 1, Direction.HigherIsBetter, PeriodKind.Year, 18m, 0.8m, 22m, 0.5m, "N03053");
            Indicator(Council, kfEkonomi, "Nämndernas budgetavvikelse", "mnkr", 1, Direction.HigherIsBetter, PeriodKind.Tertial, -14m, 5m, 0m, 4m);

            // Nämnd and company goals, each contributing to KF goals.
            var bunMal = Goal(Level(1), bun, 1, "Fler elever når kunskapskraven", "Undervisningen anpassas så att varje elev når så långt som möjligt.", [4], kfSkola);
            var bunTrygg = Goal(Level(1), bun, 1, "Eleverna känner sig trygga i skolan", "Skolan är en trygg plats med studiero.", [4, 16], kfSkola);
            var snMal = Goal(Level(1), sn, 1, "Barn och familjer får tidigt stöd", "Insatser sätts in tidigt och i samverkan med skolan.", [1, 10], kfSkola, kfOmsorg);
            var vonMal = Goal(Level(1), von, 1, "Äldre har inflytande över sin vardag", "Hemtjänst och boenden utgår från den enskildes behov och önskemål.", [3], kfOmsorg);
            var vonPers = Goal(Level(1), von, 3, "Stabil bemanning i omsorgen", "Färre personer runt varje brukare och lägre sjukfrånvaro.", [8], kfOmsorg, kfArbetsgivare);
            var kfnMal = Goal(Level(1), kfn, 1, "Fler deltar i kultur och fritid", "Utbudet når fler, särskilt unga och äldre.", [3, 11], kfLivsmiljo);
            var sbnMal = Goal(Level(1), sbn, 2, "Hållbara transporter och trygga gator", "Gång, cykel och kollektivtrafik prioriteras.", [11, 13], kfLivsmiljo, kfKlimat);
            var mbnMal = Goal(Level(1), mbn, 1, "Snabb och förutsägbar handläggning", "Sökande får besked i tid och förstår hur ärendet går.", [16], kfLivsmiljo);
            var ksMal = Goal(Level(1), Board, 4, "Ekonomi i balans i alla nämnder", "Kommunstyrelsen följer upp nämndernas ekonomi och stödjer åtgärder i tid.", [16], kfEkonomi, kfArbetsgivare);
            var bostadMal = Goal(Level(1), bostader, 1, "Fler bostäder för alla skeden i livet", "Bolaget bygger och förvaltar bostäder som bidrar till att kommunen växer.", [11], kfLivsmiljo);
            var energiMal = Goal(Level(1), energi, 2, "Förnybar energi till invånare och företag", "Bolaget ökar andelen förnybar el och fjärrvärme.", [7, 13], kfKlimat);

            Indicator(bun, bunMal, "Elever i åk 6 med lägst betyget E i matematik", "%", 1, Direction.HigherIsBetter, PeriodKind.Year, 84m, 1m, 90m, 2m, "N15482");
            Indicator(bun, bunMal, "Elever i åk 9 med godkända betyg i alla ämnen", "%", 1, Direction.HigherIsBetter, PeriodKind.Year, 72m, 1.3m, 80m, 2m, "N15419", gender: true);
            Indicator(bun, bunMal, "Genomsnittligt meritvärde i åk 9", "poäng", 1, Direction.HigherIsBetter, PeriodKind.Year, 218m, 2.5m, 230m, 3m, "N15505", gender: true);
            Indicator(bun, bunTrygg, "Elever i åk 5 som känner sig trygga i skolan", "%", 0, Direction.HigherIsBetter, PeriodKind.Year, 88m, 0.6m, 92m, 1.5m, "N15603");
            Indicator(bun, bunTrygg, "Anmälningar om kränkande behandling per 100 elever", "antal", 1, Direction.LowerIsBetter, PeriodKind.Tertial, 3.4m, -0.15m, 2.8m, 0.4m);
            Indicator(bun, null, "Inskrivna barn per årsarbetare i förskolan", "antal", 1, Direction.LowerIsBetter, PeriodKind.Tertial, 5.4m, -0.05m, 5.0m, 0.2m, basic: true);
            Indicator(bun, null, "Förskoleplats erbjuden på önskat datum", "%", 0, Direction.HigherIsBetter, PeriodKind.Tertial, 78m, 3m, 90m, 4m, basic: true);
            Indicator(sn, snMal, "Utredningstid barn och unga, median", "dagar", 0, Direction.LowerIsBetter, PeriodKind.Tertial, 118m, -6m, 100m, 8m, "N79181");
            Indicator(sn, snMal, "Barn och unga med insats som inte återaktualiserats inom ett år", "%", 0, Direction.HigherIsBetter, PeriodKind.Year, 76m, 1m, 80m, 2m, "N79201");
            Indicator(sn, null, "Hushåll med långvarigt ekonomiskt bistånd", "%", 1, Direction.LowerIsBetter, PeriodKind.Year, 1.6m, -0.05m, 1.4m, 0.1m, "N31807", basic: true);
            Indicator(von, vonMal, "Brukare i hemtjänst som kan påverka tider", "%", 0, Direction.HigherIsBetter, PeriodKind.Year, 58m, 2m, 65m, 2m, "U21463");
            Indicator(von, vonMal, "Genomförandeplaner som är uppdaterade senaste halvåret", "%", 0, Direction.HigherIsBetter, PeriodKind.Tertial, 81m, 3m, 95m, 3m);
            Indicator(von, vonPers, "Personalkontinuitet, antal personal som en hemtjänsttagare möter under 14 dagar", "antal", 0, Direction.LowerIsBetter, PeriodKind.Year, 16m, -0.5m, 13m, 1m, "U21401");
            Indicator(von, vonPers, "Sjukfrånvaro inom vård och omsorg", "%", 1, Direction.LowerIsBetter, PeriodKind.Tertial, 10.2m, -0.3m, 8.5m, 0.6m);
            Indicator(kfn, kfnMal, "Besök på biblioteket per invånare", "antal", 1, Direction.HigherIsBetter, PeriodKind.Tertial, 1.2m, 0.05m, 1.5m, 0.15m);
            Indicator(kfn, kfnMal, "Deltagartillfällen i idrottsföreningar, 7-20 år, per invånare", "antal", 1, Direction.HigherIsBetter, PeriodKind.Year, 26m, 0.5m, 29m, 1m, "N09803");
            Indicator(sbn, sbnMal, "Andel resor till fots, med cykel eller kollektivtrafik", "%", 0, Direction.HigherIsBetter, PeriodKind.Year, 34m, 1m, 40m, 1.5m);
            Indicator(sbn, sbnMal, "Nöjd Medborgar-Index – gator och vägar", "index", 0, Direction.HigherIsBetter, PeriodKind.Year, 52m, 0.3m, 56m, 2m, "U00405");
            Indicator(mbn, mbnMal, "Handläggningstid bygglov, median", "dagar", 0, Direction.LowerIsBetter, PeriodKind.Tertial, 34m, -2m, 28m, 4m);
            Indicator(mbn, mbnMal, "Nöjd Kund-Index bygglov", "index", 0, Direction.HigherIsBetter, PeriodKind.Year, 66m, 1m, 72m, 2m, "U00803");
            Indicator(mbn, null, "Genomförda livsmedelskontroller enligt plan", "%", 0, Direction.HigherIsBetter, PeriodKind.Tertial, 86m, 2m, 100m, 4m, basic: true);
            Indicator(Board, ksMal, "Nämnder med prognos i balans", "antal", 0, Direction.HigherIsBetter, PeriodKind.Tertial, 3m, 0.8m, 6m, 0.6m);
            Indicator(Board, ksMal, "Personalomsättning", "%", 1, Direction.LowerIsBetter, PeriodKind.Year, 11.5m, -0.4m, 9.5m, 0.5m);
            Indicator(bostader, bostadMal, "Färdigställda lägenheter", "antal", 0, Direction.HigherIsBetter, PeriodKind.Year, 40m, 5m, 60m, 12m);
            Indicator(bostader, bostadMal, "Vakansgrad", "%", 1, Direction.LowerIsBetter, PeriodKind.Year, 1.8m, -0.2m, 1.0m, 0.3m);
            Indicator(energi, energiMal, "Andel förnybar energi i fjärrvärmen", "%", 0, Direction.HigherIsBetter, PeriodKind.Year, 86m, 2.5m, 96m, 1.5m);

            // Förvaltnings- and enhetsmål with indicators on each unit.
            var bufMal = Goal(Level(2), buf, 1, "Tidiga insatser i läs- och skrivutveckling", "Alla elever i åk 1-3 följs upp med gemensamt kartläggningsmaterial.", [4], bunMal);
            Indicator(buf, bufMal, "Elever i åk 3 som klarat nationella prov i svenska", "%", 0, Direction.HigherIsBetter, PeriodKind.Year, 80m, 1.5m, 88m, 2m, "N15452");
            foreach (var (school, i) in schools.Select((s, i) => (s, i)))
            {
                var g = Goal(Level(2), school, 1, $"Ökad måluppfyllelse på {schoolNames[i]}", "Fler elever når minst godtagbara kunskaper i alla ämnen.", [4], bunMal);
                var t = Goal(Level(2), school, 1, $"Trygghet och studiero på {schoolNames[i]}", "Eleverna upplever trygghet och arbetsro.", [4, 16], bunTrygg);
                Indicator(school, g, "Elever med godkända betyg i alla ämnen", "%", 0, Direction.HigherIsBetter, PeriodKind.Year, 70m + (i * 4), 1.2m - (i * 0.8m), 80m, 3m);
                Indicator(school, g, "Elever med åtgärdsprogram som följts upp", "%", 0, Direction.HigherIsBetter, PeriodKind.Tertial, 75m + (i * 3), 3m, 95m, 4m);
                Indicator(school, t, "Elever som upplever studiero på lektionerna", "%", 0, Direction.HigherIsBetter, PeriodKind.Year, 68m + (i * 5), 1m, 78m, 3m);
                Indicator(school, t, "Incidentrapporter om kränkningar", "antal", 0, Direction.LowerIsBetter, PeriodKind.Tertial, 14m - (i * 3), -0.5m, 10m - (i * 2), 2.5m);
                Indicator(school, null, "Lärare med lärarlegitimation", "%", 0, Direction.HigherIsBetter, PeriodKind.Year, 78m + (i * 5), 1m, 85m, 2m, basic: true);
            }

            foreach (var (pre, i) in preschools.Select((s, i) => (s, i)))
            {
                var g = Goal(Level(2), pre, 1, $"Språkutveckling i fokus på {preschoolNames[i]}", "Barnens språk stimuleras i alla aktiviteter.", [4], bunMal);
                Indicator(pre, g, "Barn som deltar i språkstimulerande aktivitet varje dag", "%", 0, Direction.HigherIsBetter, PeriodKind.Tertial, 82m, 3m, 95m, 4m);
                Indicator(pre, g, "Vårdnadshavare som är nöjda med verksamheten", "%", 0, Direction.HigherIsBetter, PeriodKind.Year, 88m, 0.5m, 92m, 2m);
                Indicator(pre, null, "Barn per grupp", "antal", 1, Direction.LowerIsBetter, PeriodKind.Tertial, 16.5m, -0.2m, 15m, 0.6m, basic: true);
            }

            var nova = Goal(Level(2), gymnasium, 1, "Fler elever fullföljer gymnasiet", "Frånvaro fångas tidigt och studievägledning stärks.", [4], bunMal);
            Indicator(gymnasium, nova, "Elever med examen inom 3 år", "%", 0, Direction.HigherIsBetter, PeriodKind.Year, 66m, 1.5m, 74m, 2m);
            Indicator(gymnasium, nova, "Elever med hög frånvaro", "%", 0, Direction.LowerIsBetter, PeriodKind.Tertial, 14m, -0.8m, 10m, 1.5m);
            Indicator(gymnasium, nova, "Elever som byter program första året", "%", 0, Direction.LowerIsBetter, PeriodKind.Year, 9m, -0.3m, 7m, 1m);

            var ifoMal = Goal(Level(2), ifo, 1, "Kortare väntan på stöd", "Förhandsbedömningar görs inom 14 dagar och insatser startar snabbt.", [1, 10], snMal);
            Indicator(ifo, ifoMal, "Förhandsbedömningar klara inom 14 dagar", "%", 0, Direction.HigherIsBetter, PeriodKind.Tertial, 74m, 5m, 95m, 5m);
            Indicator(ifo, ifoMal, "Placerade barn med aktuell genomförandeplan", "%", 0, Direction.HigherIsBetter, PeriodKind.Tertial, 85m, 2m, 100m, 4m);
            Indicator(ifo, ifoMal, "Ärenden per handläggare", "antal", 0, Direction.LowerIsBetter, PeriodKind.Tertial, 24m, -0.6m, 20m, 2m);
            Indicator(ifo, null, "Anmälningar om oro för barn", "antal", 0, Direction.Neutral, PeriodKind.Tertial, 180m, 8m, 180m, 20m, basic: true);

            foreach (var (unit, name) in new[] { (linden, "Äldreboendet Linden"), (hemtjanstNorr, "Hemtjänst norr"), (hemtjanstSoder, "Hemtjänst söder") })
            {
                var g = Goal(Level(2), unit, 1, $"Den enskildes önskemål styr vardagen – {name}", "Kontaktmannaskapet utvecklas och genomförandeplaner följs upp.", [3], vonMal);
                var p = Goal(Level(2), unit, 3, $"Friska medarbetare – {name}", "Tidiga rehabiliteringsinsatser och bättre schemaläggning.", [8], vonPers);
                Indicator(unit, g, "Brukare som är nöjda med bemötandet", "%", 0, Direction.HigherIsBetter, PeriodKind.Year, 90m, 0.4m, 94m, 2m);
                Indicator(unit, g, "Genomförandeplaner upprättade inom 14 dagar", "%", 0, Direction.HigherIsBetter, PeriodKind.Tertial, 78m, 4m, 95m, 5m);
                Indicator(unit, p, "Sjukfrånvaro", "%", 1, Direction.LowerIsBetter, PeriodKind.Tertial, 10.5m, -0.3m, 8.5m, 0.8m, gender: true);
                Indicator(unit, p, "Timmar med timvikarier per månad", "timmar", 0, Direction.LowerIsBetter, PeriodKind.Tertial, 420m, -25m, 320m, 40m);
                Indicator(unit, null, "Avvikelser i läkemedelshantering", "antal", 0, Direction.LowerIsBetter, PeriodKind.Tertial, 12m, -1m, 6m, 3m, basic: true);
            }

            var lssMal = Goal(Level(2), lss, 1, "Meningsfull daglig verksamhet", "Fler deltagare har en sysselsättning som motsvarar deras önskemål.", [10], vonMal);
            Indicator(lss, lssMal, "Deltagare som är nöjda med sin dagliga verksamhet", "%", 0, Direction.HigherIsBetter, PeriodKind.Year, 84m, 0.8m, 90m, 2m);
            Indicator(lss, lssMal, "Deltagare i praktik eller arbete", "antal", 0, Direction.HigherIsBetter, PeriodKind.Year, 9m, 1m, 14m, 1.5m);
            Indicator(lss, null, "Verkställda beslut inom tre månader", "%", 0, Direction.HigherIsBetter, PeriodKind.Tertial, 88m, 1.5m, 100m, 4m, basic: true);

            var bib = Goal(Level(2), bibliotek, 1, "Biblioteket når fler barn och unga", "Lovaktiviteter och samarbete med skolorna.", [4, 11], kfnMal);
            Indicator(bibliotek, bib, "Utlån av barn- och ungdomsmedia", "antal", 0, Direction.HigherIsBetter, PeriodKind.Tertial, 21000m, 600m, 24000m, 900m);
            Indicator(bibliotek, bib, "Deltagare i lovaktiviteter", "antal", 0, Direction.HigherIsBetter, PeriodKind.Tertial, 420m, 40m, 600m, 60m);
            Indicator(bibliotek, null, "Öppettimmar per vecka", "timmar", 0, Direction.Neutral, PeriodKind.Year, 48m, 0m, 48m, 0m, basic: true);
            var navet = Goal(Level(2), fritidsgard, 1, "En öppen mötesplats för alla unga", "Fler flickor och unga med funktionsnedsättning hittar till Navet.", [5, 10], kfnMal);
            Indicator(fritidsgard, navet, "Besök per kväll", "antal", 0, Direction.HigherIsBetter, PeriodKind.Tertial, 38m, 2m, 45m, 5m);
            Indicator(fritidsgard, navet, "Andel besök av flickor", "%", 0, Direction.TargetRange, PeriodKind.Tertial, 34m, 2m, 45m, 4m);
            var bad = Goal(Level(2), badhus, 2, "Lägre energiförbrukning i badhuset", "Ny ventilation och bättre styrning av pumpar.", [7, 13], sbnMal);
            Indicator(badhus, bad, "Energiförbrukning", "MWh", 0, Direction.LowerIsBetter, PeriodKind.Tertial, 620m, -25m, 540m, 30m, program: null);
            Indicator(badhus, bad, "Besökare", "antal", 0, Direction.HigherIsBetter, PeriodKind.Tertial, 31000m, 800m, 34000m, 2500m);

            var gataMal = Goal(Level(2), gata, 2, "Säkra gång- och cykelvägar", "Belysning och vinterväghållning prioriteras på skolvägar.", [11], sbnMal);
            Indicator(gata, gataMal, "Ny gång- och cykelväg", "km", 1, Direction.HigherIsBetter, PeriodKind.Year, 1.5m, 0.3m, 3.0m, 0.4m);
            Indicator(gata, gataMal, "Felanmälningar om belysning åtgärdade inom 5 dagar", "%", 0, Direction.HigherIsBetter, PeriodKind.Tertial, 72m, 4m, 90m, 5m);
            var vaMal = Goal(Level(2), va, 2, "Säker dricksvattenförsörjning", "Ledningsnätet förnyas i planerad takt och läckor åtgärdas snabbt.", [6], sbnMal);
            Indicator(va, vaMal, "Förnyelsetakt ledningsnät", "%", 2, Direction.HigherIsBetter, PeriodKind.Year, 0.45m, 0.08m, 0.8m, 0.05m);
            Indicator(va, vaMal, "Läckage i ledningsnätet", "%", 0, Direction.LowerIsBetter, PeriodKind.Year, 22m, -1m, 17m, 1.5m);
            Indicator(va, null, "Dricksvattenprover utan anmärkning", "%", 1, Direction.HigherIsBetter, PeriodKind.Tertial, 98.5m, 0.2m, 100m, 0.8m, basic: true);
            var bygg = Goal(Level(2), bygglov, 1, "Kompletta ansökningar från början", "Bättre vägledning på webben och förhandsmöten.", [16], mbnMal);
            Indicator(bygglov, bygg, "Ansökningar som är kompletta vid första inlämning", "%", 0, Direction.HigherIsBetter, PeriodKind.Tertial, 48m, 4m, 65m, 5m);
            Indicator(bygglov, bygg, "Beslut inom lagstadgad tid", "%", 0, Direction.HigherIsBetter, PeriodKind.Tertial, 88m, 2m, 100m, 3m);
            var hrMal = Goal(Level(2), hr, 3, "Friskare arbetsplatser", "Stöd till chefer i tidig rehabilitering och arbetsmiljöarbete.", [8], ksMal);
            Indicator(hr, hrMal, "Korttidssjukfrånvaro, dag 1-14", "%", 1, Direction.LowerIsBetter, PeriodKind.Tertial, 3.6m, -0.1m, 3.0m, 0.3m);
            Indicator(hr, hrMal, "Chefer som genomgått utbildning i arbetsmiljö", "%", 0, Direction.HigherIsBetter, PeriodKind.Year, 55m, 12m, 100m, 4m);
            var ekoMal = Goal(Level(2), eko, 4, "Tidiga signaler om budgetavvikelser", "Månatliga prognoser med analys i alla förvaltningar.", [16], ksMal);
            Indicator(eko, ekoMal, "Förvaltningar som lämnat prognos i tid", "%", 0, Direction.HigherIsBetter, PeriodKind.Tertial, 80m, 5m, 100m, 5m);
            Indicator(eko, ekoMal, "Prognosprecision, avvikelse mot bokslut", "%", 1, Direction.LowerIsBetter, PeriodKind.Year, 2.4m, -0.3m, 1.0m, 0.3m);
            var klfMal = Goal(Level(2), klf, 2, "Digitala tjänster som invånarna använder", "Fler e-tjänster och bättre tillgänglighet på webben.", [9, 16], mbnMal);
            Indicator(klf, klfMal, "Ärenden som startas via e-tjänst", "%", 0, Direction.HigherIsBetter, PeriodKind.Tertial, 41m, 5m, 60m, 4m);
            Indicator(klf, null, "Tillgänglighet per telefon, svar inom 2 minuter", "%", 0, Direction.HigherIsBetter, PeriodKind.Tertial, 71m, 2m, 80m, 5m, basic: true);

            // More results on the basic mission and more measures per goal, as a real scorecard has.
            Indicator(Council, kfLivsmiljo, "Förvärvsarbetande invånare 20-64 år", "%", 1, Direction.HigherIsBetter, PeriodKind.Year, 79m, 0.4m, 81m, 0.6m, "N00914", gender: true);
            Indicator(Council, kfLivsmiljo, "Nyregistrerade företag per 1 000 invånare", "antal", 1, Direction.HigherIsBetter, PeriodKind.Year, 4.1m, 0.2m, 5.0m, 0.4m, "N00999");
            Indicator(Council, kfSkola, "Barn i ekonomiskt utsatta hushåll", "%", 1, Direction.LowerIsBetter, PeriodKind.Year, 12.4m, -0.3m, 10.5m, 0.5m, "N02290");
            Indicator(Council, kfOmsorg, "Väntetid till särskilt boende, medel", "dagar", 0, Direction.LowerIsBetter, PeriodKind.Year, 74m, -4m, 60m, 8m, "U23401");
            Indicator(Council, kfKlimat, "Energianvändning i kommunens lokaler", "kWh/m²", 0, Direction.LowerIsBetter, PeriodKind.Year, 168m, -4m, 150m, 3m);
            Indicator(Council, kfArbetsgivare, "Medarbetare som rekommenderar kommunen som arbetsgivare", "%", 0, Direction.HigherIsBetter, PeriodKind.Year, 63m, 1.2m, 70m, 2m);
            Indicator(bun, bunMal, "Elever i åk 9 som är behöriga till naturvetenskapsprogrammet", "%", 1, Direction.HigherIsBetter, PeriodKind.Year, 66m, 1m, 72m, 2m, "N15437");
            Indicator(bun, bunTrygg, "Elever i åk 9 som känner sig trygga i skolan", "%", 0, Direction.HigherIsBetter, PeriodKind.Year, 79m, 0.8m, 85m, 2m, "N15613");
            Indicator(bun, null, "Kostnad per elev i grundskolan", "kr", 0, Direction.Neutral, PeriodKind.Year, 118000m, 3500m, 118000m, 1500m, "N15008", basic: true);
            Indicator(sn, snMal, "Barn i familjehem med minst ett uppföljningsbesök per månad", "%", 0, Direction.HigherIsBetter, PeriodKind.Tertial, 82m, 3m, 95m, 4m);
            Indicator(sn, null, "Väntetid till första samtal, missbruksvård", "dagar", 0, Direction.LowerIsBetter, PeriodKind.Tertial, 16m, -1m, 10m, 2m, basic: true);
            Indicator(von, vonMal, "Brukare i särskilt boende som är nöjda med maten", "%", 0, Direction.HigherIsBetter, PeriodKind.Year, 72m, 1.5m, 80m, 3m, "U23463");
            Indicator(von, null, "Fallskador bland personer 80 år och äldre per 1 000 invånare", "antal", 0, Direction.LowerIsBetter, PeriodKind.Year, 41m, -0.5m, 38m, 2m, basic: true);
            Indicator(kfn, kfnMal, "Unga som besöker fritidsgård minst en gång i månaden", "%", 0, Direction.HigherIsBetter, PeriodKind.Year, 18m, 1m, 22m, 1.5m);
            Indicator(kfn, null, "Föreningsbidrag per invånare", "kr", 0, Direction.Neutral, PeriodKind.Year, 210m, 5m, 210m, 3m, basic: true);
            Indicator(sbn, sbnMal, "Trafikolyckor med personskada", "antal", 0, Direction.LowerIsBetter, PeriodKind.Tertial, 11m, -0.6m, 8m, 2.5m);
            Indicator(sbn, null, "Bostäder med tillgång till bredband om minst 1 Gbit/s", "%", 0, Direction.HigherIsBetter, PeriodKind.Year, 84m, 2m, 95m, 1m, "N07900", basic: true);
            Indicator(mbn, null, "Genomförda miljötillsynsbesök enligt plan", "%", 0, Direction.HigherIsBetter, PeriodKind.Tertial, 82m, 3m, 100m, 5m, basic: true);
            Indicator(Board, ksMal, "Förvaltningar med åtgärdsplan vid negativ prognos", "%", 0, Direction.HigherIsBetter, PeriodKind.Tertial, 60m, 10m, 100m, 8m);
            Indicator(Board, null, "Kostnad för politisk verksamhet per invånare", "kr", 0, Direction.Neutral, PeriodKind.Year, 640m, 12m, 640m, 8m, "N01806", basic: true);
            Indicator(bostader, bostadMal, "Hyresgäster som är nöjda med sitt boende", "%", 0, Direction.HigherIsBetter, PeriodKind.Year, 78m, 1m, 84m, 2m);
            Indicator(energi, energiMal, "Leveranssäkerhet el", "%", 2, Direction.HigherIsBetter, PeriodKind.Year, 99.9m, 0.01m, 99.95m, 0.03m);
            foreach (var (school, i) in schools.Select((x, i) => (x, i)))
            {
                Indicator(school, null, "Elevfrånvaro, genomsnitt", "%", 1, Direction.LowerIsBetter, PeriodKind.Tertial, 7.5m + i, -0.2m, 6.0m, 0.8m, basic: true);
                Indicator(school, null, "Elever per lärare", "antal", 1, Direction.Neutral, PeriodKind.Year, 12.5m + (i * 0.6m), 0.1m, 12.5m, 0.3m, basic: true);
            }

            foreach (var unit in new[] { linden, hemtjanstNorr, hemtjanstSoder })
            {
                Indicator(unit, null, "Personal med undersköterskeutbildning", "%", 0, Direction.HigherIsBetter, PeriodKind.Year, 72m, 2m, 85m, 2m, basic: true);
                Indicator(unit, null, "Klagomål och synpunkter", "antal", 0, Direction.Neutral, PeriodKind.Tertial, 9m, 0m, 9m, 3m, basic: true);
            }

            foreach (var (pre, i) in preschools.Select((x, i) => (x, i)))
            {
                Indicator(pre, null, "Förskollärare av personalen", "%", 0, Direction.HigherIsBetter, PeriodKind.Year, 38m + (i * 6), 1m, 45m, 2m, basic: true);
            }

            Indicator(gymnasium, null, "Elever med behörighet till högskolan", "%", 0, Direction.HigherIsBetter, PeriodKind.Year, 62m, 1m, 68m, 2m, basic: true);
            Indicator(gymnasium, null, "Elever som började på ett introduktionsprogram", "%", 0, Direction.Neutral, PeriodKind.Year, 14m, -0.3m, 14m, 1m, basic: true);
            Indicator(ifo, ifoMal, "Familjer som avslutat föräldrastödsprogram", "antal", 0, Direction.HigherIsBetter, PeriodKind.Tertial, 14m, 1m, 20m, 3m);
            Indicator(lss, lssMal, "Brukare med individuell plan", "%", 0, Direction.HigherIsBetter, PeriodKind.Year, 54m, 4m, 75m, 3m);
            Indicator(lss, null, "Personalomsättning i gruppbostäder", "%", 0, Direction.LowerIsBetter, PeriodKind.Year, 16m, -0.5m, 12m, 1.5m, basic: true);
            Indicator(bibliotek, bib, "Skolklasser som besökt biblioteket", "antal", 0, Direction.HigherIsBetter, PeriodKind.Tertial, 38m, 3m, 50m, 5m);
            Indicator(fritidsgard, navet, "Aktiviteter som unga själva har planerat", "antal", 0, Direction.HigherIsBetter, PeriodKind.Tertial, 6m, 1m, 10m, 2m);
            Indicator(badhus, null, "Simskoleelever som klarar simkunnighetskraven", "%", 0, Direction.HigherIsBetter, PeriodKind.Tertial, 80m, 1.5m, 90m, 4m, basic: true);
            Indicator(gata, gataMal, "Skolvägar med belysning", "%", 0, Direction.HigherIsBetter, PeriodKind.Year, 70m, 5m, 90m, 2m);
            Indicator(gata, null, "Klotter sanerat inom 48 timmar", "%", 0, Direction.HigherIsBetter, PeriodKind.Tertial, 77m, 2m, 90m, 5m, basic: true);
            Indicator(va, vaMal, "Vattenläckor åtgärdade inom 24 timmar", "%", 0, Direction.HigherIsBetter, PeriodKind.Tertial, 86m, 2m, 95m, 4m);
            Indicator(bygglov, null, "Ärenden om olovligt byggande", "antal", 0, Direction.Neutral, PeriodKind.Tertial, 12m, 0.5m, 12m, 3m, basic: true);
            Indicator(hr, hrMal, "Långtidssjukfrånvaro, 60 dagar eller mer", "%", 1, Direction.LowerIsBetter, PeriodKind.Tertial, 3.9m, -0.15m, 3.0m, 0.3m);
            Indicator(hr, null, "Tid från annons till anställning, median", "dagar", 0, Direction.LowerIsBetter, PeriodKind.Tertial, 52m, -2m, 42m, 5m, basic: true);
            Indicator(eko, null, "Fakturor betalda i tid", "%", 0, Direction.HigherIsBetter, PeriodKind.Tertial, 93m, 1m, 98m, 1.5m, basic: true);
            Indicator(klf, klfMal, "Invånare som är nöjda med webbplatsen", "%", 0, Direction.HigherIsBetter, PeriodKind.Year, 68m, 2m, 75m, 2m);

            // Program indicators: followed, never part of goal fulfilment.
            Indicator(sbf, null, "Andel ekologiska livsmedel i måltidsverksamheten", "%", 0, Direction.HigherIsBetter, PeriodKind.Tertial, 31m, 2m, 40m, 3m, program: miljoprogram.Id);
            Indicator(klf, null, "Andel tjänsteresor med tåg", "%", 0, Direction.HigherIsBetter, PeriodKind.Year, 45m, 4m, 60m, 4m, program: miljoprogram.Id);
            Indicator(sof, null, "Matsvinn per portion", "gram", 0, Direction.LowerIsBetter, PeriodKind.Tertial, 46m, -2m, 35m, 4m, program: miljoprogram.Id);

            // Activities on goals and in the program.
            var periods = template.Periods.Where(p => PeriodRef.Parse(p.Key) <= PeriodRef.Parse(LastOutcome)).ToList();
            Activity("Läsfrämjande insatser i åk 1-3", "Gemensamt kartläggningsmaterial och läsombud på varje skola.", bufMal, null, buf, new(2024, 1, 8), new(2025, 6, 13), ActivityStatus.Done, 100, periods);
            Activity("Trygghetsvandringar med elevråden", "Eleverna pekar ut otrygga platser som åtgärdas.", bunTrygg, null, schools[0], new(2025, 1, 15), new(2026, 6, 12), ActivityStatus.InProgress, 60, periods);
            Activity("Heltider som norm i omsorgen", "Schemaläggning som gör att fler kan arbeta heltid.", vonPers, null, sof, new(2024, 3, 1), new(2026, 12, 31), ActivityStatus.Delayed, 35, periods);
            Activity("Ny ventilation i badhuset", "Upphandling och installation av värmeåtervinning.", bad, null, badhus, new(2025, 2, 1), new(2025, 11, 30), ActivityStatus.Done, 100, periods);
            Activity("E-tjänst för bygglov", "Ansökan, komplettering och besked digitalt.", bygg, null, bygglov, new(2024, 9, 1), new(2026, 3, 31), ActivityStatus.InProgress, 80, periods);
            Activity("Gemensam prognosmodell", "Samma modell och kalender för prognoser i alla förvaltningar.", ekoMal, null, eko, new(2023, 9, 1), new(2024, 5, 31), ActivityStatus.Done, 100, periods);
            Activity("Laddinfrastruktur vid kommunens arbetsplatser", "Laddplatser för kommunens fordon vid fem arbetsplatser.", null, miljoprogram.Id, gata, new(2024, 4, 1), new(2026, 10, 31), ActivityStatus.InProgress, 70, periods);
            Activity("Minskat matsvinn i skolrestaurangerna", "Mätning av svinn och tallrikssvinn varje vecka.", null, miljoprogram.Id, sof, new(2025, 1, 7), new(2026, 12, 18), ActivityStatus.InProgress, 45, periods);
            Activity("Kartläggning av kemikalier i förskolan", "Byte av material som innehåller skadliga ämnen.", null, miljoprogram.Id, buf, new(2026, 8, 15), new(2027, 6, 30), ActivityStatus.NotStarted, 0, periods);

            var doc = template with
            {
                Tenant = new TenantInfo(Slug, "Exempelkommun", "9999"),
                Models = [model],
                Units = units,
                Goals = goals,
                Programs = [miljoprogram],
                Indicators = indicators,
                Outcomes = outcomes,
                Activities = activities,
                Periods = [.. template.Periods.Select(p => PeriodRef.Parse(p.Key) <= PeriodRef.Parse("2026-T1")
                    ? p with { IsPublished = true, PublishedAt = Stamp(PeriodRef.Parse(p.Key).End.AddDays(40)), PublishedBy = "controller@exempelkommun.se" }
                    : p)],
                Documents =
                [
                    new(Guid.CreateVersion7(), DocumentKind.Budget, "Mål och budget 2026 med plan för 2027-2028", "Fullmäktiges mål, budgetramar och uppdrag till nämnderna.", Council, new(2025, 11, 24), new(2026, 1, 1), new(2026, 12, 31), null, [kfEkonomi, kfArbetsgivare]),
                    new(Guid.CreateVersion7(), DocumentKind.Program, "Miljöprogram 2023-2026", "Åtaganden för klimat, energi och en giftfri vardag.", Council, new(2022, 12, 12), new(2023, 1, 1), new(2026, 12, 31), null, [kfKlimat]),
                    new(Guid.CreateVersion7(), DocumentKind.Policy, "Policy för tidiga insatser för barn och unga", "Hur förvaltningarna samverkar kring barn som behöver stöd.", Council, new(2023, 5, 22), new(2023, 7, 1), null, null, [kfSkola]),
                    new(Guid.CreateVersion7(), DocumentKind.Guideline, "Riktlinje för ekonomistyrning", "Prognoser, åtgärdsplaner och ansvar vid avvikelser.", Board, new(2024, 2, 6), new(2024, 3, 1), null, null, [kfEkonomi]),
                ],
                Budget = Budget(bun, sn, von, kfn, sbn, mbn),
            };
            var control = ControlAndAssignments();
            return Assess(doc with { InternalControl = control.Doc(RiskSettingsDoc.From(RiskScale.Default())), Assignments = control.Assignments });
        }

        private Guid U(string name) => units.Single(u => u.Name == name).Id;

        private Guid G(string title) => goals.Single(g => g.Title == title).Id;

        /// <summary>
        /// A year of internal control and assignments: the registers of the executive board, the school board and the care
        /// board with two years of assessments, their decided plans for 2026 with control actions in each tertial, results
        /// for the tertials followed up (T1 locked, T2 submitted), an open measure from the care board's 2025 plan, and
        /// assignments from the council, the board and a committee. Results and reports are written only by förvaltningar,
        /// nämnder and the board, whose follow-ups of those tertials are submitted or locked (see <see cref="Assess"/>).
        /// </summary>
        private ControlExamples ControlAndAssignments()
        {
            var c = new ControlExamples();
            var (ks, bun, von, klf, buf, sof) = (Board, U("Barn- och utbildningsnämnden"), U("Vård- och omsorgsnämnden"), U("Kommunledningsförvaltningen"),
                U("Barn- och utbildningsförvaltningen"), U("Social- och omsorgsförvaltningen"));
            const string Ekonomi = "Ekonomi och redovisning", Regler = "Regelefterlevnad", It = "IT och informationssäkerhet", Oegentligheter = "Oegentligheter",
                Verksamhet = "Verksamhet", Omvarld = "Omvärld";

            // Kommunstyrelsen: the municipality-wide processes that Kommunledningsförvaltningen runs.
            var utbetalning = c.Risk(ks, "Felaktiga utbetalningar till leverantörer", Ekonomi, "Leverantörsreskontra", "Ekonomichef",
                "Bedragare som utger sig för att vara leverantörer begär ändrade bankuppgifter, och betalningar går till fel konto.",
                "Attest i två led; ändringar av bankuppgifter ringer ekonomiavdelningen upp leverantören om.",
                "Försöken har blivit fler i hela landet. Rutinen finns men följs inte alltid när det är bråttom.",
                [new(2025, 3, 4, 2, 4), new(2026, 3, 4, 2, 4)]);
            var direkt = c.Risk(ks, "Direktupphandlingar görs utan konkurrens och dokumentation", Regler, "Inköp och upphandling", "Upphandlingschef",
                "Inköp över gränsen för direktupphandling görs utan att flera leverantörer tillfrågas och utan att beslutet dokumenteras.",
                "Riktlinje för direktupphandling; upphandlingsenheten ger råd.",
                "Förra årets kontroll visade brister i dokumentationen, och många beställare är nya.",
                [new(2025, 3, 3, 3, 3), new(2026, 3, 3, 3, 3)]);
            var behorighet = c.Risk(ks, "Obehöriga har kvar behörighet i ekonomi- och lönesystemen", It, "Behörighetshantering", "IT-chef",
                "Medarbetare som slutat eller bytt tjänst har kvar behörigheter de inte längre ska ha.",
                "Chefen beställer borttag när en anställning upphör.",
                "Nytt lönesystem under 2026 ändrar hur behörigheter beställs.",
                [new(2026, 2, 4, 2, 4)]);
            var jav = c.Risk(ks, "Jäv och otillbörlig påverkan vid inköp", Oegentligheter, "Inköp och upphandling", "Kommundirektör",
                "Den som beställer eller attesterar har en relation till leverantören.",
                "Jävsdeklaration för upphandlare; policy mot mutor och jäv.",
                "Inga kända fall, men konsekvensen för förtroendet vore stor.",
                [new(2026, 2, 4, 2, 3)]);

            // Barn- och utbildningsnämnden.
            var franvaro = c.Risk(bun, "Elevernas frånvaro registreras och följs inte upp", Regler, "Frånvarorapportering", "Grundskolechef",
                "Ogiltig frånvaro registreras sent eller inte alls, och vårdnadshavare och elevhälsa får inte veta i tid.",
                "Frånvaro registreras i lärplattformen; mentorer kontaktar hemmet.",
                "Frånvaron har ökat, och skolorna registrerar på olika sätt.",
                [new(2025, 3, 2, 3, 2), new(2026, 3, 3, 3, 3)]);
            var krankning = c.Risk(bun, "Kränkande behandling utreds inte i tid", Verksamhet, "Anmälan och utredning av kränkande behandling", "Förvaltningschef",
                "Anmälningar om kränkande behandling utreds inte skyndsamt, och huvudmannen får inte kännedom om alla ärenden.",
                "Anmälan till huvudmannen i ärendesystemet; rektor ansvarar för utredningen.",
                "Antalet anmälningar ökar och ärendesystemet byts under våren.",
                [new(2025, 2, 4, 2, 4), new(2026, 3, 4, 2, 4)]);
            var avgifter = c.Risk(bun, "Felaktiga avgifter i förskolan", Ekonomi, "Avgiftshantering förskola", "Ekonomichef",
                "Vårdnadshavare debiteras fel avgift när inkomstuppgifter inte lämnas eller inte stäms av.",
                "Årlig inkomstförfrågan till vårdnadshavare.",
                "Inkomstuppgifterna stämdes senast av för tre år sedan.",
                [new(2026, 3, 3, 3, 3)]);

            // Vård- och omsorgsnämnden.
            var lakemedel = c.Risk(von, "Brister i läkemedelshanteringen", Verksamhet, "Läkemedelshantering i hemtjänst och särskilt boende", "Medicinskt ansvarig sjuksköterska",
                "Läkemedel ges inte enligt ordination, och signeringar saknas.",
                "Delegering av läkemedelshantering; signeringslistor; egenkontroller.",
                "Avvikelserna om läkemedel är fortfarande de vanligaste, men förra årets åtgärder har gett effekt.",
                [new(2025, 3, 4, 3, 3), new(2026, 3, 4, 2, 4)]);
            var avvikelser = c.Risk(von, "Avvikelser rapporteras men åtgärdas inte", Verksamhet, "Avvikelsehantering", "Kvalitetsutvecklare",
                "Avvikelser utreds inte och leder inte till förbättringar, så att samma fel upprepas.",
                "Avvikelsesystem; enhetscheferna går igenom avvikelserna varje månad.",
                "Genomgången varje månad har minskat antalet öppna avvikelser.",
                [new(2025, 3, 3, 3, 3), new(2026, 2, 3, 2, 3)]);
            var brukarmedel = c.Risk(von, "Brukares privata pengar hanteras felaktigt", Oegentligheter, "Hantering av brukarmedel", "Enhetschef",
                "Kontanter och kort som tillhör brukare i särskilt boende används fel eller försvinner.",
                "Kassabok och kvitton för varje brukare; två personer vid uttag.",
                "Rutinen är känd, men en granskning har inte gjorts på flera år.",
                [new(2026, 2, 4, 2, 4)]);
            c.Risk(von, "Otillräcklig bemanning under semesterperioden", Omvarld, "Bemanning och schemaläggning", "Förvaltningschef",
                "Det går inte att rekrytera vikarier till sommaren, och kontinuiteten för brukarna blir sämre.",
                "Tidig semesterplanering; bemanningsenhet.",
                "Rekryteringen inför sommaren gick bättre än väntat.",
                [new(2026, 2, 2, 2, 2)]);

            // 2025: the care board's plan, whose measure on the medicine rooms is still open and follows into 2026.
            var von2025 = c.Plan(von, 2025, new(2025, 2, 19), "§ 17", "Vård- och omsorgsnämndens internkontrollplan för 2025.", lakemedel, avvikelser);
            c.Action(von2025, avvikelser, "Avvikelser är analyserade och åtgärdade inom en månad", "Granskning", "Samtliga avvikelser under perioden på två enheter", sof,
                "Kvalitetsutvecklare", "2025-T2", "Vård- och omsorgsnämnden", ControlExamples.WithoutRemark("2025-T2"));
            c.Action(von2025, lakemedel, "Läkemedelsförråd: temperatur och inventering", "Stickprov", "Läkemedelsförråden på tre boenden", sof,
                "Medicinskt ansvarig sjuksköterska", "2025-T3", "Vård- och omsorgsnämnden",
                ControlExamples.Deviation("2025-T3", "Temperaturen i två läkemedelsförråd var för hög under sommaren, och temperaturen loggades inte."),
                ControlExamples.Measure("2025-T3", "Påminnelse om rutinen för läkemedelsförråd på arbetsplatsträffarna", "Enhetschefer", new(2025, 12, 31), MeasureStatus.Done, new(2025, 11, 28)),
                ControlExamples.Measure("2025-T3", "Temperaturloggar och kylaggregat i läkemedelsförråden på Äldreboendet Linden", "Enhetschef Äldreboendet Linden",
                    new(2026, 3, 31), MeasureStatus.InProgress));

            // 2026: decided plans for the three, a control action per risk spread over the tertials; T1 and T2 are followed up.
            var ks2026 = c.Plan(ks, 2026, new(2025, 12, 9), "§ 211", "Kommunstyrelsens internkontrollplan för 2026, för de kommungemensamma processerna.",
                utbetalning, direkt, behorighet, jav);
            c.Action(ks2026, utbetalning, "Ändrade bankuppgifter för leverantörer är kontrollerade", "Stickprov", "Samtliga ändringar under perioden, minst 15", klf,
                "Redovisningsansvarig", "2026-T1", "Kommunstyrelsen", ControlExamples.WithoutRemark("2026-T1"));
            c.Action(ks2026, direkt, "Direktupphandlingar över 100 000 kronor är dokumenterade", "Granskning", "20 slumpvis valda inköp", klf,
                "Upphandlingschef", "2026-T2", "Kommunstyrelsen",
                ControlExamples.Deviation("2026-T2", "4 av 20 inköp saknade dokumentation av vilka leverantörer som tillfrågats. Tre av dem gjordes av samma verksamhet."),
                ControlExamples.Measure("2026-T2", "Utbildning i direktupphandling för beställare i de berörda verksamheterna", "Upphandlingschef", new(2026, 11, 30), MeasureStatus.InProgress));
            c.Action(ks2026, jav, "Jävsdeklarationer finns för alla som upphandlar", "Genomgång", "Alla upphandlare och inköpsansvariga", klf,
                "HR-chef", "2026-T2", "Kommunstyrelsen", ControlExamples.WithoutRemark("2026-T2"));
            c.Action(ks2026, behorighet, "Behörigheter i ekonomi- och lönesystemen stäms av mot anställningar", "Avstämning", "Alla behörigheter i två system", klf,
                "Systemförvaltare", "2026-T3", "Kommunstyrelsen");

            var bun2026 = c.Plan(bun, 2026, new(2026, 1, 28), "§ 6", "Barn- och utbildningsnämndens internkontrollplan för 2026.", franvaro, krankning, avgifter);
            c.Action(bun2026, franvaro, "Frånvaro registreras samma dag och ogiltig frånvaro meddelas hemmet", "Stickprov", "Två klasser per skola under två veckor", buf,
                "Grundskolechef", "2026-T1", "Barn- och utbildningsnämnden", ControlExamples.WithoutRemark("2026-T1"));
            c.Action(bun2026, krankning, "Anmälningar om kränkande behandling utreds inom två veckor", "Granskning", "Samtliga anmälningar under perioden", buf,
                "Utredare", "2026-T2", "Barn- och utbildningsnämnden",
                ControlExamples.NotPerformed("2026-T2", "Ärendesystemet byttes under perioden och anmälningarna kunde inte tas fram. Kontrollen görs i stället i tertial 3."));
            c.Action(bun2026, avgifter, "Avgifter i förskolan stäms av mot inkomstuppgifter", "Avstämning", "50 slumpvis valda hushåll", buf,
                "Ekonom", "2026-T3", "Barn- och utbildningsnämnden");

            var von2026 = c.Plan(von, 2026, new(2026, 2, 18), "§ 14", "Vård- och omsorgsnämndens internkontrollplan för 2026.", lakemedel, avvikelser, brukarmedel);
            c.Action(von2026, lakemedel, "Signeringslistor för läkemedel är kompletta", "Stickprov", "25 signeringslistor från hemtjänst och särskilt boende", sof,
                "Medicinskt ansvarig sjuksköterska", "2026-T1", "Vård- och omsorgsnämnden",
                ControlExamples.Deviation("2026-T1", "I 3 av 25 signeringslistor saknades signaturer, alla vid skiftbyte på kvällen."),
                ControlExamples.Measure("2026-T1", "Ny rutin för överlämning av läkemedel vid skiftbyte", "Medicinskt ansvarig sjuksköterska", new(2026, 6, 30),
                    MeasureStatus.Done, new(2026, 6, 15)));
            c.Action(von2026, avvikelser, "Avvikelser är analyserade och åtgärdade inom en månad", "Analys", "Samtliga avvikelser under perioden", sof,
                "Kvalitetsutvecklare", "2026-T2", "Vård- och omsorgsnämnden", ControlExamples.WithoutRemark("2026-T2"));
            c.Action(von2026, brukarmedel, "Kassaböcker och kvitton för brukarnas pengar", "Granskning", "Tio brukare på två boenden", sof,
                "Enhetschef", "2026-T3", "Vård- och omsorgsnämnden");

            // Assignments: from the council in the budget and in decisions, from the board and from a committee; reported on in each tertial.
            const AssignmentGiver Kf = AssignmentGiver.Council, Ks = AssignmentGiver.ExecutiveBoard, Namnd = AssignmentGiver.Committee;
            const AssignmentStatus Pagar = AssignmentStatus.InProgress, Klart = AssignmentStatus.Done, Ej = AssignmentStatus.NotStarted;
            c.Assignment(Kf, Council, new(2024, 11, 25), "§ 130", U("Kultur- och fritidsnämnden"), "Gemensam bokningstjänst för lokaler och anläggningar",
                "Kultur- och fritidsnämnden får i uppdrag att utreda en gemensam bokningstjänst för kommunens lokaler och idrottsanläggningar.",
                AssignmentStatus.NotDone, due: new(2025, 6, 30), closedOn: new(2025, 9, 22),
                reason: "Bokningen ingår i det nya verksamhetssystem som upphandlas gemensamt i länet; en egen tjänst behövs inte.", goals: [G("En attraktiv kommun att bo och verka i")],
                reports: [new("2025-T1", Pagar, "Utredningen har startat och behoven hos föreningarna är kartlagda."),
                    new("2025-T2", Pagar, "Utredningen är pausad i väntan på länets gemensamma upphandling av verksamhetssystem.")]);
            c.Assignment(Kf, Council, new(2025, 6, 16), "§ 78", U("Samhällsbyggnadsnämnden"), "Laddplatser vid kommunens anläggningar",
                "Samhällsbyggnadsnämnden får i uppdrag att utreda hur fler laddplatser för elbilar kan byggas vid kommunens anläggningar.",
                AssignmentStatus.Closed, due: new(2025, 12, 31), closedOn: new(2026, 2, 23), goals: [G("Minskad klimatpåverkan")],
                reports: [new("2025-T2", Pagar, "Inventeringen av anläggningarna och elnätets kapacitet pågår."),
                    new("2025-T3", Klart, "Utredningen är klar: 40 laddplatser på sju anläggningar föreslås under 2026-2027.")]);
            c.Assignment(Ks, ks, new(2025, 9, 9), "§ 150", sof, "Kostnaderna för externa placeringar",
                "Social- och omsorgsförvaltningen får i uppdrag att redovisa kostnaderna för externa placeringar och föreslå åtgärder.",
                AssignmentStatus.Closed, due: new(2025, 12, 31), closedOn: new(2026, 1, 20), goals: [G("God ekonomisk hushållning")],
                reports: [new("2025-T3", Klart, "Redovisningen visar att kostnaderna ökade med 14 procent. Fler placeringar ersätts med insatser på hemmaplan.")]);
            c.Assignment(Kf, Council, new(2025, 11, 24), "§ 142", bun, "Skolornas lokalbehov till 2030",
                "Barn- och utbildningsnämnden får i uppdrag att se över förskolornas och skolornas lokalbehov till 2030.",
                Pagar, due: new(2026, 6, 30), goals: [G("Barn och unga når sin fulla potential")],
                reports: [new("2026-T1", Pagar, "Lokalinventeringen för grundskolan är klar."),
                    new("2026-T2", Pagar, "Arbetet är försenat: befolkningsprognosen kom sent, och förskolornas behov redovisas i oktober.")]);
            c.Assignment(Kf, Council, new(2025, 11, 24), "§ 142", ks, "Plan för kompetensförsörjning",
                "Kommunstyrelsen får i uppdrag att ta fram en plan för kompetensförsörjning i kommunens verksamheter.",
                Pagar, duePeriod: "2026-T3", goals: [G("En attraktiv arbetsgivare")],
                reports: [new("2026-T1", Pagar, "Förvaltningarnas behov till 2030 är kartlagda; planen skrivs under hösten.")]);
            c.Assignment(Ks, ks, new(2026, 2, 10), "§ 24", klf, "E-underskrift av avtal och beslut",
                "Kommunledningsförvaltningen får i uppdrag att införa elektronisk underskrift av kommunens avtal och protokoll.",
                Klart, due: new(2026, 10, 31),
                reports: [new("2026-T1", Pagar, "Tjänsten är upphandlad."), new("2026-T2", Klart, "E-underskrift används i alla förvaltningar sedan augusti.")]);
            c.Assignment(Namnd, bun, new(2026, 1, 28), "§ 7", buf, "Handlingsplan mot hög frånvaro",
                "Barn- och utbildningsförvaltningen får i uppdrag att ta fram en handlingsplan mot hög frånvaro i grundskolan.",
                Klart, duePeriod: "2026-T2", goals: [G("Fler elever når kunskapskraven"), G("Eleverna känner sig trygga i skolan")],
                reports: [new("2026-T1", Pagar, "Frånvaron är kartlagd per skola och årskurs."), new("2026-T2", Klart, "Handlingsplanen är klar och börjar gälla vid höstterminens start.")]);
            c.Assignment(Namnd, von, new(2026, 3, 18), "§ 31", sof, "Nattpatrull i hela kommunen",
                "Social- och omsorgsförvaltningen får i uppdrag att införa nattpatrull i hemtjänsten i hela kommunen.",
                Ej, due: new(2027, 3, 31), goals: [G("Äldre har inflytande över sin vardag")],
                reports: [new("2026-T2", Ej, "Planeringen börjar när rekryteringen till hösten är klar.")]);
            return c;
        }

        private void Activity(string title, string text, Guid? goal, Guid? program, Guid unit, DateOnly start, DateOnly end, ActivityStatus status, int progress, List<PeriodDoc> periods)
        {
            var comments = periods.Where(p => PeriodRef.Parse(p.Key).End >= start && PeriodRef.Parse(p.Key).Start <= end)
                .Select((p, n) => new ActivityCommentDoc(p.Key,
                    n == 0 ? "Arbetet har startat enligt plan." : status == ActivityStatus.Delayed ? "Arbetet går långsammare än planerat på grund av rekryteringsläget." : "Arbetet fortsätter enligt plan.",
                    PeriodRef.Parse(p.Key).End >= end ? status : (status == ActivityStatus.Delayed ? ActivityStatus.Delayed : ActivityStatus.InProgress),
                    Math.Min(progress, 10 + (n * 20)), "chef@exempelkommun.se", Stamp(PeriodRef.Parse(p.Key).End.AddDays(12))))
                .ToList();
            activities.Add(new ActivityDoc
            {
                Id = Guid.CreateVersion7(), Title = title, Description = text, GoalId = goal, ProgramId = program, ResponsibleUnitId = unit,
                StartDate = start, EndDate = end, Status = status, Progress = progress, Comments = comments,
            });
        }

        private static readonly decimal[] Deviations2026 = [-0.004m, -0.015m, -0.006m, 0.01m, 0.003m, 0m];

        private static List<BudgetDoc> Budget(params Guid[] committees) =>
        [
            .. committees.SelectMany((unit, i) => new[] { 2024, 2025, 2026 }.Select(year =>
            {
                var frame = (new[] { 620_000m, 180_000m, 540_000m, 65_000m, 140_000m, 22_000m }[i]) * (1m + ((year - 2024) * 0.03m));
                // 2026 differs by nämnd (issue 16's follow-up): BUN, SN and VON forecast deficits, KFN and SBN surpluses, MBN ends on its frame.
                var deviation = year == 2024 ? -0.012m : year == 2025 ? 0.004m : Deviations2026[i];
                var tertials = year == 2026 ? 2 : 3;
                return new BudgetDoc(unit, year, frame, null,
                    [.. Enumerable.Range(1, tertials).Select(t => new BudgetOutcomeDoc($"{year}-T{t}", Math.Round(frame * t / 3m * (1m - deviation), 0), Math.Round(frame * (1m - deviation), 0)))]);
            })),
        ];

        /// <summary>
        /// Nämnd goals are assessed with the engine's suggestion; one is set lower by hand, with a motivation. Actions decided
        /// at a follow-up are closed at the next one, so only the latest are still open.
        /// </summary>
        private TenantDocument Assess(TenantDocument doc)
        {
            var assessments = new List<AssessmentDoc>();
            var nämndLevel = Level(1);
            string[] keys = ["2025-T3", "2026-T1", "2026-T2"];
            foreach (var (key, next) in keys.Zip(keys.Skip(1).Append(null)))
            {
                var suggestions = Suggest(doc, key);
                foreach (var goal in doc.Goals.Where(g => g.LevelId == nämndLevel && !units.Any(u => u.Id == g.OwnerUnitId && u.Kind == UnitKind.Company)))
                {
                    var suggested = suggestions[goal.Id];
                    var status = suggested == StandardScale.NotAssessed ? StandardScale.PartlyMet : suggested;
                    var deviates = suggested != StandardScale.NotAssessed && status != suggested;
                    var motivation = suggested == StandardScale.NotAssessed ? "Årsmåtten redovisas i årsredovisningen; bedömningen bygger på verksamhetens uppföljning." : null;
                    if (key == "2026-T2" && goal.Title.StartsWith("Stabil bemanning", StringComparison.Ordinal) && status == StandardScale.Met)
                    {
                        status = StandardScale.PartlyMet;
                        deviates = true;
                        motivation = "Måtten är nådda men heltidsarbetet är försenat och timvikarierna ökade under sommaren.";
                    }

                    var actions = status == StandardScale.Met ? null : "Fortsatt fokus i verksamhetsplanen; uppföljning på ledningsgruppens möten varje månad.";
                    DateTime? closed = actions is null || next is null ? null : Stamp(PeriodRef.Parse(next).End.AddDays(25));
                    assessments.Add(new AssessmentDoc(goal.Id, key, status, suggested, deviates, motivation,
                        status == StandardScale.Met ? "Utvecklingen går åt rätt håll och insatserna ger effekt." : "Resultaten förbättras men når inte målvärdet i alla delar. Orsakerna analyseras med verksamheterna.",
                        actions, "namndsekreterare@exempelkommun.se", Stamp(PeriodRef.Parse(key).End.AddDays(25)),
                        closed, closed is null ? null : "namndsekreterare@exempelkommun.se"));
                }
            }

            // Every follow-up of a published period is locked (the council's and the units' too: an assessment is public only
            // once its unit's follow-up is ready). The year-end report of 2025 (T3, which the annual report rests on) arrives
            // approved and is locked after the import through the workflow, which keeps the cards as reported; nämnder and
            // förvaltningar submit 2026-T2 there too, after their forecasts and budget comments (see SeedPlanningYearAsync).
            // Locking every tertial that way would build a hundred cards and triple the seed's time.
            var owners = doc.Goals.Select(g => g.OwnerUnitId).Concat(doc.Activities.Select(a => a.ResponsibleUnitId)).ToHashSet();
            var workflow = doc.Units.Where(u => u.Kind is UnitKind.Committee or UnitKind.Administration || owners.Contains(u.Id))
                .SelectMany(u => doc.Periods.Where(p => PeriodRef.Parse(p.Key) < PeriodRef.Parse(LastOutcome)).Select(p =>
                    new WorkflowDoc(u.Id, p.Key, PeriodRef.Parse(p.Key).Year == LockedYear && PeriodRef.Parse(p.Key).End.Month == 12 ? Domain.Periods.WorkflowState.Approved : Domain.Periods.WorkflowState.Locked,
                        "controller@exempelkommun.se", Stamp(PeriodRef.Parse(p.Key).End.AddDays(30)), null)))
                .ToList();
            return doc with { Assessments = assessments, Workflow = workflow };
        }

        /// <summary>Runs the engine on the document itself, the same rule the app uses.</summary>
        private static Dictionary<Guid, string> Suggest(TenantDocument doc, string periodKey) =>
            DocumentEngine.Compute(doc, periodKey).Goals.ToDictionary(g => g.Key, g => g.Value.SuggestedStatus);
    }
}
