using Kedja.Domain.Periods;
using Kedja.Web.Portal.OpenData.Rdf;
using Kedja.Web.Public;

namespace Kedja.Web.Portal.OpenData;

/// <summary>
/// A municipality's DCAT-AP-SE catalogue (version 3.0.1, DIGG) of its open data, for Sveriges dataportal to harvest (ADR 42):
/// one dataset per published period and one of all of them, each with a JSON and a CSV distribution. Every mandatory
/// class and property of the profile, and the recommended ones Kedja knows the answer to; see the ADR for those left out.
/// </summary>
public static class DcatCatalogue
{
    private const string Dcat = Vocabulary.Dcat;
    private const string Dct = Vocabulary.Dct;
    private const string Foaf = Vocabulary.Foaf;
    private const string Authority = "http://publications.europa.eu/resource/authority/";

    /// <summary>The addresses the catalogue names; resources are fragments of the open data page, so each can be looked up.</summary>
    public sealed record Addresses(string Base, string Slug)
    {
        public string Portal => $"{Base}/p/{Slug}";

        public string Page => $"{Portal}/oppna-data";

        public string Catalog => $"{Page}#katalog";

        public string Publisher => $"{Portal}#kommunen";

        public string Contact => $"{Portal}#kontakt";

        public string Dataset(string file) => $"{Page}#data-{file}";

        public string File(string file, string format) => $"{Page}/{file}.{format}";

        public string Schema => Base + OpenDataSchema.Path;
    }

    private static readonly (string Format, string MediaType, string Name)[] Formats = [("json", "application/json", "JSON"), ("csv", "text/csv", "CSV")];

    public static RdfGraph Build(OpenDataCatalogue catalogue, Addresses at)
    {
        var (tenant, periods) = (catalogue.Tenant, catalogue.Periods);
        var licence = OpenDataLicences.For(tenant.Licence, tenant.Name);
        var published = periods.Select(p => p.PublishedAt).OfType<DateTime>().ToList();
        var graph = new RdfGraph();

        graph.Type(at.Catalog, Dcat + "Catalog")
            .Add(at.Catalog, Dct + "title", Literal.Swedish($"Öppna data från {tenant.Name}"))
            .Add(at.Catalog, Dct + "title", Literal.English($"Open data from {tenant.Name}"))
            .Add(at.Catalog, Dct + "description", Literal.Swedish($"{tenant.Name}s mål, indikatorer och resultat från de uppföljningar som kommunen har publicerat."))
            .Add(at.Catalog, Dct + "description", Literal.English($"Goals, indicators and results of {tenant.Name}, from the follow-ups the municipality has published."))
            .Add(at.Catalog, Dct + "publisher", at.Publisher)
            // DCAT-AP-SE requires CC0 on the catalogue's own metadata, whatever licence the data has.
            .Add(at.Catalog, Dct + "license", OpenDataLicences.Cc0Uri)
            .Add(at.Catalog, Dct + "language", Authority + "language/SWE")
            .Add(at.Catalog, Foaf + "homepage", at.Page)
            .Add(at.Catalog, Dcat + "themeTaxonomy", Authority + "data-theme");
        if (published.Count > 0)
        {
            graph.Add(at.Catalog, Dct + "issued", Literal.DateTime(published.Min())).Add(at.Catalog, Dct + "modified", Literal.DateTime(published.Max()));
        }

        var datasets = periods.Select(p => (File: p.Key, Sv: p.Name, En: PeriodRef.Parse(p.Key).EnglishLabel, p.StartDate, p.EndDate, Issued: p.PublishedAt, Modified: p.PublishedAt))
            .Append((File: OpenDataReading.AllPeriods, Sv: "alla publicerade uppföljningar", En: "all published follow-ups", periods[0].StartDate, periods[^1].EndDate,
                Issued: published.Count > 0 ? published.Min() : (DateTime?)null, Modified: published.Count > 0 ? published.Max() : (DateTime?)null))
            .Reverse();
        foreach (var d in datasets)
        {
            var dataset = at.Dataset(d.File);
            graph.Add(at.Catalog, Dcat + "dataset", dataset);
            graph.Type(dataset, Dcat + "Dataset")
                .Add(dataset, Dct + "title", Literal.Swedish($"Mål och resultat, {d.Sv}"))
                .Add(dataset, Dct + "title", Literal.English($"Goals and results, {d.En}"))
                .Add(dataset, Dct + "description", Literal.Swedish(
                    $"{tenant.Name}s mål och hur de hänger ihop, med status, och indikatorerna med utfall och målvärden, för {d.Sv}. Bara uppgifter som kommunen har publicerat."))
                .Add(dataset, Dct + "description", Literal.English(
                    $"The goals of {tenant.Name} and how they connect, with their status, and the indicators with outcomes and targets, for {d.En}. Published data only."))
                .Add(dataset, Dct + "publisher", at.Publisher)
                .Add(dataset, Dcat + "theme", Authority + "data-theme/GOVE")
                .Add(dataset, Dct + "accessRights", Authority + "access-right/PUBLIC")
                .Add(dataset, Dct + "language", Authority + "language/SWE")
                .Add(dataset, Dcat + "landingPage", at.Page)
                .Add(dataset, Dct + "temporal", dataset + "-tid");
            if (tenant.ContactEmail is not null)
            {
                graph.Add(dataset, Dcat + "contactPoint", at.Contact);
            }

            foreach (var keyword in new[] { "mål", "resultat", "uppföljning", "indikatorer", "målstyrning" })
            {
                graph.Add(dataset, Dcat + "keyword", Literal.Swedish(keyword));
            }

            foreach (var keyword in new[] { "goals", "results", "indicators" })
            {
                graph.Add(dataset, Dcat + "keyword", Literal.English(keyword));
            }

            if (d.Issued is { } issued)
            {
                graph.Add(dataset, Dct + "issued", Literal.DateTime(issued));
            }

            if (d.Modified is { } modified)
            {
                graph.Add(dataset, Dct + "modified", Literal.DateTime(modified));
            }

            graph.Type(dataset + "-tid", Dct + "PeriodOfTime")
                .Add(dataset + "-tid", Dcat + "startDate", Literal.Date(d.StartDate))
                .Add(dataset + "-tid", Dcat + "endDate", Literal.Date(d.EndDate));

            foreach (var (format, mediaType, name) in Formats)
            {
                var distribution = $"{dataset}-{format}";
                var file = at.File(d.File, format);
                graph.Add(dataset, Dcat + "distribution", distribution);
                graph.Type(distribution, Dcat + "Distribution")
                    .Add(distribution, Dct + "title", Literal.Swedish($"{name}, {d.Sv}"))
                    .Add(distribution, Dct + "description", Literal.Swedish(format == "json"
                        ? $"Målen, indikatorerna och utfallen för {d.Sv} i en JSON-fil som följer ett JSON Schema."
                        : $"Utfallen för {d.Sv}: en rad per indikator och period med värde. UTF-8, komma mellan fälten och punkt som decimaltecken."))
                    .Add(distribution, Dcat + "accessURL", file)
                    .Add(distribution, Dcat + "downloadURL", file)
                    // DCAT-AP-SE writes the format as the media type in text; DCAT-AP's dcat:mediaType beside it as IANA's IRI.
                    .Add(distribution, Dct + "format", new Literal(mediaType))
                    .Add(distribution, Dcat + "mediaType", $"https://www.iana.org/assignments/media-types/{mediaType}")
                    .Add(distribution, Dct + "license", licence.Uri)
                    .Add(distribution, Vocabulary.DcatAp + "availability", Authority + "planned-availability/STABLE")
                    .Add(distribution, Foaf + "page", at.Page);
                if (format == "json")
                {
                    graph.Add(distribution, Dct + "conformsTo", at.Schema);
                }

                if (d.Modified is { } changed)
                {
                    graph.Add(distribution, Dct + "modified", Literal.DateTime(changed));
                }
            }
        }

        // The contact point is recommended by DCAT-AP-SE; given when the municipality named an address (its portal settings).
        if (tenant.ContactEmail is { } email)
        {
            graph.Type(at.Contact, Vocabulary.Vcard + "Organization")
                .Add(at.Contact, Vocabulary.Vcard + "fn", Literal.Swedish(tenant.Name))
                .Add(at.Contact, Vocabulary.Vcard + "hasEmail", "mailto:" + email);
        }

        graph.Type(at.Publisher, Foaf + "Agent").Type(at.Publisher, Foaf + "Organization")
            .Add(at.Publisher, Foaf + "name", Literal.Swedish(tenant.Name))
            .Add(at.Publisher, Dct + "type", "http://purl.org/adms/publishertype/LocalAuthority")
            .Add(at.Publisher, Foaf + "homepage", at.Portal);
        graph.Type(licence.Uri, Dct + "LicenseDocument").Add(licence.Uri, Dct + "title", new Literal(licence.Name));
        if (licence.Uri != OpenDataLicences.Cc0Uri)
        {
            graph.Type(OpenDataLicences.Cc0Uri, Dct + "LicenseDocument").Add(OpenDataLicences.Cc0Uri, Dct + "title", new Literal("CC0 1.0"));
        }

        graph.Type(at.Schema, Dct + "Standard").Add(at.Schema, Dct + "title", Literal.Swedish("Kedjas öppna data om mål och resultat, version 1 (JSON Schema)"));
        graph.Type(at.Page, Foaf + "Document").Add(at.Page, Dct + "title", Literal.Swedish($"Öppna data från {tenant.Name}"));
        return graph;
    }
}
