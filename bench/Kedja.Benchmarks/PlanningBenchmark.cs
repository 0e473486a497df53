using System.Diagnostics;
using System.Text.Json;
using Kedja.Web;
using Kedja.Web.Cli;
using Kedja.Web.Infrastructure;
using Kedja.Web.Planning;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Kedja.Benchmarks;

/// <summary>
/// Issue 16's target (docs/performance.md, "Next year's planning"): opening next year's planning for a generated L
/// tenant (2,500 units, 25,000 goals, 50,000 indicators, ten years of targets and tertial outcomes) within 10 s. Times
/// <see cref="PlanningYears.OpenAsync"/> (which reads everything the year offers and proposes every target), then two
/// reads of the same view, and the size of the view as JSON, on the database the connection string names. Use an empty
/// database: it is filled.
/// </summary>
public static class PlanningBenchmark
{
    private const string Slug = "planbank";

    public static async Task<int> RunAsync(string provider, string connection, string size)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Kedja:Database:Provider"] = provider, ["ConnectionStrings:Kedja"] = connection, ["Kedja:Demo:Seed"] = "false",
            ["Kedja:Imports:RunWorker"] = "false", ["Kedja:Reports:RunWorker"] = "false",
        };
        if (await Verbs.RunAsync(["migrate"], Console.Error, Console.Error, settings) != 0
            || await Verbs.RunAsync(["generate", "--size", size, "--slug", Slug], Console.Error, Console.Error, settings) != 0)
        {
            return 1;
        }

        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders();
        builder.Services.AddKedja(builder.Environment);
        await using var app = KedjaOptions.Build(builder);
        var year = DateTime.UtcNow.Year + 1;

        async Task<(TimeSpan Took, PlanningYearView View)> TimeAsync(bool open)
        {
            using var scope = app.Services.CreateScope();
            var services = scope.ServiceProvider;
            (await services.GetRequiredService<TenantAccess>().EnterAsSystemAsync(Slug)).Error.Fail();
            var planning = services.GetRequiredService<PlanningYears>();
            var watch = Stopwatch.StartNew();
            var result = open ? await planning.OpenAsync(year) : await planning.GetAsync(year);
            watch.Stop();
            result.Error.Fail();
            return (watch.Elapsed, result.Value!);
        }

        var (opened, view) = await TimeAsync(open: true);
        var reads = new List<TimeSpan>();
        for (var run = 0; run < 2; run++)
        {
            reads.Add((await TimeAsync(open: false)).Took);
        }

        var json = JsonSerializer.SerializeToUtf8Bytes(view, new JsonSerializerOptions(JsonSerializerDefaults.Web));
        Console.WriteLine($"{provider}, {size} tenant, planning {year}: {view.Goals.Count:N0} goals, {view.Indicators.Count:N0} indicators "
            + $"({view.Indicators.Count(i => i.Proposals.Count > 0):N0} with a proposal), {view.Activities.Count:N0} activities, view {json.Length / 1024.0 / 1024.0:N1} MB as JSON");
        Console.WriteLine($"open (first, cold): {opened.TotalSeconds:N2} s; read again: {string.Join(", ", reads.Select(r => $"{r.TotalSeconds:N2} s"))}");
        return opened.TotalSeconds <= 10 ? 0 : 2;
    }

    private static void Fail(this ServiceError? error)
    {
        if (error is not null)
        {
            throw new InvalidOperationException(error.Message);
        }
    }
}
