using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security;
using System.Text;
using System.Text.Json;
using Kedja.Web.Demo;
using Kedja.Web.Imports;
using Kedja.Web.Infrastructure;
using Kedja.Web.Tests.Imports;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kedja.Web.Tests.Fuzz;

/// <summary>
/// Outcome files, CSV and xlsx, built from a drawn seed (ADR 53): bad headers, separators and encodings, numbers in
/// Swedish and other formats, huge and empty files, random bytes, damaged workbooks. Each goes through the import
/// service in the demo tenant (where the file is read, checked and written) and never throws; a refused file changes
/// nothing; an accepted one is complete (checking it again finds nothing left to write). Every 20th file also goes
/// the whole way over HTTP (upload, the worker's check, import) and never answers 500.
/// </summary>
public sealed class OutcomeFileFuzzTests
{
    private const string Base = $"/api/v1/tenants/{DemoTenant.Slug}";

    // Windows-1252 files are written by the test, which needs the code pages .NET does not carry by default.
    static OutcomeFileFuzzTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    private static readonly string[] Numbers =
        ["2,7", "2.7", "1 234,5", "1\u00a0234,5", "1,234.5", "-0", "1e5", "NaN", "∞", "99999999999999999999999", "", "tolv", "\u22123", "0,0000000001",
            "12", "  7 ", "1.000.000", "+4", "(5)", "5%", "1E+400", "81", "0", "2,70", "٣", "１２"];

    private static readonly string[] Periods = ["2026", "2026-T1", "2026-T2", "2026-T3", "2025", "2027", "2026-T9", "99999", "2026-13", "", "T1", "2026–T3"];

    private static readonly string[] Header = ["Indikator-id", "Indikator", "Period", "Utfall", "Målvärde"];

    private sealed record Sample(List<(Guid Id, string Name)> Indicators, byte[] Template);

    private static async Task<Sample> SampleAsync(KedjaApp app)
    {
        var bullying = await OutcomeImportTests.IndicatorAsync(app, "Anmälningar om kränkande behandling per 100 elever");
        var school = await OutcomeImportTests.IndicatorAsync(app, "Elever i åk 9 med godkända betyg i alla ämnen");
        var (scope, db) = app.DbFor(DemoTenant.Slug);
        List<(Guid, string)> others;
        using (scope)
        {
            others = [.. (await db.Indicators.AsNoTracking().OrderBy(i => i.Name).Take(6).Select(i => new { i.Id, i.Name }).ToListAsync()).Select(i => (i.Id, i.Name))];
        }

        using var templateScope = app.Services.CreateScope();
        (await templateScope.ServiceProvider.GetRequiredService<TenantAccess>().EnterAsSystemAsync(DemoTenant.Slug)).Error.ShouldBeNull();
        var template = (await templateScope.ServiceProvider.GetRequiredService<ImportTemplates>().BuildAsync(null, 2026)).Value!;
        return new Sample([(bullying.Id, bullying.Name), (school.Id, school.Name), .. others], template.Content);
    }

    /// <summary>The cells of a table: mostly the right shape with odd values, sometimes the wrong shape.</summary>
    private static List<string[]> Table(Random r, Sample sample)
    {
        var rows = new List<string[]>();
        var header = r.Next(8) switch
        {
            0 => [.. Header.OrderBy(_ => r.Next())],
            1 => [.. Header.Take(r.Next(Header.Length))],
            2 => [.. Header, "Indikator-id"],
            3 => ["a", "b", "c"],
            4 => [.. Header.Select(h => h.ToUpperInvariant())],
            _ => Header,
        };
        if (r.Next(15) != 0)
        {
            rows.Add(header);
        }

        var count = r.Next(20) == 0 ? r.Next(500, 3000) : r.Next(0, 12);
        for (var i = 0; i < count; i++)
        {
            var (id, name) = sample.Indicators[r.Next(sample.Indicators.Count)];
            var idText = r.Next(10) switch
            {
                0 => Guid.NewGuid().ToString(),
                1 => "inte-ett-id",
                2 => "",
                3 => id.ToString().ToUpperInvariant(),
                _ => id.ToString(),
            };
            string[] row = [idText, r.Next(3) == 0 ? name : "", Periods[r.Next(Periods.Length)], Numbers[r.Next(Numbers.Length)], r.Next(3) == 0 ? Numbers[r.Next(Numbers.Length)] : ""];
            if (r.Next(10) == 0)
            {
                row = [.. row.Take(r.Next(row.Length + 1)), .. Enumerable.Repeat("extra", r.Next(3))];
            }

            if (r.Next(30) == 0 && row.Length > 0)
            {
                row[r.Next(row.Length)] = new string('x', r.Next(1000, 200_000));
            }

            rows.Add(row);
        }

        return rows;
    }

    private static byte[] Csv(Random r, Sample sample)
    {
        switch (r.Next(12))
        {
            case 0:
                return [.. Enumerable.Range(0, r.Next(0, 4096)).Select(_ => (byte)r.Next(256))];
            case 1:
                return r.Next(3) switch { 0 => [], 1 => [0xEF, 0xBB, 0xBF], _ => Encoding.UTF8.GetBytes(" \r\n\r\n\t\n") };
        }

        var separator = ";,\t|"[r.Next(r.Next(3) == 0 ? 4 : 1)].ToString();
        var newline = r.Next(4) switch { 0 => "\n", 1 => "\r", _ => "\r\n" };
        var lines = Table(r, sample).Select(cells => string.Join(separator, cells.Select(c => r.Next(15) == 0 ? $"\"{c}" : r.Next(6) == 0 ? $"\"{c.Replace("\"", "\"\"")}\"" : c)));
        var text = string.Join(newline, lines) + (r.Next(2) == 0 ? newline : "");
        if (r.Next(15) == 0)
        {
            text = text.Insert(r.Next(text.Length + 1), r.Next(2) == 0 ? "\0" : "\u202E");
        }

        return r.Next(8) switch
        {
            0 => [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(text)],
            1 => Encoding.GetEncoding(1252).GetBytes(text),
            2 => [0xFF, 0xFE, .. Encoding.Unicode.GetBytes(text)],
            3 => Encoding.Latin1.GetBytes(text),
            4 => [.. Encoding.UTF8.GetBytes(text), 0xED, 0xA0, 0x80, 0xC3],
            _ => Encoding.UTF8.GetBytes(text),
        };
    }

    private static byte[] Xlsx(Random r, Sample sample)
    {
        var bytes = (byte[])sample.Template.Clone();
        switch (r.Next(8))
        {
            case 0:
                for (var n = r.Next(1, 20); n > 0; n--)
                {
                    bytes[r.Next(bytes.Length)] = (byte)r.Next(256);
                }

                return bytes;
            case 1:
                return bytes[..r.Next(bytes.Length)];
        }

        using var buffer = new MemoryStream();
        buffer.Write(bytes);
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Update, leaveOpen: true))
        {
            var sheets = zip.Entries.Where(e => e.FullName.StartsWith("xl/worksheets/", StringComparison.Ordinal) && e.FullName.EndsWith(".xml", StringComparison.Ordinal)).ToList();
            var entries = zip.Entries.ToList();
            switch (r.Next(6))
            {
                case 0:
                    entries[r.Next(entries.Count)].Delete();
                    break;
                case 1:
                {
                    var entry = entries[r.Next(entries.Count)];
                    var name = entry.FullName;
                    entry.Delete();
                    using var stream = zip.CreateEntry(name).Open();
                    stream.Write([.. Enumerable.Range(0, r.Next(0, 3000)).Select(_ => (byte)r.Next(256))]);
                    break;
                }
                default:
                    foreach (var sheet in sheets)
                    {
                        var name = sheet.FullName;
                        sheet.Delete();
                        using var writer = new StreamWriter(zip.CreateEntry(name).Open(), new UTF8Encoding(false));
                        writer.Write(SheetXml(r, Table(r, sample)));
                    }

                    break;
            }
        }

        return buffer.ToArray();
    }

    private static string SheetXml(Random r, List<string[]> rows)
    {
        var xml = new StringBuilder();
        if (r.Next(15) == 0)
        {
            xml.Append("<?xml version=\"1.0\"?><!DOCTYPE w [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;\">]>");
        }

        xml.Append("<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>");
        for (var i = 0; i < rows.Count; i++)
        {
            xml.Append($"<row r=\"{(r.Next(25) == 0 ? r.Next(-5, 2_000_000) : i + 1)}\">");
            for (var j = 0; j < rows[i].Length; j++)
            {
                var reference = r.Next(25) == 0 ? "ZZZZ0" : $"{(char)('A' + Math.Min(j, 25))}{i + 1}";
                var value = rows[i][j];
                xml.Append(r.Next(10) switch
                {
                    0 => $"<c r=\"{reference}\" t=\"s\"><v>{r.Next(-2, 1_000_000)}</v></c>",
                    1 => $"<c r=\"{reference}\" t=\"n\"><v>{SecurityElement.Escape(value)}</v></c>",
                    2 => $"<c r=\"{reference}\" s=\"{r.Next(0, 500)}\"><v>{r.NextDouble() * Math.Pow(10, r.Next(-20, 400))}</v></c>",
                    3 => $"<c r=\"{reference}\" t=\"b\"><v>{value}</v></c>",
                    _ => $"<c r=\"{reference}\" t=\"inlineStr\"><is><t>{SecurityElement.Escape(value)}</t></is></c>",
                });
            }

            xml.Append("</row>");
        }

        return xml.Append("</sheetData></worksheet>").ToString();
    }

    [Fact]
    public async Task Csv_and_xlsx_files_never_throw_a_refused_one_writes_nothing_and_an_accepted_one_is_complete()
    {
        await using var app = await KedjaApp.StartAsync(nameof(Data.DatabaseProvider.Sqlite), seedDemo: true, settings: OutcomeImportTests.NoWorker);
        var admin = await app.ClientAsync();
        var sample = await SampleAsync(app);
        var imported = 0;
        var refused = 0;

        Fuzzing.ForEachSeed(Fuzzing.Cases, async seed =>
        {
            var r = new Random(seed);
            var xlsx = r.Next(2) == 0;
            var name = r.Next(10) switch { 0 => "fil.txt", 1 => "../../utfall.csv", 2 => "", _ => xlsx ? "utfall.xlsx" : "utfall.csv" };
            var content = xlsx ? Xlsx(r, sample) : Csv(r, sample);

            var before = await Fuzzing.Fingerprint.OfAsync(app, DemoTenant.Slug);
            using (var scope = app.Services.CreateScope())
            {
                (await scope.ServiceProvider.GetRequiredService<TenantAccess>().EnterAsSystemAsync(DemoTenant.Slug)).Error.ShouldBeNull();
                var imports = scope.ServiceProvider.GetRequiredService<OutcomeImports>();
                var run = await imports.ImportAsync(name, content, expectedPlan: null);
                var after = await Fuzzing.Fingerprint.OfAsync(app, DemoTenant.Slug);
                if (run.Imported)
                {
                    imported++;
                    var again = await imports.CheckAsync(name, content);
                    (again.NewRows + again.ChangedRows).ShouldBe(0, $"efter importen återstår {again.NewRows} nya och {again.ChangedRows} ändrade rader");
                }
                else
                {
                    refused++;
                    after.ShouldBe(before, run.Refusal ?? run.Check.Problems.FirstOrDefault()?.Message);
                }
            }

            if (seed % 20 == 0)
            {
                await OverHttpAsync(app, admin, name, content);
            }
        });

        refused.ShouldBeGreaterThan(0);
    }

    private static async Task OverHttpAsync(KedjaApp app, HttpClient client, string name, byte[] content)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", name.Length == 0 ? "x" : name);
        var before = await Fuzzing.Fingerprint.OfAsync(app, DemoTenant.Slug);
        var upload = await client.PostAsync($"{Base}/imports", form);
        ((int)upload.StatusCode).ShouldBeLessThan(500, await upload.Content.ReadAsStringAsync());
        if (upload.StatusCode != HttpStatusCode.Accepted)
        {
            (await Fuzzing.Fingerprint.OfAsync(app, DemoTenant.Slug)).ShouldBe(before);
            return;
        }

        var id = (await upload.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        await OutcomeImportTests.Worker(app).RunOnceAsync();
        var checkedImport = await client.GetAsync($"{Base}/imports/{id}");
        ((int)checkedImport.StatusCode).ShouldBeLessThan(500);
        var import = await client.PostAsync($"{Base}/imports/{id}/import", null);
        ((int)import.StatusCode).ShouldBeLessThan(500, await import.Content.ReadAsStringAsync());
        if (import.StatusCode == HttpStatusCode.Accepted)
        {
            await OutcomeImportTests.Worker(app).RunOnceAsync();
        }

        ((int)(await client.GetAsync($"{Base}/imports/{id}")).StatusCode).ShouldBeLessThan(500);
    }
}
