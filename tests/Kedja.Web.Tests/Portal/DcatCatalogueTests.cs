using System.Net;
using System.Net.Http.Json;
using Kedja.Data;
using Kedja.Domain.Tenancy;
using Kedja.Web.Demo;
using Kedja.Web.Infrastructure;
using Kedja.Web.Portal.OpenData;
using Kedja.Web.Portal.OpenData.Rdf;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Tests.Portal;

/// <summary>
/// The DCAT-AP-SE catalogue (issue 13, ADR 42), read back with Debian's rapper and rdflib rather than our own code: it
/// parses in all three syntaxes to the same triples, and holds every mandatory class and property of DCAT-AP-SE 3.0.1
/// (DIGG) for the catalogue, each dataset and each distribution, so that Sveriges dataportal can harvest it.
/// </summary>
public sealed class DcatCatalogueTests
{
    private const string Rdf = Vocabulary.Rdf;
    private const string Dcat = Vocabulary.Dcat;
    private const string Dct = Vocabulary.Dct;
    private const string Foaf = Vocabulary.Foaf;
    private const string Xsd = Vocabulary.Xsd;

    /// <summary>
    /// DCAT-AP-SE 3.0.1's mandatory properties (cardinality min 1 in DIGG's specification) of the classes the catalogue
    /// has. A contact point is recommended only, and not written (ADR 42); had it been, vcard:fn and vcard:hasEmail
    /// would be mandatory for it.
    /// </summary>
    private static readonly Dictionary<string, string[]> Mandatory = new()
    {
        [Dcat + "Catalog"] = [Dct + "title", Dct + "description", Dct + "publisher", Dct + "license", Dcat + "dataset"],
        [Dcat + "Dataset"] = [Dct + "title", Dct + "description", Dct + "publisher"],
        [Dcat + "Distribution"] = [Dcat + "accessURL", Dct + "format"],
        [Foaf + "Agent"] = [Foaf + "name", Dct + "type"],
    };

    /// <summary>The profile's recommended properties that Kedja knows the answer to and so writes.</summary>
    private static readonly Dictionary<string, string[]> Recommended = new()
    {
        [Dcat + "Catalog"] = [Dct + "issued", Dct + "modified", Dct + "language", Foaf + "homepage", Dcat + "themeTaxonomy"],
        [Dcat + "Dataset"] = [Dcat + "keyword", Dcat + "theme", Dct + "issued", Dct + "temporal", Dct + "accessRights", Dcat + "distribution"],
        [Dcat + "Distribution"] = [Dct + "description", Dct + "license", Vocabulary.DcatAp + "availability", Dcat + "downloadURL", Dcat + "mediaType"],
    };

    private sealed record Catalogue(List<NTriple> Triples)
    {
        public List<string> Of(string type) => [.. Triples.Where(t => t.Predicate == Rdf + "type" && t.Object == type).Select(t => t.Subject).Distinct()];

        public List<NTriple> Values(string subject, string predicate) => [.. Triples.Where(t => t.Subject == subject && t.Predicate == predicate)];
    }

    private static HashSet<NTriple> Set(IEnumerable<NTriple> triples) => [.. triples];

    private static async Task<(string Turtle, string JsonLd, string RdfXml)> FetchAsync(HttpClient client, string slug)
    {
        async Task<string> Get(string format, string contentType)
        {
            var response = await client.GetAsync($"/p/{slug}/dcat.{format}");
            var text = await response.Content.ReadAsStringAsync();
            response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
            response.Content.Headers.ContentType!.ToString().ShouldBe($"{contentType}; charset=utf-8");
            response.Content.Headers.ContentDisposition!.ToString().ShouldBe($"inline; filename={slug}-dcat.{format}");
            response.Headers.Contains("Set-Cookie").ShouldBeFalse();
            return text;
        }

        return (await Get("ttl", "text/turtle"), await Get("jsonld", "application/ld+json"), await Get("rdf", "application/rdf+xml"));
    }

    [RdfToolsTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Every_mandatory_class_and_property_of_DCAT_AP_SE_is_there_for_the_catalogue_each_dataset_and_each_distribution(string provider)
    {
        const string Base = "https://kedja.exempel.se";
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true, settings: new Dictionary<string, string?> { ["Kedja:Portal:PublicBaseUrl"] = Base + "/" });
        var anonymous = app.CreateClient();
        var (turtle, jsonLd, rdfXml) = await FetchAsync(anonymous, DemoTenant.Slug);
        var catalogue = new Catalogue(await RdfTools.RapperAsync(turtle, "turtle"));
        Set(await RdfTools.RapperAsync(rdfXml, "rdfxml")).SetEquals(catalogue.Triples).ShouldBeTrue("RDF/XML says what Turtle says");
        Set(await RdfTools.RdflibJsonLdAsync(jsonLd)).SetEquals(catalogue.Triples).ShouldBeTrue("JSON-LD says what Turtle says");

        var published = (await anonymous.GetFromJsonAsync<List<System.Text.Json.JsonElement>>($"/api/v1/public/{DemoTenant.Slug}/periods"))!;
        var catalogs = catalogue.Of(Dcat + "Catalog");
        catalogs.ShouldBe([$"{Base}/p/{DemoTenant.Slug}/oppna-data#katalog"]);
        var datasets = catalogue.Of(Dcat + "Dataset");
        datasets.Count.ShouldBe(published.Count + 1, "one dataset per published period and one of all of them");
        var distributions = catalogue.Of(Dcat + "Distribution");
        distributions.Count.ShouldBe(datasets.Count * 2, "a JSON and a CSV distribution each");
        catalogue.Values(catalogs[0], Dcat + "dataset").Select(t => t.Object).ShouldBe(datasets, ignoreOrder: true);
        datasets.SelectMany(d => catalogue.Values(d, Dcat + "distribution").Select(t => t.Object)).ShouldBe(distributions, ignoreOrder: true);

        foreach (var (type, properties) in Mandatory.Concat(Recommended))
        {
            var subjects = catalogue.Of(type);
            subjects.ShouldNotBeEmpty(type);
            foreach (var subject in subjects)
            {
                foreach (var property in properties)
                {
                    catalogue.Values(subject, property).ShouldNotBeEmpty($"{subject} has no {property}");
                }
            }
        }

        // The kinds of value the profile asks for.
        foreach (var subject in catalogs.Concat(datasets))
        {
            catalogue.Values(subject, Dct + "title").ShouldContain(t => t.IsLiteral && t.Language == "sv");
            catalogue.Values(subject, Dct + "description").ShouldContain(t => t.IsLiteral && t.Language == "sv");
            catalogue.Values(subject, Dct + "publisher").ShouldAllBe(t => !t.IsLiteral && catalogue.Of(Foaf + "Agent").Contains(t.Object));
            catalogue.Values(subject, Dct + "issued").ShouldAllBe(t => t.Datatype == Xsd + "dateTime");
        }

        catalogue.Values(catalogs[0], Dct + "license").Select(t => t.Object).ShouldBe([OpenDataLicences.Cc0Uri], "DCAT-AP-SE requires CC0 on the catalogue");
        catalogue.Values(catalogue.Of(Foaf + "Agent").Single(), Dct + "type").Single().Object.ShouldBe("http://purl.org/adms/publishertype/LocalAuthority");
        catalogue.Values(catalogue.Of(Foaf + "Agent").Single(), Foaf + "name").Single().Object.ShouldBe("Exempelkommun");
        foreach (var distribution in distributions)
        {
            var access = catalogue.Values(distribution, Dcat + "accessURL");
            access.Count.ShouldBe(1, "exactly one access URL");
            var format = catalogue.Values(distribution, Dct + "format").Single();
            format.IsLiteral.ShouldBeTrue("DCAT-AP-SE gives the format as a media type in text");
            catalogue.Values(distribution, Dcat + "mediaType").Single().Object.ShouldBe($"https://www.iana.org/assignments/media-types/{format.Object}");
            catalogue.Values(distribution, Dct + "license").ShouldAllBe(t => catalogue.Of(Dct + "LicenseDocument").Contains(t.Object));

            // Every file is there, at the address the catalogue gives, in the format it says.
            var url = catalogue.Values(distribution, Dcat + "downloadURL").Single().Object;
            url.ShouldBe(access[0].Object);
            url.ShouldStartWith($"{Base}/p/{DemoTenant.Slug}/oppna-data/");
            var file = await anonymous.GetAsync(url[Base.Length..]);
            file.StatusCode.ShouldBe(HttpStatusCode.OK, url);
            file.Content.Headers.ContentType!.MediaType.ShouldBe(format.Object);
        }

        foreach (var dataset in datasets)
        {
            var period = catalogue.Values(dataset, Dct + "temporal").Single().Object;
            catalogue.Values(period, Rdf + "type").Single().Object.ShouldBe(Dct + "PeriodOfTime");
            catalogue.Values(period, Dcat + "startDate").Single().Datatype.ShouldBe(Xsd + "date");
            catalogue.Values(period, Dcat + "endDate").Single().Datatype.ShouldBe(Xsd + "date");
        }

        var schema = catalogue.Triples.Where(t => t.Predicate == Dct + "conformsTo").Select(t => t.Object).Distinct().Single();
        schema.ShouldBe(Base + OpenDataSchema.Path);
        (await anonymous.GetAsync(OpenDataSchema.Path)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await anonymous.GetAsync("/p/finns-inte/dcat.ttl")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [RdfToolsTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_municipality_name_with_quotes_backslashes_line_breaks_and_non_ascii_comes_back_as_it_was_and_its_licence_is_on_every_file(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        const string Name = "Östra \"Hamnens\" kommun \\ Malmö\nandra raden\r\t<b>&amp;</b> 'ett' \"\"\" – 😀";
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<KedjaDbContext>();
            (await db.Tenants.Where(t => t.Slug == DemoTenant.Slug)
                .ExecuteUpdateAsync(t => t.SetProperty(x => x.Name, Name).SetProperty(x => x.Licence, OpenDataLicence.CcBy40)
                    .SetProperty(x => x.ContactEmail, "oppna.data@exempelkommun.se"))).ShouldBe(1);
        }

        var anonymous = app.CreateClient();
        var (turtle, jsonLd, rdfXml) = await FetchAsync(anonymous, DemoTenant.Slug);
        var triples = await RdfTools.RapperAsync(turtle, "turtle");
        Set(await RdfTools.RapperAsync(rdfXml, "rdfxml")).SetEquals(triples).ShouldBeTrue("RDF/XML says what Turtle says");
        Set(await RdfTools.RdflibJsonLdAsync(jsonLd)).SetEquals(triples).ShouldBeTrue("JSON-LD says what Turtle says");
        triples.Single(t => t.Predicate == Foaf + "name").Object.ShouldBe(Name);
        triples.Where(t => t.Predicate == Dct + "title" && t.Language == "sv" && t.Subject.EndsWith("#katalog", StringComparison.Ordinal)).Single().Object
            .ShouldBe($"Öppna data från {Name}");

        var licences = triples.Where(t => t.Predicate == Dct + "license").ToLookup(t => t.Subject.EndsWith("#katalog", StringComparison.Ordinal), t => t.Object);
        licences[true].ShouldBe([OpenDataLicences.Cc0Uri], "the catalogue's own metadata stays CC0");
        licences[false].Distinct().ShouldBe([OpenDataLicences.CcBy40Uri], "every file has the municipality's licence");

        // With an address, each dataset has a contact point: an organisation with a name and a mailto: link.
        var contacts = triples.Where(t => t.Predicate == Dcat + "contactPoint").ToList();
        contacts.Count.ShouldBe(triples.Count(t => t.Predicate == Rdf + "type" && t.Object == Dcat + "Dataset"));
        var contact = contacts.Select(t => t.Object).Distinct().Single();
        triples.ShouldContain(t => t.Subject == contact && t.Predicate == Rdf + "type" && t.Object == "http://www.w3.org/2006/vcard/ns#Organization");
        triples.Single(t => t.Subject == contact && t.Predicate == "http://www.w3.org/2006/vcard/ns#fn").Object.ShouldBe(Name);
        triples.Single(t => t.Subject == contact && t.Predicate == "http://www.w3.org/2006/vcard/ns#hasEmail").Object.ShouldBe("mailto:oppna.data@exempelkommun.se");

        var json = System.Text.Json.Nodes.JsonNode.Parse(await anonymous.GetStringAsync($"/p/{DemoTenant.Slug}/oppna-data/alla.json"))!;
        json["tenant"]!["name"]!.GetValue<string>().ShouldBe(Name);
        json["licence"]!["name"]!.GetValue<string>().ShouldBe("CC BY 4.0");
        json["licence"]!["uri"]!.GetValue<string>().ShouldBe(OpenDataLicences.CcBy40Uri);
        json["licence"]!["attribution"]!.GetValue<string>().ShouldBe($"Källa: {Name}");
        var page = await anonymous.GetStringAsync($"/p/{DemoTenant.Slug}/oppna-data");
        page.ShouldContain("CC BY 4.0");
        page.ShouldContain("<strong>Källa: Östra &quot;Hamnens&quot; kommun \\ Malmö");
        page.ShouldContain("Skriv till <a href=\"mailto:oppna.data@exempelkommun.se\">");
        (await anonymous.GetStringAsync($"/p/{DemoTenant.Slug}/tillganglighet")).ShouldContain("<h2>Kontakt</h2>");
    }

    [RdfToolsFact]
    public async Task The_writers_keep_any_text_and_the_three_syntaxes_give_the_same_triples()
    {
        const string Awkward = "\"citat\" och \\bakåtstreck\\ \n ny rad \r vagnretur \t tabb \"\"\" ''' <tagg> &amp; @sv ^^ # . ; , – ÅÄÖ é ß 😀 \u00a0";
        var graph = new RdfGraph()
            .Type("https://exempel.se/p/a/oppna-data#katalog", Dcat + "Catalog")
            .Add("https://exempel.se/p/a/oppna-data#katalog", Dct + "title", Literal.Swedish(Awkward))
            .Add("https://exempel.se/p/a/oppna-data#katalog", Dct + "description", new Literal(Awkward))
            .Add("https://exempel.se/p/a/oppna-data#katalog", Dct + "issued", Literal.DateTime(new DateTime(2026, 6, 9, 9, 30, 0, DateTimeKind.Utc)))
            .Add("https://exempel.se/p/a/oppna-data#katalog", Dcat + "startDate", Literal.Date(new DateOnly(2026, 1, 1)))
            .Add("https://exempel.se/p/a/oppna-data#katalog", Dcat + "dataset", "https://exempel.se/p/a/oppna-data#data-2026-T1")
            .Add("https://exempel.se/p/a/oppna-data#data-2026-T1", Vocabulary.DcatAp + "availability", "http://publications.europa.eu/resource/authority/planned-availability/STABLE");
        var expected = graph.Triples.Select(t => t.Object switch
        {
            Literal l => new NTriple(t.Subject.Value, t.Predicate.Value, l.Value, true, l.Language, l.Datatype),
            var o => new NTriple(t.Subject.Value, t.Predicate.Value, ((Iri)o).Value, false),
        }).ToHashSet();

        Set(await RdfTools.RapperAsync(RdfWriters.Turtle(graph), "turtle")).SetEquals(expected).ShouldBeTrue("Turtle");
        Set(await RdfTools.RapperAsync(RdfWriters.RdfXml(graph), "rdfxml")).SetEquals(expected).ShouldBeTrue("RDF/XML");
        Set(await RdfTools.RdflibJsonLdAsync(RdfWriters.JsonLd(graph))).SetEquals(expected).ShouldBeTrue("JSON-LD");
    }
}
