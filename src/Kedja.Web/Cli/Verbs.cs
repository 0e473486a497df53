using System.Text.Json;
using Kedja.Data;
using Kedja.Data.Migrations;
using Kedja.Web.Exchange;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Cli;

/// <summary>
/// Command-line verbs that run in the same host as the web app (same configuration and database):
/// migrate, export {slug} {file}, import {file} --slug {slug}, schema-script {sqlite|postgres}, document-schema.
/// </summary>
public static class Verbs
{
    private static readonly string[] Names = ["migrate", "export", "import", "schema-script", "document-schema", "generate", "recompute", "verify-audit"];

    public static bool IsVerb(string[] args) => args.Length > 0 && Names.Contains(args[0]);

    /// <summary>Verb arguments are not configuration; only options such as --urls go to the host.</summary>
    public static string[] HostArgs(string[] args) => IsVerb(args) ? [] : args;

    public static async Task<int> RunAsync(WebApplication app, string[] args)
    {
        using var scope = app.Services.CreateScope();
        var services = scope.ServiceProvider;
        var db = services.GetRequiredService<KedjaDbContext>();
        try
        {
            switch (args[0])
            {
                case "migrate":
                {
                    var applied = await new SchemaMigrator(db).MigrateAsync(args.Length > 1 ? args[1] : null);
                    Console.WriteLine(applied.Count == 0 ? "Databasen är redan uppdaterad." : "Körda migreringar: " + string.Join(", ", applied));
                    return 0;
                }

                case "schema-script":
                    Console.Write(SchemaScript.Generate(args.Length > 1 && args[1].Equals("postgres", StringComparison.OrdinalIgnoreCase) ? DatabaseProvider.Postgres : DatabaseProvider.Sqlite));
                    return 0;
                case "generate":
                {
                    var size = Enum.Parse<Generation.TenantSize>(Option(args, "--size") ?? "S", ignoreCase: true);
                    var slug = Option(args, "--slug") ?? $"storstad-{size.ToString().ToLowerInvariant()}";
                    await new SchemaMigrator(db).MigrateAsync();
                    var result = await services.GetRequiredService<Generation.TenantGenerator>().GenerateAsync(size, slug);
                    Console.WriteLine($"Genererade {result.Slug}: {result.Units:N0} enheter, {result.Goals:N0} mål, {result.Indicators:N0} indikatorer, {result.Targets:N0} målvärden, {result.Outcomes:N0} utfall på {result.Elapsed.TotalSeconds:0.0} s.");
                    return 0;
                }

                case "recompute":
                {
                    var slug = Option(args, "--slug") ?? throw new ArgumentException("Ange --slug.");
                    var tenant = await db.Tenants.AsNoTracking().SingleAsync(t => t.Slug == slug);
                    db.Scope.Enter(tenant.Id, tenant.Slug);
                    var periods = await db.Periods.AsNoTracking().ToListAsync();
                    var period = Option(args, "--period") is { } key ? periods.Single(p => p.Key == key) : periods.Where(p => p.EndDate < DateOnly.FromDateTime(services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime)).OrderBy(p => p.EndDate).Last();
                    var statuses = services.GetRequiredService<FollowUp.StatusService>();
                    for (var run = 1; run <= int.Parse(Option(args, "--runs") ?? "5", System.Globalization.CultureInfo.InvariantCulture); run++)
                    {
                        var watch = System.Diagnostics.Stopwatch.StartNew();
                        var result = await statuses.ComputeAsync(period);
                        Console.WriteLine($"Körning {run}: {result.Goals.Count:N0} mål och {result.Indicators.Count:N0} indikatorer för {period.Name} på {watch.Elapsed.TotalMilliseconds:0} ms.");
                    }

                    return 0;
                }

                case "verify-audit":
                    return await VerifyAuditAsync(db, args);
                case "document-schema":
                    Console.Write(DocumentSchema.Generate(services.GetRequiredService<JsonSerializerOptionsProvider>().Options));
                    return 0;
                case "export" when args.Length == 3:
                {
                    await new SchemaMigrator(db).MigrateAsync();
                    var tenant = await db.Tenants.AsNoTracking().SingleOrDefaultAsync(t => t.Slug == args[1]);
                    if (tenant is null)
                    {
                        Console.Error.WriteLine($"Kommunen '{args[1]}' finns inte.");
                        return 2;
                    }

                    db.Scope.Enter(tenant.Id, tenant.Slug);
                    var doc = await services.GetRequiredService<TenantExporter>().ExportAsync();
                    await using (var file = File.Create(args[2]))
                    {
                        await JsonSerializer.SerializeAsync(file, doc, new JsonSerializerOptions(services.GetRequiredService<JsonSerializerOptionsProvider>().Options) { WriteIndented = true });
                    }

                    Console.WriteLine($"Exporterade {tenant.Slug} till {args[2]}.");
                    return 0;
                }

                case "import" when args.Length == 4 && args[2] == "--slug":
                {
                    await new SchemaMigrator(db).MigrateAsync();
                    await using var file = File.OpenRead(args[1]);
                    var (doc, errors) = await DocumentJson.ReadAsync(file, services.GetRequiredService<JsonSerializerOptionsProvider>().Options, CancellationToken.None);
                    var result = doc is null ? new ImportResult(null, errors!) : await services.GetRequiredService<TenantImporter>().ImportAsync(doc, args[3]);
                    if (!result.Succeeded)
                    {
                        Console.Error.WriteLine("Importen stoppades; inget har sparats:");
                        foreach (var (path, messages) in result.Errors)
                        {
                            Console.Error.WriteLine($"  {path}: {string.Join(" ", messages)}");
                        }

                        return 1;
                    }

                    Console.WriteLine($"Importerade {result.Tenant!.Name} som {result.Tenant.Slug}.");
                    return 0;
                }

                default:
                    Console.Error.WriteLine("Användning: migrate [till-id] | export {slug} {fil} | import {fil} --slug {slug} | schema-script {sqlite|postgres}");
                    return 2;
            }
        }
        catch (IOException ex)
        {
            Console.Error.WriteLine(ex.Message);
            return 1;
        }
    }

    /// <summary>Recomputes a tenant's audit chain (or, with --system, the installation's) and names the first broken link.</summary>
    private static async Task<int> VerifyAuditAsync(KedjaDbContext db, string[] args)
    {
        Guid? tenantId = null;
        var name = "installationen";
        if (Option(args, "--tenant") is { } slug)
        {
            var tenant = await db.Tenants.AsNoTracking().SingleOrDefaultAsync(t => t.Slug == slug);
            if (tenant is null)
            {
                Console.Error.WriteLine($"Kommunen '{slug}' finns inte.");
                return 2;
            }

            tenantId = tenant.Id;
            name = tenant.Slug;
        }
        else if (!args.Contains("--system"))
        {
            Console.Error.WriteLine("Användning: verify-audit --tenant {slug} | verify-audit --system");
            return 2;
        }

        var report = await AuditChain.VerifyAsync(db, tenantId);
        if (report.Break is { } broken)
        {
            Console.WriteLine($"Granskningsloggen för {name} är bruten efter {report.Entries:N0} hela poster.");
            Console.WriteLine(broken.Reason);
            return 1;
        }

        Console.WriteLine($"Granskningsloggen för {name} är hel: {report.Entries:N0} poster, senaste kontrollsumma {report.HeadHash}.");
        return 0;
    }

    private static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
