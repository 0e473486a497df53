using System.Text;
using System.Text.Json;
using Kedja.Web.Exchange;
using Kedja.Web.Infrastructure;
using Kedja.Web.Portal.OpenData.Rdf;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Kedja.Web.Portal.OpenData;

/// <summary>
/// The open data files and the DCAT-AP-SE catalogue at stable addresses (ADR 42): <c>/p/{slug}/oppna-data/{period}.json</c>
/// and <c>.csv</c> (<c>alla</c> for every published period), <c>/p/{slug}/dcat.ttl</c>, <c>.jsonld</c> and <c>.rdf</c>, and the
/// file's JSON Schema. Anonymous and GET only, like every portal address; an unknown municipality, an unpublished or
/// unknown period and an unknown format are all a plain 404.
/// </summary>
public static class OpenDataEndpoints
{
    public static IServiceCollection AddOpenData(this IServiceCollection services)
    {
        return services.AddScoped<OpenDataReading>();
    }

    public static void MapOpenData(this IEndpointRouteBuilder app)
    {
        // HEAD as GET: a catalogue's harvester checks with it that each distribution's address answers.
        app.MapMethods(OpenDataSchema.Path, ReadMethods, Schema).AllowAnonymous().ExcludeFromDescription();
        var portal = app.MapGroup("/p/{slug}").AllowAnonymous().ExcludeFromDescription();
        portal.MapMethods("/oppna-data/{file}", ReadMethods, File);
        foreach (var format in new[] { "ttl", "jsonld", "rdf" })
        {
            portal.MapMethods($"/dcat.{format}", ReadMethods, (string slug, HttpContext http, OpenDataReading reading, IOptions<PortalOptions> options, CancellationToken cancellationToken) =>
                Catalogue(slug, format, http, reading, options, cancellationToken));
        }
    }

    private static readonly string[] ReadMethods = [HttpMethods.Get, HttpMethods.Head];

    /// <summary>Made once: it depends only on the code and the API's JSON options.</summary>
    private static byte[]? schema;

    private static IResult Schema(JsonSerializerOptionsProvider json)
    {
        schema ??= Encoding.UTF8.GetBytes(OpenDataSchema.Generate(json.Options));
        return Results.Bytes(schema, "application/schema+json; charset=utf-8");
    }

    private static async Task<IResult> File(string slug, string file, HttpContext http, OpenDataReading reading, JsonSerializerOptionsProvider json,
        IOptions<PortalOptions> portal, CancellationToken cancellationToken)
    {
        var format = System.IO.Path.GetExtension(file);
        if (format is not (".json" or ".csv"))
        {
            return Results.NotFound();
        }

        var name = file[..^format.Length];
        var read = await reading.DocumentAsync(slug, name, portal.Value.BaseFor(http.Request) + OpenDataSchema.Path, cancellationToken);
        if (read.Value is not { } document)
        {
            return Results.NotFound();
        }

        return format == ".json"
            ? Send(http, JsonSerializer.SerializeToUtf8Bytes(document, json.Options), "application/json; charset=utf-8", "inline", $"{slug}-{name}.json")
            // A CSV file is for saving; it opens in a spreadsheet, not as a page.
            : Send(http, Encoding.UTF8.GetBytes(OpenDataCsv.Write(document)), "text/csv; charset=utf-8; header=present", "attachment", $"{slug}-{name}.csv");
    }

    private static async Task<IResult> Catalogue(string slug, string format, HttpContext http, OpenDataReading reading, IOptions<PortalOptions> portal,
        CancellationToken cancellationToken)
    {
        var read = await reading.CatalogueAsync(slug, cancellationToken);
        if (read.Value is not { } catalogue)
        {
            return Results.NotFound();
        }

        var graph = DcatCatalogue.Build(catalogue, new DcatCatalogue.Addresses(portal.Value.BaseFor(http.Request), catalogue.Tenant.Slug));
        var (text, type) = format switch
        {
            "ttl" => (RdfWriters.Turtle(graph), "text/turtle; charset=utf-8"),
            "jsonld" => (RdfWriters.JsonLd(graph), "application/ld+json; charset=utf-8"),
            _ => (RdfWriters.RdfXml(graph), "application/rdf+xml; charset=utf-8"),
        };
        return Send(http, Encoding.UTF8.GetBytes(text), type, "inline", $"{slug}-dcat.{format}");
    }

    private static IResult Send(HttpContext http, byte[] body, string contentType, string disposition, string fileName)
    {
        http.Response.Headers.ContentDisposition = new ContentDispositionHeaderValue(disposition) { FileName = fileName }.ToString();
        return Results.Bytes(body, contentType);
    }
}
