using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Kedja.Web.Demo;
using Kedja.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kedja.Web.Tests;

/// <summary>
/// A body over the limit answers 413 in Swedish and nothing is stored, whether the client declares its length or
/// streams it in chunks. The limits are small here so that "just over" costs nothing; the defaults are checked apart.
/// </summary>
public class RequestLimitTests
{
    private const int ImportLimit = 200_000;
    private const int RequestLimit = 20_000;
    private const string TooLarge = "Begäran är för stor. Inget har sparats.";

    private static readonly Dictionary<string, string?> SmallLimits = new()
    {
        ["Kedja:Limits:MaxImportBodyBytes"] = ImportLimit.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Kedja:Limits:MaxRequestBodyBytes"] = RequestLimit.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>A tenant document of exactly <paramref name="size"/> bytes (the tenant's name is the padding).</summary>
    private static byte[] Document(int size)
    {
        const string head = "{\"format\":\"kedja-tenant\",\"formatVersion\":1,\"tenant\":{\"slug\":\"stor\",\"name\":\"";
        const string tail = "\"}}";
        return Encoding.UTF8.GetBytes(head + new string('x', size - head.Length - tail.Length) + tail);
    }

    private static HttpContent Declared(byte[] body) => new ByteArrayContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } };

    private static HttpContent Chunked(byte[] body) => new UnknownLength(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } };

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_import_just_over_its_limit_answers_413_and_creates_nothing(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, settings: SmallLimits);
        var admin = await app.ClientAsync();

        foreach (var content in new[] { Declared(Document(ImportLimit + 1)), Chunked(Document(ImportLimit + 1)) })
        {
            var (status, problem) = await ProblemDetailsTests.ProblemAsync(await admin.PostAsync("/api/v1/tenants/import?slug=stor", content));
            status.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
            ProblemDetailsTests.Title(problem).ShouldBe(TooLarge);
        }

        using (var scope = app.Services.CreateScope())
        {
            (await scope.ServiceProvider.GetRequiredService<Data.KedjaDbContext>().Tenants.AnyAsync()).ShouldBeFalse();
        }

        // At the limit the document is read and judged on its content: an import of a municipality without a model is refused, not too large.
        var atLimit = await admin.PostAsync("/api/v1/tenants/import?slug=stor", Declared(Document(ImportLimit)));
        atLimit.StatusCode.ShouldNotBe(HttpStatusCode.RequestEntityTooLarge);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Other_endpoints_refuse_a_body_over_the_general_limit(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true, settings: SmallLimits);
        var admin = await app.ClientAsync();
        var audit = await ProblemDetailsTests.AuditCountAsync(app);
        var unit = Encoding.UTF8.GetBytes($"{{\"name\":\"{new string('x', RequestLimit)}\",\"kind\":\"unit\",\"isActive\":true}}");

        foreach (var content in new[] { Declared(unit), Chunked(unit) })
        {
            var (status, problem) = await ProblemDetailsTests.ProblemAsync(await admin.PostAsync($"/api/v1/tenants/{DemoTenant.Slug}/units", content));
            status.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
            ProblemDetailsTests.Title(problem).ShouldBe(TooLarge);
        }

        // The import's larger limit is the import's alone.
        var (importStatus, _) = await ProblemDetailsTests.ProblemAsync(await admin.PostAsync("/api/v1/tenants/import?slug=stor", Declared(Document(RequestLimit * 2))));
        importStatus.ShouldBe(HttpStatusCode.BadRequest);
        (await ProblemDetailsTests.AuditCountAsync(app)).ShouldBe(audit);
    }

    [Fact]
    public async Task A_144_MB_import_answers_413_with_the_default_limits()
    {
        await using var app = await KedjaApp.StartAsync(nameof(Data.DatabaseProvider.Sqlite), environment: "Production");
        var limits = app.Services.GetRequiredService<IOptions<RequestLimitOptions>>().Value;
        limits.MaxImportBodyBytes.ShouldBe(100_000_000);
        limits.MaxRequestBodyBytes.ShouldBe(30_000_000);
        var admin = await app.ClientAsync();

        var response = await admin.PostAsync("/api/v1/tenants/import?slug=stor", new Claimed(144_000_000) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } });

        var (status, problem) = await ProblemDetailsTests.ProblemAsync(response);
        status.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        ProblemDetailsTests.Title(problem).ShouldBe(TooLarge);
    }

    /// <summary>Streams its bytes without telling their number, as a chunked upload does.</summary>
    private sealed class UnknownLength(byte[] body) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => stream.WriteAsync(body).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }

    /// <summary>Declares a length and produces the bytes only if someone reads them, so that 144 MB cost nothing when refused.</summary>
    private sealed class Claimed(long size) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            var chunk = Encoding.UTF8.GetBytes(new string(' ', 64 * 1024));
            for (long sent = 0; sent < size; sent += chunk.Length)
            {
                await stream.WriteAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, size - sent)));
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = size;
            return true;
        }
    }
}
