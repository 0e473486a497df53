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
/// nothing; an accepted one is complete (checking it again finds nothing left to write). The first file and every
/// 50th also go the whole way over HTTP (upload, the worker's check, import) and never answer 500. All inputs on
/// SQLite, a tenth on PostgreSQL.
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

    /// <summary>The demo's indicators, and the real template: its bytes, and its entries unpacked once (a workbook is rebuilt from them per input).</summary>
    private sealed record Sample(List<(Guid Id, string Name)> Indicators, byte[] Template, List<(string Name, byte[] Data)> Entries);

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
        var entries = new List<(string, byte[])>();
        using (var zip = new ZipArchive(new MemoryStream(template.Content, writable: false), ZipArchiveMode.Read))
        {
            foreach (var entry in zip.Entries)
            {
                using var data = new MemoryStream();
                using (var stream = entry.Open())
                {
                    stream.CopyTo(data);
                }

                entries.Add((entry.FullName, data.ToArray()));
            }
        }

        return new Sample([(bullying.Id, bullying.Name), (school.Id, school.Name), .. others], template.Content, entries);
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
        var huge = 0;
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

            // At most three huge cells a file: a 3,000-row file had a hundred (10 MB of text to build and read), which
            // proved no more than three do and made the large files most of the fuzzer's time.
            if (huge < 3 && r.Next(30) == 0 && row.Length > 0)
            {
                huge++;
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
        switch (r.Next(8))
        {
            case 0:
                var bytes = (byte[])sample.Template.Clone();
                for (var n = r.Next(1, 20); n > 0; n--)
                {
                    bytes[r.Next(bytes.Length)] = (byte)r.Next(256);
                }

                return bytes;
            case 1:
                return sample.Template[..r.Next(sample.Template.Length)];
        }

        // Rebuilt from the unpacked entries rather than by updating the template's zip in place, which unpacked and
        // packed every entry again per input (a fifth of an xlsx input's time).
        var entries = sample.Entries.ToList();
        switch (r.Next(6))
        {
            case 0:
                entries.RemoveAt(r.Next(entries.Count));
                break;
            case 1:
            {
                var index = r.Next(entries.Count);
                entries[index] = (entries[index].Name, [.. Enumerable.Range(0, r.Next(0, 3000)).Select(_ => (byte)r.Next(256))]);
                break;
            }
            default:
                for (var i = 0; i < entries.Count; i++)
                {
                    if (entries[i].Name.StartsWith("xl/worksheets/", StringComparison.Ordinal) && entries[i].Name.EndsWith(".xml", StringComparison.Ordinal))
                    {
                        entries[i] = (entries[i].Name, new UTF8Encoding(false).GetBytes(SheetXml(r, Table(r, sample))));
                    }
                }

                break;
        }

        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, data) in entries)
            {
                using var stream = zip.CreateEntry(name, CompressionLevel.Fastest).Open();
                stream.Write(data);
            }
        }

        return buffer.ToArray();
    }

    // Cell references Excel never writes: past XFD (by one column, and so far that the column number overflows an
    // int), row 0, no letters, none at all.
    private static readonly string[] BadReferences = ["ZZZZ0", "XFE1", "ZZZZZZZZZZ1", "A0", "1A", ""];

    private static string SheetXml(Random r, List<string[]> rows)
    {
        var xml = new StringBuilder();
        if (r.Next(15) == 0)
        {
            xml.Append("<?xml version=\"1.0\"?><!DOCTYPE w [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;\">]>");
        }

        // One sheet in ten has bad cell references: in every sheet (one cell in 25), the first one refused the file
        // before its rows were read, so that nine in ten rewritten workbooks never reached the row checks.
        var badReferences = r.Next(10) == 0;
        xml.Append("<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>");
        for (var i = 0; i < rows.Count; i++)
        {
            xml.Append($"<row r=\"{(r.Next(25) == 0 ? r.Next(-5, 2_000_000) : i + 1)}\">");
            for (var j = 0; j < rows[i].Length; j++)
            {
                var reference = badReferences && r.Next(25) == 0 ? BadReferences[r.Next(BadReferences.Length)] : $"{(char)('A' + Math.Min(j, 25))}{i + 1}";
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

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Csv_and_xlsx_files_never_throw_a_refused_one_writes_nothing_and_an_accepted_one_is_complete(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true, settings: OutcomeImportTests.NoWorker);
        var admin = await app.ClientAsync();
        var sample = await SampleAsync(app);
        var fingerprints = new Fuzzing.Fingerprints(app, DemoTenant.Slug);
        int imported = 0, refused = 0, files = 0;

        Fuzzing.ForEachSeed(Fuzzing.CasesOn(provider), async seed =>
        {
            var r = new Random(seed);
            var xlsx = r.Next(2) == 0;
            var name = r.Next(10) switch { 0 => "fil.txt", 1 => "../../utfall.csv", 2 => "", _ => xlsx ? "utfall.xlsx" : "utfall.csv" };
            var content = xlsx ? Xlsx(r, sample) : Csv(r, sample);

            // Every file through the import service (its check and, when the check passes, its write in one transaction).
            var before = await fingerprints.BeforeAsync();
            using (var scope = app.Services.CreateScope())
            {
                (await scope.ServiceProvider.GetRequiredService<TenantAccess>().EnterAsSystemAsync(DemoTenant.Slug)).Error.ShouldBeNull();
                var imports = scope.ServiceProvider.GetRequiredService<OutcomeImports>();
                var run = await imports.ImportAsync(name, content, expectedPlan: null);
                var after = await fingerprints.AfterAsync();
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

            // The first file and every 50th after it (a replayed seed's, too) also go the whole way: upload, the
            // worker's check, import.
            if (files++ % 50 == 0)
            {
                await OverHttpAsync(admin, fingerprints, app, name, content);
            }
        });

        refused.ShouldBeGreaterThan(0);
    }

    private static async Task OverHttpAsync(HttpClient client, Fuzzing.Fingerprints fingerprints, KedjaApp app, string name, byte[] content)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", name.Length == 0 ? "x" : name);
        var before = await fingerprints.BeforeAsync();
        var upload = await client.PostAsync($"{Base}/imports", form);
        ((int)upload.StatusCode).ShouldBeLessThan(500, await upload.Content.ReadAsStringAsync());
        if (upload.StatusCode != HttpStatusCode.Accepted)
        {
            (await fingerprints.AfterAsync()).ShouldBe(before);
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
        await fingerprints.AfterAsync();
    }
}
