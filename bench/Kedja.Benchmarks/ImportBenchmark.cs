using System.Diagnostics;
using System.Globalization;
using System.Text;
using Kedja.Data;
using Kedja.Data.Bulk;
using Kedja.Domain.Indicators;
using Kedja.Web;
using Kedja.Web.Cli;
using Kedja.Web.Imports;
using Kedja.Web.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Kedja.Benchmarks;

/// <summary>
/// Issue 11's import target (docs/performance.md, "Imports"): a generated M tenant (10,000 indicators), the outcomes of
/// ten tertials taken out again, and those 100,000 rows written as a CSV file with decimal commas. Times a plain bulk
/// insert of the same rows (rolled back), the check alone, and the import (check again, write, audit), on the database
/// the connection string names. Use an empty database: it is filled.
/// </summary>
public static class ImportBenchmark
{
    private const string Slug = "importbank";

    public static async Task<int> RunAsync(string provider, string connection)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Kedja:Database:Provider"] = provider, ["ConnectionStrings:Kedja"] = connection, ["Kedja:Demo:Seed"] = "false",
            ["Kedja:Imports:RunWorker"] = "false", ["Kedja:Reports:RunWorker"] = "false",
        };
        if (await Verbs.RunAsync(["migrate"], Console.Error, Console.Error, settings) != 0
            || await Verbs.RunAsync(["generate", "--size", "M", "--slug", Slug], Console.Error, Console.Error, settings) != 0)
        {
            return 1;
        }

        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders();
        builder.Services.AddKedja(builder.Environment);
        await using var app = KedjaOptions.Build(builder);
        using var scope = app.Services.CreateScope();
        var services = scope.ServiceProvider;
        (await services.GetRequiredService<TenantAccess>().EnterAsSystemAsync(Slug)).Error.ShouldBeNone();
        var db = services.GetRequiredService<KedjaDbContext>();

        // Ten tertials of every indicator, emptied: the rows the file brings back.
        string[] periods = [.. Enumerable.Range(2023, 3).SelectMany(y => Enumerable.Range(1, 3).Select(t => $"{y}-T{t}")), "2026-T3"];
        await db.Outcomes.Where(o => periods.Contains(o.PeriodKey)).ExecuteDeleteAsync();
        var indicators = await db.Indicators.AsNoTracking().OrderBy(i => i.Id).Select(i => i.Id).ToListAsync();
        var random = new Random(11);
        var rows = indicators.SelectMany(id => periods.Select(p => (Id: id, Period: p, Value: Math.Round((decimal)(random.NextDouble() * 100), 1)))).ToList();
        var csv = new StringBuilder("Indikator-id;Period;Utfall\r\n");
        foreach (var (id, period, value) in rows)
        {
            csv.Append(id).Append(';').Append(period).Append(';').Append(value.ToString(CultureInfo.GetCultureInfo("sv-SE"))).Append("\r\n");
        }

        var file = Encoding.UTF8.GetBytes(csv.ToString());
        Console.WriteLine($"{provider}: {rows.Count:N0} rows, file {file.Length / 1024.0 / 1024.0:N1} MB");

        // A plain bulk insert of the same rows and its commit, twice (the first warms up); taken out again after each.
        var bulk = TimeSpan.MaxValue;
        for (var run = 0; run < 2; run++)
        {
            var watch = Stopwatch.StartNew();
            await using (var transaction = await db.Database.BeginTransactionAsync())
            {
                await new BulkWriter(db).InsertAsync(rows.Select(r => new Outcome
                {
                    TenantId = db.Scope.TenantId!.Value, IndicatorId = r.Id, PeriodKey = r.Period, Value = r.Value, Source = ValueSource.Import, RecordedBy = "bench", RecordedAt = DateTime.UtcNow,
                }));
                await transaction.CommitAsync();
            }

            bulk = watch.Elapsed < bulk ? watch.Elapsed : bulk;
            await db.Outcomes.Where(o => periods.Contains(o.PeriodKey)).ExecuteDeleteAsync();
        }

        var imports = services.GetRequiredService<OutcomeImports>();
        var checkWatch = Stopwatch.StartNew();
        var check = await imports.CheckAsync("bench.csv", file);
        checkWatch.Stop();
        if (!check.CanImport || check.NewRows != rows.Count)
        {
            Console.Error.WriteLine($"The check found {check.ProblemCount} problems and {check.NewRows} new rows: {string.Join(" | ", check.Problems.Take(5).Select(ImportReport.Line))}");
            return 1;
        }

        var importWatch = Stopwatch.StartNew();
        var run2 = await imports.ImportAsync("bench.csv", file, check.PlanHash);
        importWatch.Stop();
        if (!run2.Imported)
        {
            Console.Error.WriteLine(run2.Refusal);
            return 1;
        }

        double Rate(TimeSpan t) => rows.Count / t.TotalSeconds;
        Console.WriteLine($"plain bulk insert: {bulk.TotalMilliseconds:N0} ms, {Rate(bulk):N0} rows/s");
        Console.WriteLine($"check alone:       {checkWatch.Elapsed.TotalMilliseconds:N0} ms, {Rate(checkWatch.Elapsed):N0} rows/s");
        Console.WriteLine($"import (check, write, audit): {importWatch.Elapsed.TotalMilliseconds:N0} ms, {Rate(importWatch.Elapsed):N0} rows/s, {Rate(importWatch.Elapsed) / Rate(bulk):N2} of the bulk rate");
        return 0;
    }

    private static void ShouldBeNone(this ServiceError? error)
    {
        if (error is not null)
        {
            throw new InvalidOperationException(error.Message);
        }
    }
}
