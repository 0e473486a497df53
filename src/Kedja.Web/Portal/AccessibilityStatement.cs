using Ganss.Xss;
using Markdig;
using Markdig.Syntax;

namespace Kedja.Web.Portal;

/// <summary>
/// The portal's accessibility statement (tillgänglighetsredogörelse, lagen (2018:1937) om tillgänglighet till digital
/// offentlig service): a municipality's own text in Markdown, or Kedja's default, and the one way either becomes HTML.
/// </summary>
public static class AccessibilityStatement
{
    /// <summary>When the default text was written and the portal last assessed; said in the text, as DIGG asks.</summary>
    public static readonly DateOnly DefaultWritten = new(2026, 12, 1);

    /// <summary>
    /// Kedja's text for a municipality that has written none, after DIGG's model: who stands behind the site, how well it
    /// meets the law, what is not accessible, how to ask for content and report a problem, DIGG's supervision and how to
    /// complain, how the site was tested and when. Links only: nothing is loaded from another host.
    /// </summary>
    public static string Default(string municipality)
    {
        var site = $"Mål och resultat i {municipality}";
        var date = DefaultWritten.ToString("d MMMM yyyy", Domain.SwedishFormat.Culture);
        return $"""
            {municipality} står bakom webbplatsen {site}, där kommunen visar sina mål och hur det går med dem. Vi vill att så många som möjligt ska kunna använda webbplatsen. Här beskriver vi hur den uppfyller lagen (2018:1937) om tillgänglighet till digital offentlig service, vilka brister vi känner till och hur du kan berätta för oss om brister, så att vi kan rätta dem.

            ## Hur tillgänglig är webbplatsen?

            Webbplatsen är byggd för att uppfylla nivå AA i WCAG 2.1, den standard som lagen hänvisar till. Den är delvis förenlig med lagen, på grund av bristen under rubriken ”Innehåll som inte är tillgängligt”.

            På webbplatsen kan du

            - använda alla sidor med bara tangentbordet
            - förstora texten och läsa sidorna på en smal mobilskärm utan att behöva rulla i sidled
            - läsa hur det går för varje mål i ord och med en symbol, inte bara som en färg
            - läsa siffrorna bakom diagrammen i tabeller
            - använda webbplatsen utan JavaScript och utan kakor (cookies).

            ## Innehåll som inte är tillgängligt

            - Rapporter som du laddar ner som PDF-filer är inte taggade. Därför kan en skärmläsare ha svårt att läsa dem i rätt ordning. Samma mål och resultat finns på webbplatsens egna sidor.

            ## Vad kan du göra om du inte kan använda delar av webbplatsen?

            Om du behöver innehåll från webbplatsen i en annan form, till exempel en rapport som vanlig text, kan du kontakta {municipality}. Kommunens kontaktuppgifter finns på kommunens webbplats.

            ## Rapportera brister i webbplatsens tillgänglighet

            Vi vill hela tiden göra webbplatsen mer tillgänglig. Om du hittar problem som inte står här, eller om du tycker att vi inte uppfyller lagens krav, kontakta {municipality} och berätta om det. Då kan vi rätta till det.

            ## Tillsyn

            Myndigheten för digital förvaltning (DIGG) har ansvaret för tillsynen av lagen om tillgänglighet till digital offentlig service. Om du inte är nöjd med hur vi tar hand om dina synpunkter kan du [anmäla det till DIGG](https://www.digg.se/tdosanmalan).

            ## Så har vi testat webbplatsen

            Webbplatsen är byggd med Kedja. Vi har gjort en självskattning (intern testning): varje sorts sida testas automatiskt med verktyget axe-core i webbläsaren Chromium, i samma bredd som en datorskärm (1366 bildpunkter) och som en mobil (320 bildpunkter). Testerna ska inte hitta några fel innan en ny version tas i bruk.

            Den senaste bedömningen gjordes den {date}. Redogörelsen skrevs den {date}.
            """;
    }

    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .UseAutoLinks()
        // People write the statement in a plain text box, where a new line is meant as one.
        .UseSoftlineBreakAsHardlineBreak()
        .Build();

    /// <summary>
    /// The statement as HTML for the portal: Markdown rendered, headings from level 2 (the page has its own h1), then
    /// sanitised to text, headings, lists, quotes, code and links to https, http, mailto and tel. No images, styles,
    /// scripts, attributes but href and title, and so nothing the page would load from another host.
    /// </summary>
    public static string ToHtml(string markdown)
    {
        var document = Markdown.Parse(markdown, Pipeline);
        foreach (var heading in document.Descendants<HeadingBlock>())
        {
            heading.Level = Math.Max(heading.Level, 2);
        }

        return Sanitizer().Sanitize(document.ToHtml(Pipeline));
    }

    /// <summary>A fresh sanitiser each time: its settings are not meant to be shared across threads, and the page is rare.</summary>
    private static HtmlSanitizer Sanitizer()
    {
        var sanitizer = new HtmlSanitizer();
        sanitizer.AllowedTags.Clear();
        sanitizer.AllowedTags.UnionWith(["p", "br", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "a", "strong", "em", "b", "i", "code", "pre", "blockquote", "hr", "abbr"]);
        sanitizer.AllowedAttributes.Clear();
        sanitizer.AllowedAttributes.UnionWith(["href", "title"]);
        sanitizer.UriAttributes.Clear();
        sanitizer.UriAttributes.Add("href");
        sanitizer.AllowedSchemes.Clear();
        sanitizer.AllowedSchemes.UnionWith(["https", "http", "mailto", "tel"]);
        sanitizer.AllowedCssProperties.Clear();
        sanitizer.AllowedAtRules.Clear();
        sanitizer.AllowedClasses.Clear();
        sanitizer.AllowDataAttributes = false;
        return sanitizer;
    }
}
