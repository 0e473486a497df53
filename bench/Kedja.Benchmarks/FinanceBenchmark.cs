using System.Diagnostics;
using System.Globalization;
using System.Text;
using Kedja.Data;
using Kedja.Domain.Finance;
using Kedja.Web;
using Kedja.Web.Cli;
using Kedja.Web.Imports.Finance;
using Kedja.Web.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Kedja.Benchmarks;

/// <summary>
/// Issue 16's finance import target (docs/performance.md, "Finance import"): an SIE file of 1,000,000 transaction
/// rows (100,000 vouchers of nine result rows and one bank row) over 200 cost centres of a generated S tenant, with a
/// monthly budget per cost centre and account. Times the preview (check alone), the first import (every sum new) and
/// the same file again (nothing changes), on the database the connection string names. Use an empty database.
/// </summary>
public static class FinanceBenchmark
{
    private const string Slug = "finansbank";

    public static async Task<int> RunAsync(string provider, string connection, int transactions = 1_000_000)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Kedja:Database:Provider"] = provider, ["ConnectionStrings:Kedja"] = connection, ["Kedja:Demo:Seed"] = "false",
            ["Kedja:Imports:RunWorker"] = "false", ["Kedja:Reports:RunWorker"] = "false",
        };
        if (await Verbs.RunAsync(["migrate"], Console.Error, Console.Error, settings) != 0
            || await Verbs.RunAsync(["generate", "--size", "S", "--slug", Slug], Console.Error, Console.Error, settings) != 0)
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
        if ((await services.GetRequiredService<TenantAccess>().EnterAsSystemAsync(Slug)).Error is { } refused)
        {
            throw new InvalidOperationException(refused.Message);
        }
        var db = services.GetRequiredService<KedjaDbContext>();
        var year = await db.Periods.MaxAsync(p => p.Year);
        var units = await db.Units.AsNoTracking().OrderBy(u => u.Id).Select(u => u.Id).Take(200).ToListAsync();
        db.FinanceMappings.Add(new FinanceMapping
        {
            TenantId = db.Scope.TenantId!.Value, Units = [.. units.Select((u, i) => new FinanceUnitRange((1000 + i).ToString(CultureInfo.InvariantCulture), null, u))],
            Accounts = [.. FinanceMappings.ProposedAccounts],
        });
        await db.SaveChangesAsync();

        var file = Sie(year, units.Count, transactions);
        Console.WriteLine($"{provider}: {transactions:N0} transaction rows, {units.Count} cost centres, file {file.Length / 1024.0 / 1024.0:N1} MB");
        var imports = services.GetRequiredService<FinanceImports>();

        // The first preview in the process includes compiling the reader; the second is a running server's.
        var watch = Stopwatch.StartNew();
        await imports.CheckAsync("bank.se", file);
        var coldTime = watch.Elapsed;
        watch.Restart();
        var check = await imports.CheckAsync("bank.se", file);
        var checkTime = watch.Elapsed;
        if (!check.CanImport)
        {
            Console.WriteLine($"The file has problems: {string.Join(" | ", check.Problems.Take(5).Select(p => p.Message))}");
            return 1;
        }

        watch.Restart();
        var first = await imports.ImportAsync("bank.se", file, check.PlanHash);
        var firstTime = watch.Elapsed;
        watch.Restart();
        var again = await imports.ImportAsync("bank.se", file, null);
        var againTime = watch.Elapsed;
        if (!first.Imported || !again.Imported || again.Check.NewRows + again.Check.ChangedRows != 0)
        {
            Console.WriteLine($"Import refused: {first.Refusal ?? again.Refusal}, second run new {again.Check.NewRows}, changed {again.Check.ChangedRows}");
            return 1;
        }

        string Rate(TimeSpan t) => $"{check.Rows / t.TotalSeconds:N0} rows/s";
        Console.WriteLine($"rows read: {check.Rows:N0}; values written: {first.Check.NewRows:N0} new");
        Console.WriteLine($"first preview in the process: {coldTime.TotalMilliseconds:N0} ms = {Rate(coldTime)}");
        Console.WriteLine($"preview (check alone): {checkTime.TotalMilliseconds:N0} ms = {Rate(checkTime)}");
        Console.WriteLine($"import (check again + write): {firstTime.TotalMilliseconds:N0} ms = {Rate(firstTime)}");
        Console.WriteLine($"same file again (nothing changes): {againTime.TotalMilliseconds:N0} ms = {Rate(againTime)}");
        return 0;
    }

    /// <summary>The file as a finance system writes it: declarations, a budget per cost centre, account and month, then the vouchers.</summary>
    public static byte[] Sie(int year, int centres, int transactions)
    {
        var random = new Random(16);
        int[] accounts = [3010, 4010, 4510, 5410, 6110, 7010, 8410];
        var text = new StringBuilder(transactions * 48);
        text.Append("#FLAGGA 0\r\n#FORMAT PC8\r\n#SIETYP 4\r\n#PROGRAM \"Kedja bänk\" 1\r\n#FNAMN \"Finansbänk kommun\"\r\n")
            .Append(CultureInfo.InvariantCulture, $"#RAR 0 {year}0101 {year}1231\r\n#DIM 1 \"Ansvar\"\r\n#KONTO 1930 \"Bank\"\r\n");
        foreach (var account in accounts)
        {
            text.Append(CultureInfo.InvariantCulture, $"#KONTO {account} \"Konto {account}\"\r\n");
        }

        for (var c = 0; c < centres; c++)
        {
            text.Append(CultureInfo.InvariantCulture, $"#OBJEKT 1 \"{1000 + c}\" \"Ansvar {1000 + c} Åsa\"\r\n");
        }

        for (var c = 0; c < centres; c++)
        {
            foreach (var account in accounts)
            {
                for (var m = 1; m <= 12; m++)
                {
                    text.Append(CultureInfo.InvariantCulture, $"#PBUDGET 0 {year}{m:00} {account} {{1 \"{1000 + c}\"}} {(account < 4000 ? -1 : 1) * random.Next(1000, 90000)}.00\r\n");
                }
            }
        }

        for (var v = 0; v < transactions / 10; v++)
        {
            var month = 1 + (v % 12);
            text.Append(CultureInfo.InvariantCulture, $"#VER A {v + 1} {year}{month:00}15 \"Verifikation {v + 1}\"\r\n{{\r\n");
            long sum = 0;
            for (var t = 0; t < 9; t++)
            {
                var account = accounts[random.Next(accounts.Length)];
                var ore = (account < 4000 ? -1L : 1L) * random.Next(100, 5_000_000);
                sum += ore;
                text.Append(CultureInfo.InvariantCulture, $"#TRANS {account} {{1 \"{1000 + random.Next(centres)}\"}} {ore / 100}.{Math.Abs(ore % 100):00}\r\n");
            }

            text.Append(CultureInfo.InvariantCulture, $"#TRANS 1930 {{}} {(-sum < 0 ? "-" : "")}{Math.Abs(sum) / 100}.{Math.Abs(sum) % 100:00}\r\n}}\r\n");
        }

        return CodePagesEncodingProvider.Instance.GetEncoding(437)!.GetBytes(text.ToString());
    }
}
