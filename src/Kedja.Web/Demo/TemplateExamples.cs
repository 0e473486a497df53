using Kedja.Data;
using Kedja.Domain.Activities;
using Kedja.Domain.Documents;
using Kedja.Domain.Indicators;
using Kedja.Domain.Periods;
using Kedja.Web.Exchange;
using Kedja.Web.Templates;
using Microsoft.EntityFrameworkCore;
using static Kedja.Domain.Organisation.UnitKind;

namespace Kedja.Web.Demo;

/// <summary>
/// An example municipality for each built-in template (issue 13, ADR 43), so that each template can be seen at work with
/// a public portal: made from the template through the same importer as a new municipality, with content in the
/// template's own levels and terms, published follow-ups up to T1 2026 (interim and annual: helår 2025) and one later
/// follow-up with data that is not published, with a committee's decided internal control plan and a few assignments.
/// Names, goals and figures are made up; the source municipality is named only as the model's inspiration.
/// </summary>
public static class TemplateExamples
{
    public static string SlugFor(string templateKey) => $"exempel-{templateKey}";

    public static IReadOnlyList<string> Slugs { get; } = [.. ModelTemplates.Keys.Select(SlugFor)];

    public static string NameFor(string templateKey) => templateKey switch
    {
        ModelTemplates.Kil => "Exempelkommun med balanserad styrning",
        ModelTemplates.Kumla => "Exempelkommun med nio politiska mål",
        ModelTemplates.Karlskoga => "Exempelkommun med målpyramid",
        ModelTemplates.Heby => "Exempelkommun med inriktningar och effektmål",
        ModelTemplates.Hagfors => "Exempelkommun med balanserade målkort",
        _ => throw new ArgumentException($"Mallen '{templateKey}' finns inte.", nameof(templateKey)),
    };

    public static TenantDocument Build(string templateKey)
    {
        var b = new ExampleBuilder(templateKey, SlugFor(templateKey), NameFor(templateKey), seed: ModelTemplates.Keys.ToList().IndexOf(templateKey) + 13,
            targetNote: templateKey == ModelTemplates.Kil ? "Operativt mål för" : null);
        var modelledOn = ModelTemplates.List().Single(t => t.Key == templateKey).ModelledOn;
        b.Model = b.Model with
        {
            Description = $"{b.Model.Description} Ett påhittat exempel med {modelledOn}s styrmodell som förebild: mål, mått och värden är inte kommunens egna.",
        };
        switch (templateKey)
        {
            case ModelTemplates.Kil:
                Kil(b);
                break;
            case ModelTemplates.Kumla:
                Kumla(b);
                break;
            case ModelTemplates.Karlskoga:
                Karlskoga(b);
                break;
            case ModelTemplates.Heby:
                Heby(b);
                break;
            default:
                Hagfors(b);
                break;
        }

        return b.Build();
    }

    /// <summary>
    /// Creates each example municipality that the database does not have yet, each through the importer in a scope of its
    /// own (an import enters its tenant). Returns the slugs created.
    /// </summary>
    public static async Task<IReadOnlyList<string>> SeedAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        var scopes = services.GetRequiredService<IServiceScopeFactory>();
        var created = new List<string>();
        foreach (var key in ModelTemplates.Keys)
        {
            using var scope = scopes.CreateScope();
            var slug = SlugFor(key);
            if (await scope.ServiceProvider.GetRequiredService<KedjaDbContext>().Tenants.AnyAsync(t => t.Slug == slug, cancellationToken))
            {
                continue;
            }

            var result = await scope.ServiceProvider.GetRequiredService<TenantImporter>().ImportAsync(Build(key), slug, cancellationToken: cancellationToken);
            if (!result.Succeeded)
            {
                throw new InvalidOperationException($"Exemplet {slug} är ogiltigt: " + string.Join("; ", result.Errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")));
            }

            created.Add(slug);
        }

        return created;
    }

    /// <summary>Balanserad styrning: strategic goals per perspective with strategies, indicators with an operational target each year; nämndmål below.</summary>
    private static void Kil(ExampleBuilder b)
    {
        b.Model = b.Model with { Vision = "En kommun i balans, där människor, natur och företag växer tillsammans." };
        var bun = b.Unit("Barn- och utbildningsnämnden", Committee, b.Council, "BUN");
        var von = b.Unit("Vård- och omsorgsnämnden", Committee, b.Council, "VON");
        var tn = b.Unit("Tekniska nämnden", Committee, b.Council, "TN");
        var klf = b.Unit("Kommunledningsförvaltningen", Administration, b.Board, "KLF", b.Board);

        var ekonomi = b.Goal(0, b.Council, "Ekonomi", "En ekonomi i balans som ger utrymme att investera",
            "Resultatet räcker både till dagens verksamhet och till de investeringar kommunen behöver de kommande åren.", [16], [],
            "Kostnaderna för placeringar och försörjningsstöd har ökat snabbare än skatteintäkterna.",
            "Nämnderna med underskott tar fram åtgärdsplaner, och prognoserna följs upp varje månad i kommunstyrelsen.",
            "Långsiktig plan för investeringar och underhåll", "Tidiga prognoser och kostnadsmedvetenhet i alla verksamheter");
        b.Indicator(b.Council, ekonomi, "Resultat i procent av skatteintäkter och bidrag", "%", 1, Direction.HigherIsBetter, PeriodKind.Year, 0.8m, 0.45m, 2.0m, 0.5m, "N03101");
        b.Indicator(b.Council, ekonomi, "Soliditet inklusive pensionsåtaganden", "%", 1, Direction.HigherIsBetter, PeriodKind.Year, 14m, 0.9m, 17m, 0.4m, "N03053");

        var medborgare = b.Goal(0, b.Council, "Medborgare", "Invånarna får god service och ett gott bemötande",
            "Den som kontaktar kommunen får snabba och tydliga svar, och tjänsterna är lätta att använda.", [16, 10], [],
            "Många frågor lämnas vidare från kontaktcenter eftersom handläggarna inte når de uppgifter som behövs.",
            "Kontaktcenter får tillgång till fler handläggningssystem och en gemensam kunskapsbank byggs upp.",
            "Tydlig information och snabba svar", "Digitala tjänster som är enkla att använda");
        b.Indicator(klf, medborgare, "Ärenden som löses vid första kontakten med kontaktcenter", "%", 0, Direction.HigherIsBetter, PeriodKind.Tertial, 64m, 3.5m, 75m, 2.5m);
        var bunMal = b.Goal(1, bun, "Medborgare", "Fler elever lämnar grundskolan med behörighet till gymnasiet",
            "Varje elev får stöd tidigt, så att fler klarar kunskapskraven i årskurs 9.", [4, 10], [medborgare],
            "Andelen elever med behörighet varierar mycket mellan skolorna, och stödet sätts in sent.",
            "Skolorna kartlägger läsförmågan i de lägre årskurserna och elevhälsan prioriterar elever i årskurs 7-9.");
        b.Indicator(bun, bunMal, "Elever i åk 9 som är behöriga till ett yrkesprogram", "%", 1, Direction.HigherIsBetter, PeriodKind.Year, 80m, 1.6m, 86m, 1.2m, "N15428");
        var vonMal = b.Goal(1, von, "Medborgare", "Äldre med hemtjänst är nöjda med sitt stöd",
            "Hemtjänsten utgår från den enskildes behov, med få olika personer runt varje brukare.", [3], [medborgare],
            "Många olika medarbetare besöker samma brukare, särskilt under semesterperioderna.",
            "Hemtjänsten planerar i mindre arbetslag, så att varje brukare möter färre personer.");
        b.Indicator(von, vonMal, "Brukare som är nöjda med sin hemtjänst", "%", 0, Direction.HigherIsBetter, PeriodKind.Year, 85m, 1.0m, 90m, 1.5m, "U21468");
        b.Indicator(von, vonMal, "Personal som en hemtjänsttagare möter under 14 dagar", "antal", 0, Direction.LowerIsBetter, PeriodKind.Tertial, 16m, -1.1m, 12m, 1.2m);

        var medarbetare = b.Goal(0, b.Council, "Medarbetare", "Kommunen är en attraktiv arbetsgivare med friska medarbetare",
            "Medarbetarna trivs, är friska och vill stanna, och kommunen kan rekrytera den kompetens som behövs.", [8], [],
            "Sjukfrånvaron är fortsatt hög i omsorgen och i förskolan, där arbetet är fysiskt tungt.",
            "Chefer och HR följer upp korttidsfrånvaro tidigt och fler arbetsplatser får stöd av företagshälsovården.",
            "Tidiga insatser vid ohälsa", "Ledarskap nära medarbetarna");
        b.Indicator(b.Council, medarbetare, "Sjukfrånvaro bland kommunens medarbetare", "%", 1, Direction.LowerIsBetter, PeriodKind.Tertial, 7.9m, -0.3m, 6.8m, 0.4m);
        b.Indicator(b.Council, medarbetare, "Hållbart medarbetarengagemang (HME)", "index", 0, Direction.HigherIsBetter, PeriodKind.Year, 77m, 0.6m, 80m, 1m, "N00208");
        var heltid = b.Goal(1, von, "Medarbetare", "Fler medarbetare i omsorgen arbetar heltid",
            "Heltid är norm i vård och omsorg, så att fler kan försörja sig på sitt arbete och färre timvikarier behövs.", [5, 8], [medarbetare],
            "Schemana bygger fortfarande på deltid, och övergången har försenats av svårigheter att rekrytera.",
            "Ett nytt schemaläggningsverktyg införs och heltidsarbetet följs upp vid varje arbetsplatsträff.");
        b.Indicator(von, heltid, "Tillsvidareanställda i omsorgen som arbetar heltid", "%", 0, Direction.HigherIsBetter, PeriodKind.Tertial, 48m, 4.5m, 62m, 2m);

        var miljo = b.Goal(0, b.Council, "Miljö", "Minskad klimatpåverkan och en hållbar vardag",
            "Kommunens verksamheter minskar sina utsläpp och väljer mer närproducerat och ekologiskt.", [12, 13], [],
            "Flera fordon har inte kunnat bytas ut eftersom leveranstiderna för elbilar varit långa.",
            "Upphandlingen av fordon samordnas och laddplatser byggs ut vid fler av kommunens arbetsplatser.",
            "Fossilfria transporter i kommunens verksamhet", "Mer närproducerad och ekologisk mat");
        b.Indicator(b.Council, miljo, "Ekologiska livsmedel i kommunens kök", "%", 0, Direction.HigherIsBetter, PeriodKind.Tertial, 27m, 2.5m, 35m, 2m);
        b.Indicator(b.Council, miljo, "Fossilfria fordon i kommunens fordonsflotta", "%", 0, Direction.HigherIsBetter, PeriodKind.Year, 40m, 8m, 65m, 3m);
        var energi = b.Goal(1, tn, "Miljö", "Lägre energianvändning i kommunens lokaler",
            "Skolor, förskolor och äldreboenden använder mindre energi per kvadratmeter.", [7], [miljo],
            "Två av de äldre skolorna har fortfarande ventilation utan värmeåtervinning.",
            "Ventilationen i de två skolorna byts ut under sommarlovet, och driften optimeras i alla större lokaler.");
        b.Indicator(tn, energi, "Energianvändning i kommunens lokaler", "kWh/m²", 0, Direction.LowerIsBetter, PeriodKind.Year, 152m, -4m, 140m, 2m);

        var utveckling = b.Goal(0, b.Council, "Utveckling", "Fler vill bo, verka och starta företag i kommunen",
            "Kommunen växer med nya bostäder och ett näringsliv som har goda villkor.", [8, 11], [],
            "Färre bostäder än väntat har påbörjats sedan räntorna steg.",
            "Kommunen ser över markpriser och tomtkö, och nya detaljplaner tas fram i förväg.",
            "Planberedskap för nya bostäder", "Nära samarbete med näringslivet");
        b.Indicator(b.Council, utveckling, "Invånare totalt", "antal", 0, Direction.HigherIsBetter, PeriodKind.Year, 11900m, 45m, 12100m, 25m, "N01951");
        b.Indicator(b.Council, utveckling, "Bostäder med startbesked", "antal", 0, Direction.HigherIsBetter, PeriodKind.Year, 35m, 4m, 50m, 6m);
        var bygglov = b.Goal(1, tn, "Utveckling", "Snabb och förutsägbar handläggning av bygglov",
            "Den som söker bygglov får besked i tid och vet vad som händer med ärendet.", [9, 11], [utveckling],
            "Många ansökningar kommer in ofullständiga, vilket förlänger handläggningen.",
            "En digital ansökan med obligatoriska uppgifter införs och sökande erbjuds förhandsmöten.");
        b.Indicator(tn, bygglov, "Handläggningstid för bygglov, median", "dagar", 0, Direction.LowerIsBetter, PeriodKind.Tertial, 34m, 1.8m, 28m, 2m);
        b.AssessLower(energi, "Måttet är nått, men minskningen beror till stor del på en mild vinter; de åtgärder som planerats i lokalerna är inte genomförda.");

        b.Activity("Läsombud på varje skola", "Ett läsombud per skola samordnar kartläggning och läsfrämjande insatser i årskurs 1-3.", bunMal, null, bun,
            new(2024, 1, 15), new(2025, 6, 13), ActivityStatus.Done, 100);
        b.Activity("Schema där heltid är norm", "Ny schemaläggning i hemtjänst och på boenden så att fler kan arbeta heltid.", heltid, null, von,
            new(2024, 9, 1), new(2026, 12, 31), ActivityStatus.Delayed, 40);
        b.Activity("LED-belysning i skolor och förskolor", "Byte av belysning och styrning i tolv byggnader.", energi, null, tn,
            new(2025, 2, 1), new(2026, 10, 31), ActivityStatus.InProgress, 65);
        b.Activity("E-tjänst för felanmälan", "Felanmälan av gator, belysning och lekplatser via webben, med besked när felet är åtgärdat.", medborgare, null, klf,
            new(2024, 3, 1), new(2025, 5, 30), ActivityStatus.Done, 100);
        b.InternalControl(b.Board, klf, ("Personuppgifter behandlas i strid med dataskyddsförordningen", "IT och informationssäkerhet", "Dataskydd",
            "Registerförteckningen är aktuell i alla verksamheter", "Genomgång"));
        b.Assignments(b.Board, klf, medarbetare);
    }

    /// <summary>Vision and nine political goals, one per strategic area, with measures linked directly to them; nämnder use seven areas; two programs.</summary>
    private static void Kumla(ExampleBuilder b)
    {
        b.Model = b.Model with { Vision = "En trygg och nära kommun där barn och unga får växa och alla kan vara med och påverka." };
        var bun = b.Unit("Barn- och utbildningsnämnden", Committee, b.Council, "BUN");
        var von = b.Unit("Vård- och omsorgsnämnden", Committee, b.Council, "VON");
        var kfn = b.Unit("Kultur- och fritidsnämnden", Committee, b.Council, "KFN");
        var tn = b.Unit("Tekniska nämnden", Committee, b.Council, "TN");
        var miljoprogram = b.Program("Miljöprogram");
        var digital = b.Program("Digitaliseringsprogram");

        Guid Kf(string area, string title, string text, int[] sdg, string cause, string action) => b.Goal(0, b.Council, area, title, text, sdg, [], cause, action);

        var demokrati = Kf("Demokrati och delaktighet", "Fler invånare deltar i och påverkar kommunens utveckling",
            "Invånare, brukare och medarbetare har goda möjligheter att engagera sig och göra sin röst hörd.", [16],
            "Dialogerna når framför allt dem som redan är engagerade; unga och nyinflyttade deltar sällan.",
            "Dialoger hålls där människor redan finns, i skolor, idrottshallar och på biblioteken.");
        b.Indicator(b.Council, demokrati, "Genomförda medborgardialoger", "antal", 0, Direction.HigherIsBetter, PeriodKind.Tertial, 3m, 0.7m, 5m, 1m);
        var service = Kf("Service och bemötande", "Invånare och företag får snabba svar och ett gott bemötande",
            "Kommunen är lätt att nå och ger tydliga besked, oavsett vem som frågar.", [16],
            "Svarstiderna ökar när många handläggare har semester samtidigt.",
            "Semesterplaneringen ses över och en gemensam funktionsbrevlåda bemannas hela sommaren.");
        b.Indicator(b.Council, service, "E-post som besvaras inom två arbetsdagar", "%", 0, Direction.HigherIsBetter, PeriodKind.Tertial, 82m, 2.5m, 90m, 3m);
        b.AssessLower(service, "Måttet för e-post är nått, men väntetiderna i telefon har blivit längre och fler invånare har lämnat synpunkter på det.");
        var ekonomi = Kf("Ekonomi", "Skattepengarna används ansvarsfullt och effektivt",
            "Verksamheten bedrivs inom budget och med ett resultat som tål oväntade kostnader.", [16],
            "Kostnaderna för köpta platser inom socialtjänsten har ökat mer än budgeterat.",
            "Kommunstyrelsen följer nämndernas prognoser varje månad och fler placeringar ersätts med egna insatser.");
        b.Indicator(b.Council, ekonomi, "Resultat i procent av skatteintäkter och bidrag", "%", 1, Direction.HigherIsBetter, PeriodKind.Year, 1.1m, 0.3m, 2.0m, 0.5m, "N03101");
        var medarbetare = Kf("Medarbetare", "Medarbetarna trivs och rekommenderar kommunen som arbetsgivare",
            "Kommunen är en god arbetsgivare med friska och engagerade medarbetare.", [8],
            "Sjukfrånvaron är högst bland medarbetare i omsorg och förskola.",
            "Arbetsmiljöarbetet förstärks på de arbetsplatser som har högst frånvaro.");
        b.Indicator(b.Council, medarbetare, "Hållbart medarbetarengagemang (HME)", "index", 0, Direction.HigherIsBetter, PeriodKind.Year, 78m, 0.5m, 80m, 0.8m, "N00208");
        b.Indicator(b.Council, medarbetare, "Sjukfrånvaro bland kommunens medarbetare", "%", 1, Direction.LowerIsBetter, PeriodKind.Tertial, 7.4m, -0.2m, 6.8m, 0.4m);
        var vard = Kf("Vård, omsorg och folkhälsa", "Den som behöver stöd får det i tid och med god kvalitet",
            "Vård, omsorg och stöd håller god kvalitet, och kommunen arbetar förebyggande i alla verksamheter.", [3],
            "Väntan på plats i särskilt boende har ökat när fler äldre behöver omfattande stöd.",
            "Fler korttidsplatser öppnas och hemtjänsten förstärks med nattpatrull.");
        b.Indicator(b.Council, vard, "Brukare som är nöjda med sin hemtjänst", "%", 0, Direction.HigherIsBetter, PeriodKind.Year, 87m, 0.7m, 90m, 1.5m, "U21468");
        var utbildning = Kf("Utbildning och lärande", "Alla elever når kunskapskraven och lärandet fortsätter hela livet",
            "Alla elever får förutsättningar att lyckas, och kommunen värdesätter kunskap i alla former.", [4],
            "Resultaten i matematik har sjunkit i årskurs 6-9.",
            "Skolorna inför gemensamma genomgångar av resultaten och extra undervisningstid i matematik.");
        b.Indicator(b.Council, utbildning, "Elever i åk 9 som är behöriga till ett yrkesprogram", "%", 1, Direction.HigherIsBetter, PeriodKind.Year, 83m, 1.0m, 88m, 1.2m, "N15428");
        var kultur = Kf("Kultur och fritid", "Ett brett kultur- och fritidsutbud som når alla åldrar",
            "Kultur- och fritidsaktiviteter finns för alla, från de yngsta till de äldsta.", [3, 11],
            "Besöken på biblioteken minskade medan huvudbiblioteket var stängt för renovering.",
            "Biblioteket har förlängda öppettider och fler aktiviteter för barn efter renoveringen.");
        b.Indicator(b.Council, kultur, "Besök på kommunens bibliotek", "antal", 0, Direction.HigherIsBetter, PeriodKind.Tertial, 21000m, 900m, 24000m, 1500m);
        var miljo = Kf("Miljö, trygghet och teknik", "En trygg kommun med hållbara och smarta lösningar",
            "Kommunen är trygg att vistas i och väljer lösningar som är bra för miljön.", [11, 13],
            "Otryggheten är störst i centrum under kvällstid.",
            "Belysningen i centrum förbättras och kommunen samverkar med polisen i trygghetsvandringar.");
        b.Indicator(b.Council, miljo, "Invånare som känner sig trygga i centrum på kvällen", "%", 0, Direction.HigherIsBetter, PeriodKind.Year, 62m, 2m, 70m, 2m);
        var boende = Kf("Boende, infrastruktur och näringsliv", "Attraktiva boenden och goda villkor för företag",
            "Det finns bostäder för olika behov, en väl utbyggd infrastruktur och ett gott klimat för företagande.", [8, 9, 11],
            "Bostadsbyggandet har bromsat in och flera planerade projekt har skjutits upp.",
            "Kommunen erbjuder markanvisningar i mindre etapper och följer upp med byggföretagen varje kvartal.");
        b.Indicator(b.Council, boende, "Invånare totalt", "antal", 0, Direction.HigherIsBetter, PeriodKind.Year, 22100m, 170m, 22600m, 60m, "N01951");

        // Nämnder work in the seven areas that concern residents, never in ekonomi or medarbetare.
        var bunMal = b.Goal(1, bun, "Utbildning och lärande", "Fler elever i åk 9 klarar alla ämnen",
            "Undervisningen anpassas så att varje elev når så långt som möjligt.", [4], [utbildning],
            "Eleverna i behov av stöd får det för sent, ofta först i årskurs 8.",
            "Elevhälsan arbetar med tidiga insatser från årskurs 4 och lärare får handledning i anpassad undervisning.");
        b.Indicator(bun, bunMal, "Elever i åk 9 som klarat kunskapskraven i alla ämnen", "%", 0, Direction.HigherIsBetter, PeriodKind.Year, 74m, 1.5m, 80m, 1.5m);
        var inflytande = b.Goal(1, bun, "Demokrati och delaktighet", "Eleverna har inflytande över sin skolvardag",
            "Elevråd och klassråd har verklig påverkan på undervisning och skolmiljö.", [4, 16], [demokrati],
            "Eleverna upplever att förslagen från elevråden sällan leder till förändringar.",
            "Rektorerna återkopplar varje förslag från elevråden skriftligt inom en månad.");
        b.Indicator(bun, inflytande, "Elever som upplever att de kan påverka på skolan", "%", 0, Direction.HigherIsBetter, PeriodKind.Year, 58m, 2.5m, 66m, 2m);
        var vonMal = b.Goal(1, von, "Vård, omsorg och folkhälsa", "Kortare väntan på plats i särskilt boende",
            "Den som har fått beslut om särskilt boende får flytta in inom rimlig tid.", [3], [vard],
            "Fler har fått beslut om särskilt boende än det finns lediga platser.",
            "Två avdelningar på korttidsboendet görs om till permanenta platser.");
        b.Indicator(von, vonMal, "Väntetid till särskilt boende, medelvärde", "dagar", 0, Direction.LowerIsBetter, PeriodKind.Tertial, 64m, 3m, 50m, 4m);
        var bemotande = b.Goal(1, von, "Service och bemötande", "Brukarna får ett gott bemötande i omsorgen",
            "Alla som möter omsorgen blir lyssnade på och bemötta med respekt.", [3, 10], [service],
            "Brukarna saknar information när personal eller tider ändras.",
            "Hemtjänsten skickar besked om ändrade tider med sms eller telefonsamtal samma dag.");
        b.Indicator(von, bemotande, "Brukare som är nöjda med bemötandet i hemtjänsten", "%", 0, Direction.HigherIsBetter, PeriodKind.Year, 90m, 0.8m, 94m, 1m);
        var kfnMal = b.Goal(1, kfn, "Kultur och fritid", "Fler barn och unga deltar i föreningslivet",
            "Föreningarna når fler barn och unga, även de som inte är med i någon förening i dag.", [3, 10], [kultur],
            "Deltagandet har ökat i lagidrotter men minskat i kultur- och friluftsföreningar.",
            "Föreningsbidraget premierar aktiviteter för unga som inte deltar i andra föreningar.");
        b.Indicator(kfn, kfnMal, "Deltagartillfällen i föreningslivet, 7-20 år", "antal", 0, Direction.HigherIsBetter, PeriodKind.Tertial, 24000m, 800m, 27000m, 1200m);
        var tnMal = b.Goal(1, tn, "Miljö, trygghet och teknik", "Tryggare och mer hållbara gator och parker",
            "Gator och parker är väl upplysta och underhålls med hållbara material.", [11], [miljo],
            "Bytet till LED-armaturer har försenats av långa leveranstider.",
            "Upphandlingen delas upp i mindre etapper så att arbetet kan fortsätta medan leveranserna kommer.");
        b.Indicator(tn, tnMal, "Gatubelysning med LED-armaturer", "%", 0, Direction.HigherIsBetter, PeriodKind.Year, 45m, 10m, 80m, 3m);
        var tomter = b.Goal(1, tn, "Boende, infrastruktur och näringsliv", "Fler tomter för bostäder och företag",
            "Det finns alltid byggklar mark för både bostäder och verksamheter.", [9, 11], [boende],
            "Två detaljplaner har överklagats och kan inte genomföras i år.",
            "Planerna för de kommande åren tas fram parallellt så att beredskapen inte faller.");
        b.Indicator(tn, tomter, "Byggklara tomter för bostäder och verksamheter", "antal", 0, Direction.HigherIsBetter, PeriodKind.Year, 18m, 3m, 30m, 3m);

        b.Indicator(tn, null, "Fossilfria bilar i kommunens fordonsflotta", "%", 0, Direction.HigherIsBetter, PeriodKind.Tertial, 35m, 7m, 60m, 3m, program: miljoprogram);
        b.Indicator(b.Board, null, "E-tjänster för invånare och företag", "antal", 0, Direction.HigherIsBetter, PeriodKind.Tertial, 42m, 8m, 70m, 2m, program: digital);

        b.Activity("Solceller på tre kommunala tak", "Solceller på två skolor och ett äldreboende.", null, miljoprogram, tn, new(2024, 4, 1), new(2025, 10, 31), ActivityStatus.Done, 100);
        b.Activity("Fossilfria bilar i hemtjänsten", "Hemtjänstens bilar byts mot elbilar när leasingavtalen går ut.", null, miljoprogram, von, new(2024, 1, 8), new(2026, 12, 31), ActivityStatus.InProgress, 55);
        b.Activity("Digital ansökan om förskoleplats", "Vårdnadshavare söker, tackar ja och säger upp plats digitalt.", null, digital, bun, new(2024, 8, 15), new(2025, 8, 29), ActivityStatus.Done, 100);
        b.Activity("E-arkiv för nämndernas handlingar", "Protokoll och beslut arkiveras digitalt och blir sökbara.", null, digital, b.Board, new(2025, 1, 13), new(2026, 11, 30), ActivityStatus.Delayed, 35);
        b.Activity("Läxhjälp på biblioteken", "Läxhjälp två kvällar i veckan i samarbete med gymnasieelever.", kfnMal, null, kfn, new(2025, 1, 20), new(2026, 6, 12), ActivityStatus.InProgress, 70);
        b.InternalControl(von, von, ("Brister i läkemedelshanteringen", "Verksamhet", "Läkemedelshantering", "Signeringslistor för läkemedel är kompletta", "Stickprov"));
        b.Assignments(von, von, medarbetare);
    }

    /// <summary>Pyramid: fullmäktigemål, nämnd- and company goals (a company follows up once a year), förvaltningsmål with activities, and the basic mission.</summary>
    private static void Karlskoga(ExampleBuilder b)
    {
        b.Model = b.Model with { Vision = "En kommun där kunskap, gemenskap och nya idéer bär framtiden." };
        var bun = b.Unit("Barn- och utbildningsnämnden", Committee, b.Council, "BUN");
        var sn = b.Unit("Socialnämnden", Committee, b.Council, "SN");
        var tn = b.Unit("Tekniska nämnden", Committee, b.Council, "TN");
        var buf = b.Unit("Barn- och utbildningsförvaltningen", Administration, bun, "BUF", bun);
        var sof = b.Unit("Socialförvaltningen", Administration, sn, "SOF", sn);
        var tf = b.Unit("Tekniska förvaltningen", Administration, tn, "TF", tn);
        var granskolan = b.Unit("Granskolan", Unit, buf);
        var hemtjansten = b.Unit("Hemtjänsten", Unit, sof);
        var energibolag = b.Unit("Exempelkommunens Energi AB", Company, b.Council, "Energi AB");

        var barn = b.Goal(0, b.Council, null, "Barn och unga får en god start i livet",
            "Barn och unga växer upp med goda förutsättningar för hälsa, lärande och framtid.", [3, 4], [],
            "Resultaten skiljer sig mycket mellan skolorna, och stödet till elever som behöver det kommer ofta sent.",
            "Nämnderna samordnar sina insatser för barn som behöver stöd i en gemensam plan.");
        b.Indicator(b.Council, barn, "Elever i åk 9 som är behöriga till ett yrkesprogram", "%", 1, Direction.HigherIsBetter, PeriodKind.Year, 81m, 1.4m, 86m, 1.2m, "N15428");
        var trygghet = b.Goal(0, b.Council, null, "Invånarna känner sig trygga och delaktiga",
            "Kommunen är trygg att bo och vistas i, och invånarna har inflytande över sin vardag.", [11, 16], [],
            "Otryggheten har ökat i några bostadsområden, främst kvällstid.",
            "Kommunen och polisen genomför trygghetsvandringar och förstärker belysningen där invånarna pekat ut brister.");
        b.Indicator(b.Council, trygghet, "Invånare som känner sig trygga utomhus på kvällen", "%", 0, Direction.HigherIsBetter, PeriodKind.Year, 64m, 1.5m, 70m, 2m);
        var klimat = b.Goal(0, b.Council, null, "Ett hållbart samhälle med minskad klimatpåverkan",
            "Kommunen och dess bolag minskar sina utsläpp och använder energi och material klokt.", [7, 13], [],
            "Utsläppen från transporter minskar långsammare än planerat.",
            "Resfria möten blir förstahandsval och fordon byts till fossilfria när avtalen löper ut.");
        b.Indicator(b.Council, klimat, "Utsläpp av växthusgaser från kommunens fordon", "ton CO2e", 0, Direction.LowerIsBetter, PeriodKind.Year, 610m, -45m, 480m, 15m);
        var effektiv = b.Goal(0, b.Council, null, "En effektiv organisation med god ekonomisk hushållning",
            "Resurser och ambitioner hålls i balans, och varje skattekrona gör så stor nytta som möjligt.", [8, 16], [],
            "Nämnderna har svårt att anpassa kostnaderna när behoven ökar under året.",
            "Nämnderna redovisar åtgärdsplaner vid varje prognos som visar underskott.");
        b.Indicator(b.Council, effektiv, "Resultat i procent av skatteintäkter och bidrag", "%", 1, Direction.HigherIsBetter, PeriodKind.Year, 0.9m, 0.4m, 2.0m, 0.5m, "N03101");
        b.Indicator(b.Council, effektiv, "Nämndernas budgetavvikelse", "mnkr", 1, Direction.HigherIsBetter, PeriodKind.Tertial, -9m, 3.5m, 0m, 2.5m);
        b.AssessLower(effektiv, "Måtten är nådda efter första tertialet, men två nämnder prognostiserar underskott för helåret.");

        var bunMal = b.Goal(1, bun, null, "Alla elever når kunskapskraven i grundskolan",
            "Nämndens åtagande mot fullmäktige: fler elever når målen i alla ämnen.", [4], [barn],
            "Läsförmågan i de lägre årskurserna är svagare än tidigare år.",
            "Förvaltningen inför gemensam kartläggning av läsförmågan och riktade lästräningsinsatser.");
        b.Indicator(bun, bunMal, "Elever i åk 6 med lägst betyget E i svenska", "%", 0, Direction.HigherIsBetter, PeriodKind.Year, 88m, 1m, 92m, 1.2m);
        var snMal = b.Goal(1, sn, null, "Barn och familjer får rätt stöd i tid",
            "Socialtjänsten möter familjer tidigt, i samverkan med skolan.", [1, 10], [barn, trygghet],
            "Fler orosanmälningar än tidigare har lett till längre väntan på första samtal.",
            "Mottagningsgruppen förstärks och skolan bjuds in till samverkansmöten varje månad.");
        b.Indicator(sn, snMal, "Väntetid till första samtal hos socialtjänsten", "dagar", 0, Direction.LowerIsBetter, PeriodKind.Tertial, 12m, -1m, 8m, 1.5m);
        var kvalitet = b.Goal(1, sn, null, "Ett systematiskt kvalitetsarbete i alla verksamheter",
            "Nämndens eget mål: avvikelser tas om hand och leder till förbättringar.", [16], [],
            "Avvikelserna rapporteras, men åtgärderna dokumenteras inte alltid.",
            "Enhetscheferna går igenom öppna avvikelser vid varje ledningsgruppsmöte.");
        b.Indicator(sn, kvalitet, "Avvikelser som åtgärdats inom en månad", "%", 0, Direction.HigherIsBetter, PeriodKind.Tertial, 71m, 4m, 85m, 3m);
        var tnTrygg = b.Goal(1, tn, null, "Trygga och väl upplysta gång- och cykelvägar",
            "Gång- och cykelvägar är upplysta och väl underhållna året runt.", [11], [trygghet],
            "Flera äldre belysningsstolpar har behövt bytas akut, vilket försenat den planerade utbyggnaden.",
            "Utbyggnaden av belysning prioriteras på skolvägar och i de områden invånarna pekat ut.");
        b.Indicator(tn, tnTrygg, "Gång- och cykelvägar med belysning", "%", 0, Direction.HigherIsBetter, PeriodKind.Year, 72m, 4m, 85m, 1.5m);
        var tnEnergi = b.Goal(1, tn, null, "Energieffektiva kommunala fastigheter",
            "Kommunens fastigheter använder mindre energi varje år.", [7], [klimat],
            "Energianvändningen ökade under den kalla vintern.",
            "Fastigheternas styrsystem kopplas upp så att driften kan justeras på distans.");
        b.Indicator(tn, tnEnergi, "Energianvändning i kommunens fastigheter", "kWh/m²", 0, Direction.LowerIsBetter, PeriodKind.Year, 148m, -3m, 138m, 2.5m);
        var ksMal = b.Goal(1, b.Board, null, "Budgetdisciplin i alla nämnder",
            "Kommunstyrelsen följer nämndernas ekonomi och agerar tidigt vid avvikelser.", [16], [effektiv],
            "Två nämnder har prognostiserat underskott vid flera uppföljningar i rad.",
            "Kommunstyrelsen begär in åtgärdsplaner och följer upp dem vid varje sammanträde.");
        b.Indicator(b.Board, ksMal, "Nämnder med budget i balans i prognosen", "%", 0, Direction.HigherIsBetter, PeriodKind.Tertial, 60m, 6m, 80m, 8m);
        var bolag = b.Goal(1, energibolag, null, "Mer förnybar energi i fjärrvärmen",
            "Bolagets bidrag till fullmäktigemålet: fjärrvärmen produceras med förnybara bränslen och spillvärme.", [7, 13], [klimat],
            "Reservpannan som eldas med olja har behövt användas under kalla perioder.",
            "Bolaget ersätter reservpannan med en pelletspanna.");
        b.Indicator(energibolag, bolag, "Förnybar energi i fjärrvärmen", "%", 0, Direction.HigherIsBetter, PeriodKind.Year, 91m, 2m, 97m, 1m);

        var lasning = b.Goal(2, buf, null, "Tidig kartläggning av läsförmågan",
            "Förvaltningsmål: alla elever i förskoleklass och årskurs 1 kartläggs, och de som behöver får stöd direkt.", [4], [bunMal],
            "Kartläggningen gjordes sent på två skolor på grund av vakanta tjänster.",
            "Specialpedagoger från förvaltningens centrala team stöttar skolorna under hösten.");
        b.Indicator(buf, lasning, "Elever i förskoleklass som kartlagts under hösten", "%", 0, Direction.HigherIsBetter, PeriodKind.Tertial, 82m, 5m, 98m, 3m);
        var narvaro = b.Goal(2, granskolan, null, "Högre närvaro bland eleverna på Granskolan",
            "Enhetens mål: fler elever är i skolan varje dag.", [4], [bunMal],
            "Frånvaron är högst bland elever i årskurs 8 och 9.",
            "Mentorerna kontaktar hemmet samma dag vid ogiltig frånvaro.");
        b.Indicator(granskolan, narvaro, "Elevfrånvaro, genomsnitt", "%", 1, Direction.LowerIsBetter, PeriodKind.Tertial, 8.2m, -0.4m, 6.5m, 0.5m);
        var samtal = b.Goal(2, sof, null, "Första samtalet inom fem dagar",
            "Förvaltningsmål: nya ärenden får ett första samtal inom fem arbetsdagar.", [10], [snMal],
            "Mottagningen har haft flera vakanser under året.",
            "Två socialsekreterare rekryteras till mottagningen och en jourlista införs.");
        b.Indicator(sof, samtal, "Nya ärenden med första samtal inom fem dagar", "%", 0, Direction.HigherIsBetter, PeriodKind.Tertial, 62m, 6m, 85m, 4m);
        var skolvagar = b.Goal(2, tf, null, "Belysning längs alla skolvägar",
            "Förvaltningsmål: alla utpekade skolvägar har belysning.", [11], [tnTrygg],
            "Markarbetena har försenats av tjälen.",
            "Arbetet fortsätter under sommaren när marken tillåter.");
        b.Indicator(tf, skolvagar, "Utpekade skolvägar med belysning", "%", 0, Direction.HigherIsBetter, PeriodKind.Year, 70m, 7m, 95m, 2m);

        // The basic mission: followed besides the goals, outside goal fulfilment.
        b.Indicator(granskolan, null, "Elever per lärare", "antal", 1, Direction.Neutral, PeriodKind.Year, 12.8m, 0.1m, 12.8m, 0.3m, basic: true);
        b.Indicator(hemtjansten, null, "Brukare med aktuell genomförandeplan", "%", 0, Direction.HigherIsBetter, PeriodKind.Tertial, 84m, 2m, 95m, 3m, basic: true);

        b.Activity("Gemensamt kartläggningsmaterial i förskoleklass", "Samma material och tidpunkter för kartläggningen på alla skolor.", lasning, null, buf,
            new(2024, 8, 12), new(2025, 6, 13), ActivityStatus.Done, 100);
        b.Activity("Närvarocoacher på Granskolan", "Två närvarocoacher arbetar med elever som har hög frånvaro.", narvaro, null, granskolan,
            new(2025, 1, 8), new(2026, 6, 12), ActivityStatus.InProgress, 75);
        b.Activity("Öppen mottagning för föräldrar", "Föräldrar kan komma utan tidsbokning två eftermiddagar i veckan.", samtal, null, sof,
            new(2024, 9, 2), new(2026, 12, 18), ActivityStatus.InProgress, 60);
        b.Activity("Ny belysning längs skolvägar", "Belysning på de skolvägar som elever och föräldrar pekat ut.", skolvagar, null, tf,
            new(2025, 3, 1), new(2026, 10, 30), ActivityStatus.Delayed, 45);
        b.Activity("Pelletspanna i stället för oljepanna", "Reservpannan byts ut så att fjärrvärmen blir helt förnybar.", bolag, null, energibolag,
            new(2025, 4, 1), new(2026, 11, 30), ActivityStatus.InProgress, 50);
        b.InternalControl(sn, sof, ("Orosanmälningar bedöms inte inom 14 dagar", "Regelefterlevnad", "Mottagning barn och unga",
            "Förhandsbedömningar görs inom 14 dagar", "Stickprov"));
        b.Assignments(sn, sof, effektiv);
    }

    /// <summary>Inriktningar decided by KF, effektmål by the nämnder, verksamhetsmål below; policies, plans, guidelines and budget; Agenda 2030 throughout.</summary>
    private static void Heby(ExampleBuilder b)
    {
        b.Model = b.Model with { Vision = "En levande landsbygd där det är nära till naturen, till service och till varandra." };
        var un = b.Unit("Utbildningsnämnden", Committee, b.Council, "UN");
        var sn = b.Unit("Socialnämnden", Committee, b.Council, "SN");
        var bmn = b.Unit("Bygg- och miljönämnden", Committee, b.Council, "BMN");
        var uf = b.Unit("Utbildningsförvaltningen", Administration, un, "UF", un);
        var sf = b.Unit("Socialförvaltningen", Administration, sn, "SF", sn);
        var hemtjanst = b.Unit("Hemtjänsten i norra området", Unit, sf);

        var vaxa = b.Goal(0, b.Council, null, "En kommun som växer med goda livsvillkor i alla delar",
            "Fler väljer att bo och arbeta i kommunen, i tätorterna och på landsbygden.", [8, 11], [],
            "Inflyttningen har minskat sedan bostadsbyggandet stannade av.",
            "Kommunen erbjuder fler tomter i de mindre orterna och marknadsför dem tillsammans med näringslivet.");
        b.Indicator(b.Council, vaxa, "Invånare totalt", "antal", 0, Direction.HigherIsBetter, PeriodKind.Year, 14150m, 55m, 14400m, 30m, "N01951");
        var unga = b.Goal(0, b.Council, null, "Barn och unga har goda förutsättningar att lyckas",
            "Förskola och skola ger varje barn och elev en god grund för framtiden.", [4, 10], [],
            "Skillnaderna i resultat mellan skolorna har ökat.",
            "Resurserna fördelas efter elevernas behov och skolorna delar arbetssätt som fungerar.");
        b.Indicator(b.Council, unga, "Gymnasieelever med examen inom fyra år", "%", 1, Direction.HigherIsBetter, PeriodKind.Year, 67m, 1.5m, 73m, 1.5m, "N17461");
        var omsorg = b.Goal(0, b.Council, null, "Trygg vård och omsorg när den behövs",
            "Den som behöver stöd får det med god kvalitet och i rätt tid.", [3], [],
            "Bemanningen i hemtjänsten har varit ansträngd, särskilt i de glesare områdena.",
            "Hemtjänsten samplanerar turerna mellan områdena och rekryterar fler undersköterskor.");
        b.Indicator(b.Council, omsorg, "Brukare som är nöjda med sin hemtjänst", "%", 0, Direction.HigherIsBetter, PeriodKind.Year, 88m, 0.6m, 91m, 1.2m, "U21468");
        var hallbart = b.Goal(0, b.Council, null, "Ett hållbart samhälle för kommande generationer",
            "Kommunen minskar sin klimatpåverkan och tar ansvar för natur, vatten och resurser.", [6, 7, 12, 13], [],
            "Flera fordon och uppvärmningssystem återstår att byta ut.",
            "Klimatplanens åtgärder prioriteras i budgeten för nästa år.");
        b.Indicator(b.Council, hallbart, "Fossilfria fordon i kommunens fordonsflotta", "%", 0, Direction.HigherIsBetter, PeriodKind.Year, 36m, 9m, 65m, 3m);

        var behoriga = b.Goal(1, un, null, "Fler elever är behöriga till gymnasieskolan",
            "Effektmål: eleverna lämnar grundskolan med de kunskaper de behöver för att välja fritt.", [4], [unga],
            "Eleverna som bytt skola under högstadiet når kunskapskraven i lägre grad.",
            "Överlämningen mellan skolorna förbättras med en gemensam plan för varje elev.");
        b.Indicator(un, behoriga, "Elever i åk 9 som är behöriga till ett yrkesprogram", "%", 1, Direction.HigherIsBetter, PeriodKind.Year, 79m, 1.8m, 86m, 1.2m, "N15428");
        var trygghet = b.Goal(1, sn, null, "Äldre upplever trygghet i sitt boende",
            "Effektmål: den som bor i särskilt boende känner sig trygg och väl omhändertagen.", [3], [omsorg],
            "Nattbemanningen upplevs som otillräcklig av de boende.",
            "Nattpersonalen förstärks på de två största boendena.");
        b.Indicator(sn, trygghet, "Brukare i särskilt boende som känner sig trygga", "%", 0, Direction.HigherIsBetter, PeriodKind.Year, 84m, 1.2m, 90m, 1.5m, "U23471");
        var arbete = b.Goal(1, sn, null, "Fler med försörjningsstöd kommer närmare arbete",
            "Effektmål: fler går från försörjningsstöd till arbete eller studier.", [1, 8], [vaxa, omsorg],
            "Många som har försörjningsstöd saknar gymnasieutbildning.",
            "Socialtjänsten och vuxenutbildningen erbjuder gemensamma studiestartsamtal.");
        b.Indicator(sn, arbete, "Hushåll som lämnat försörjningsstöd för arbete eller studier", "%", 0, Direction.HigherIsBetter, PeriodKind.Tertial, 28m, -1m, 36m, 2m);
        var bostader = b.Goal(1, b.Board, null, "Fler bostäder byggs i kommunens orter",
            "Effektmål: nya bostäder i både tätort och på landsbygden.", [11], [vaxa],
            "Byggföretagen avvaktar på grund av höga byggkostnader.",
            "Kommunen prövar ett upplägg med mindre etapper och byggemenskaper.");
        b.Indicator(b.Board, bostader, "Bostäder med startbesked", "antal", 0, Direction.HigherIsBetter, PeriodKind.Year, 28m, 5m, 45m, 4m);
        b.AssessLower(bostader, "Målvärdet för startbesked är nått, men nästan alla nya bostäder ligger i centralorten och inga i de mindre orterna.");
        var klimat = b.Goal(1, bmn, null, "Minskad klimatpåverkan från byggande och boende",
            "Effektmål: fler byggprojekt och hushåll väljer energisnåla och klimatsmarta lösningar.", [7, 11, 13], [hallbart],
            "Få sökande känner till rådgivningen om energi och klimat.",
            "Energi- och klimatrådgivningen erbjuds i samband med varje bygglovsansökan.");
        b.Indicator(bmn, klimat, "Bygglov med energiberäkning som visar bättre än kraven", "%", 0, Direction.HigherIsBetter, PeriodKind.Tertial, 22m, 4m, 35m, 4m);

        var studieplan = b.Goal(2, uf, null, "Varje elev i åk 8 har en individuell studieplan",
            "Verksamhetsmål i förvaltningens verksamhetsplan.", [4], [behoriga],
            "Studieplanerna har inte följts upp på alla skolor.",
            "Rektorerna följer upp studieplanerna vid terminens utvecklingssamtal.");
        b.Indicator(uf, studieplan, "Elever i åk 8 med individuell studieplan", "%", 0, Direction.HigherIsBetter, PeriodKind.Tertial, 70m, 8m, 100m, 3m);
        var vidare = b.Goal(2, sf, null, "Deltagare i arbetsmarknadsinsatser går vidare",
            "Verksamhetsmål: deltagarna går vidare till arbete, praktik eller studier.", [8], [arbete],
            "Praktikplatserna i privat sektor räcker inte till.",
            "Förvaltningen tecknar avsiktsförklaringar med fler lokala företag.");
        b.Indicator(sf, vidare, "Deltagare som gått vidare till arbete eller studier", "%", 0, Direction.HigherIsBetter, PeriodKind.Tertial, 34m, 3m, 45m, 3m);
        var farre = b.Goal(2, hemtjanst, null, "Färre personal runt varje brukare",
            "Verksamhetsmål på enheten: brukarna möter färre olika medarbetare.", [3], [trygghet],
            "Långa avstånd gör det svårt att hålla samma personal hos varje brukare.",
            "Turerna läggs om så att varje brukare har en fast kontaktperson och en ersättare.");
        b.Indicator(hemtjanst, farre, "Personal som en hemtjänsttagare möter under 14 dagar", "antal", 0, Direction.LowerIsBetter, PeriodKind.Tertial, 15m, -0.9m, 11m, 1.2m);

        b.Activity("Gemensam överlämning mellan skolor", "En plan för varje elev som byter skola, med samtal mellan mentorerna.", behoriga, null, uf,
            new(2024, 8, 19), new(2025, 12, 19), ActivityStatus.Done, 100);
        b.Activity("Studiestartsamtal med vuxenutbildningen", "Gemensamma samtal för personer med försörjningsstöd som saknar gymnasieexamen.", vidare, null, sf,
            new(2025, 2, 3), new(2026, 12, 18), ActivityStatus.InProgress, 55);
        b.Activity("Fast kontaktperson i hemtjänsten", "Varje brukare får en fast kontaktperson och en ersättare.", farre, null, hemtjanst,
            new(2024, 10, 1), new(2026, 3, 31), ActivityStatus.Delayed, 70);
        b.Activity("Energirådgivning vid bygglov", "Rådgivning om energi och klimat erbjuds alla som söker bygglov för nybyggnad.", klimat, null, bmn,
            new(2025, 1, 15), new(2026, 6, 30), ActivityStatus.InProgress, 80);
        b.InternalControl(un, uf, ("Elevernas frånvaro följs inte upp", "Regelefterlevnad", "Frånvarorapportering", "Ogiltig frånvaro meddelas hemmet samma dag", "Stickprov"));
        b.Assignments(un, uf, omsorg);

        // KF also steers with policies, plans, guidelines and the budget's frames.
        b.Documents.Add(new(Guid.CreateVersion7(), DocumentKind.Budget, "Mål och budget 2026 med plan för 2027-2028", "Inriktningar, ekonomiska ramar och uppdrag till nämnderna.",
            b.Council, new(2025, 11, 17), new(2026, 1, 1), new(2026, 12, 31), null, [vaxa, unga, omsorg, hallbart]));
        b.Documents.Add(new(Guid.CreateVersion7(), DocumentKind.Plan, "Klimat- och energiplan 2024-2030", "Åtgärder för minskade utsläpp i kommunens verksamheter och i samhället.",
            b.Council, new(2024, 3, 18), new(2024, 4, 1), new(2030, 12, 31), null, [hallbart]));
        b.Documents.Add(new(Guid.CreateVersion7(), DocumentKind.Policy, "Landsbygdspolicy", "Hur kommunen tar hänsyn till landsbygdens villkor i alla beslut.",
            b.Council, new(2023, 9, 25), new(2023, 10, 1), null, null, [vaxa]));
        b.Documents.Add(new(Guid.CreateVersion7(), DocumentKind.Guideline, "Riktlinje för tidiga insatser för barn och unga", "Hur skola och socialtjänst samverkar kring barn som behöver stöd.",
            b.Board, new(2024, 5, 6), new(2024, 6, 1), null, null, [unga]));
        foreach (var (unit, frame) in new[] { (un, 410_000m), (sn, 385_000m), (bmn, 14_500m) })
        {
            foreach (var year in new[] { 2024, 2025, 2026 })
            {
                var amount = frame * (1m + ((year - 2024) * 0.025m));
                var deviation = unit == sn ? 0.015m : -0.004m;
                var keys = b.DataPeriods.Where(p => p.Year == year).ToList();
                b.Budget.Add(new BudgetDoc(unit, year, amount, null, [.. keys.Select(p => new BudgetOutcomeDoc(p.Key,
                    Math.Round(amount * (p.End.Month / 12m) * (1m + deviation), 0), Math.Round(amount * (1m + deviation), 0)))]));
            }
        }
    }

    /// <summary>Balanced scorecards: an overall card for the municipality, department cards and unit cards below, four perspectives, three tertials.</summary>
    private static void Hagfors(ExampleBuilder b)
    {
        b.Model = b.Model with { Vision = "En kommun som invånarna litar på: öppen i dialogen och ansvarsfull i besluten." };
        var bou = b.Unit("Barn- och utbildningsavdelningen", Administration, b.Board, "BoU", b.Board);
        var omsorg = b.Unit("Omsorgsavdelningen", Administration, b.Board, "Omsorg", b.Board);
        var sam = b.Unit("Samhällsbyggnadsavdelningen", Administration, b.Board, "Samhällsbyggnad", b.Board);
        var centralskolan = b.Unit("Centralskolan", Unit, bou);
        var hemtjanst = b.Unit("Hemtjänst väster", Unit, omsorg);
        var gata = b.Unit("Gata och park", Unit, sam);
        const string Kund = "Medborgare och kund";
        const string Personal = "Medarbetare";
        const string Process = "Arbetsprocess";
        const string Pengar = "Ekonomi";

        var nojda = b.Goal(0, b.Council, Kund, "Invånarna är nöjda med kommunens tjänster",
            "Övergripande målkort: tjänsterna motsvarar invånarnas behov och är lätta att få.", [16], [],
            "Invånarna är mindre nöjda med gator och vägar än med andra tjänster.",
            "Vinterväghållningen ses över och invånarna får besked om när deras gata plogas.");
        b.Indicator(b.Council, nojda, "Brukare som är nöjda med sin hemtjänst", "%", 0, Direction.HigherIsBetter, PeriodKind.Year, 89m, 0.5m, 91m, 1.2m, "U21468");
        var lyckas = b.Goal(0, b.Council, Kund, "Barn och unga lyckas i skolan",
            "Övergripande målkort: fler elever går ut grundskolan med godkända betyg.", [4], [],
            "Elever med hög frånvaro når sällan kunskapskraven.",
            "Skolorna arbetar med närvaro som första steg i elevhälsans insatser.");
        b.Indicator(b.Council, lyckas, "Elever i åk 9 som är behöriga till ett yrkesprogram", "%", 1, Direction.HigherIsBetter, PeriodKind.Year, 78m, 1.8m, 85m, 1.5m, "N15428");
        var friska = b.Goal(0, b.Council, Personal, "Friska medarbetare som vill stanna",
            "Övergripande målkort: låg sjukfrånvaro och medarbetare som rekommenderar kommunen som arbetsgivare.", [3, 8], [],
            "Korttidsfrånvaron ökade under vintern och personalomsättningen är hög i omsorgen.",
            "Fler chefer får stöd i rehabiliteringsarbetet och introduktionen av nyanställda förlängs.");
        b.Indicator(b.Council, friska, "Sjukfrånvaro bland kommunens medarbetare", "%", 1, Direction.LowerIsBetter, PeriodKind.Tertial, 8.3m, -0.35m, 7.0m, 0.4m);
        var digitalt = b.Goal(0, b.Council, Process, "Enkla och digitala arbetssätt",
            "Övergripande målkort: invånare och medarbetare slipper onödiga steg och papper.", [9], [],
            "Flera e-tjänster kräver fortfarande manuell handläggning i flera steg.",
            "E-tjänsterna kopplas direkt till verksamhetssystemen, med start i bygglov och felanmälan.");
        b.Indicator(b.Council, digitalt, "Ärenden som kommer in digitalt", "%", 0, Direction.HigherIsBetter, PeriodKind.Tertial, 46m, 6m, 65m, 3m);
        var budget = b.Goal(0, b.Council, Pengar, "Kostnadseffektiv verksamhet inom budget",
            "Övergripande målkort: varje avdelning håller sin budget och jämför sina kostnader med andra.", [16], [],
            "Kostnaderna för underhåll av vägar och fastigheter har ökat mer än budgeterat.",
            "Underhållsplanen prioriteras om och de största projekten flyttas till nästa år.");
        b.Indicator(b.Council, budget, "Avdelningarnas budgetavvikelse", "mnkr", 1, Direction.HigherIsBetter, PeriodKind.Tertial, -6m, 2.5m, 0m, 2m);
        b.AssessLower(budget, "Avvikelsen ryms i målet efter första tertialet, men vinterns kostnader för snöröjning syns först i nästa uppföljning.");

        var bouMal = b.Goal(1, bou, Kund, "Fler elever når målen i alla ämnen",
            "Avdelningens målkort: undervisningen anpassas efter elevernas behov.", [4], [lyckas],
            "Resultaten i matematik är lägre än i övriga ämnen.",
            "Lärarna i matematik får gemensam fortbildning och extra lektionstid läggs i schemat.");
        b.Indicator(bou, bouMal, "Elever i åk 9 som klarat kunskapskraven i alla ämnen", "%", 0, Direction.HigherIsBetter, PeriodKind.Year, 72m, 2m, 80m, 1.5m);
        var omsorgKund = b.Goal(1, omsorg, Kund, "Brukarna är nöjda med hemtjänsten",
            "Avdelningens målkort: brukarna får stöd på de tider som passar dem.", [3], [nojda],
            "Brukarna vill kunna påverka tiderna för besöken mer.",
            "Varje brukare får välja tidsfönster för sina viktigaste besök.");
        b.Indicator(omsorg, omsorgKund, "Brukare som kan påverka tiderna för hemtjänstens besök", "%", 0, Direction.HigherIsBetter, PeriodKind.Year, 62m, 3m, 72m, 2m);
        var omsorgPersonal = b.Goal(1, omsorg, Personal, "Lägre sjukfrånvaro i omsorgen",
            "Avdelningens målkort: en arbetsmiljö där medarbetarna orkar hela arbetslivet.", [3, 8], [friska],
            "Tunga lyft och delade turer bidrar till sjukfrånvaron.",
            "Fler hjälpmedel köps in och delade turer tas bort där det går.");
        b.Indicator(omsorg, omsorgPersonal, "Sjukfrånvaro i omsorgen", "%", 1, Direction.LowerIsBetter, PeriodKind.Tertial, 10.2m, -0.5m, 8.5m, 0.5m);
        var samDigital = b.Goal(1, sam, Process, "Bygglov och felanmälan hanteras digitalt",
            "Avdelningens målkort: ärenden kommer in och handläggs digitalt från början till slut.", [9, 11], [digitalt],
            "Många sökande väljer fortfarande att skicka in ritningar på papper.",
            "Avdelningen erbjuder hjälp att skanna och ladda upp handlingar vid receptionen.");
        b.Indicator(sam, samDigital, "Bygglovsansökningar som kommer in digitalt", "%", 0, Direction.HigherIsBetter, PeriodKind.Tertial, 55m, 7m, 80m, 4m);
        var samEkonomi = b.Goal(1, sam, Pengar, "Underhållet ryms i budgeten",
            "Avdelningens målkort: planerat underhåll i stället för akuta reparationer.", [11], [budget],
            "Akuta reparationer efter vårens översvämningar tog en stor del av budgeten.",
            "En del av underhållet flyttas till nästa år och en reserv för akuta skador byggs upp.");
        b.Indicator(sam, samEkonomi, "Planerat underhåll av allt underhåll", "%", 0, Direction.HigherIsBetter, PeriodKind.Tertial, 58m, 4m, 70m, 4m);

        var trygg = b.Goal(2, centralskolan, Kund, "Alla elever har en trygg skoldag",
            "Enhetens målkort: ingen elev ska känna sig otrygg i skolan eller på rasterna.", [4, 16], [bouMal],
            "Eleverna upplever rasterna och omklädningsrummen som otrygga.",
            "Fler vuxna finns ute på rasterna och omklädningsrummen byggs om med enskilda bås.");
        b.Indicator(centralskolan, trygg, "Elever som känner sig trygga i skolan", "%", 0, Direction.HigherIsBetter, PeriodKind.Tertial, 84m, 2m, 92m, 3m);
        var heltid = b.Goal(2, hemtjanst, Personal, "Fler heltidstjänster i hemtjänsten",
            "Enhetens målkort: fler medarbetare arbetar heltid med rimliga scheman.", [5, 8], [omsorgPersonal],
            "Schemat bygger fortfarande på många korta pass mitt på dagen.",
            "Hemtjänsten prövar ett schema med längre pass och färre delade turer.");
        b.Indicator(hemtjanst, heltid, "Medarbetare som arbetar heltid", "%", 0, Direction.HigherIsBetter, PeriodKind.Tertial, 44m, 5m, 60m, 3m);
        var felanmalan = b.Goal(2, gata, Process, "Felanmälningar åtgärdas snabbt",
            "Enhetens målkort: fel på gator, belysning och lekplatser åtgärdas inom utlovad tid.", [11], [samDigital],
            "Felanmälningarna ökade kraftigt efter vinterns stormar.",
            "Enheten tar in en entreprenör för de enklaste åtgärderna under toppar.");
        b.Indicator(gata, felanmalan, "Felanmälningar åtgärdade inom fem arbetsdagar", "%", 0, Direction.HigherIsBetter, PeriodKind.Tertial, 71m, -3m, 85m, 2m);

        b.Activity("Rastvärdar på Centralskolan", "Vuxna rastvärdar på alla raster och en trygghetsgrupp med elever.", trygg, null, centralskolan,
            new(2024, 8, 19), new(2025, 12, 19), ActivityStatus.Done, 100);
        b.Activity("Schema med längre pass i hemtjänsten", "Ett nytt schema med färre delade turer prövas i ett år.", heltid, null, hemtjanst,
            new(2025, 3, 1), new(2026, 2, 28), ActivityStatus.Done, 100);
        b.Activity("Digital bygglovsansökan kopplad till ärendesystemet", "Ansökan går direkt in i ärendesystemet utan manuell registrering.", samDigital, null, sam,
            new(2024, 9, 1), new(2026, 9, 30), ActivityStatus.InProgress, 70);
        b.Activity("Felanmälan med karta och foto", "Invånaren markerar felet på en karta och bifogar en bild.", felanmalan, null, gata,
            new(2025, 1, 15), new(2026, 4, 30), ActivityStatus.Delayed, 60);
        b.Activity("Stöd till chefer i rehabilitering", "HR ger chefer stöd tidigt vid upprepad korttidsfrånvaro.", friska, null, b.Board,
            new(2024, 2, 1), new(2026, 12, 31), ActivityStatus.InProgress, 65);
        b.InternalControl(b.Board, omsorg, ("Brukares privata pengar hanteras felaktigt", "Oegentligheter", "Hantering av brukarmedel",
            "Kassaböcker och kvitton för brukarnas pengar", "Granskning"));
        b.Assignments(b.Board, omsorg, friska);

        // The long-term strategy for the municipality as a place, beside the scorecards.
        b.Documents.Add(new(Guid.CreateVersion7(), DocumentKind.Plan, "Kommunens långsiktiga strategi",
            "Vision, styrkor, prioriterade områden och mätbara mål för hela kommunen som plats, framtagen tillsammans med invånare, företag och föreningar.",
            b.Council, new(2024, 6, 17), new(2024, 7, 1), new(2030, 12, 31), null, [nojda, lyckas, digitalt]));
    }
}
