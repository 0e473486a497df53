using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Kedja.Data;
using Kedja.Data.Migrations;
using Kedja.Domain.Tenancy;
using Kedja.Web.Exchange;
using Kedja.Web.Generation;
using Kedja.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Cli;

/// <summary>
/// Command-line verbs that run in the same host as the web app (same configuration and database). System.CommandLine
/// only parses; what a verb does stays with the feature it belongs to. Standard output carries only what the verb
/// was asked for (a schema, a script, a verification, timings); progress, confirmations and errors go to standard
/// error. Exit codes: 0 done, 1 the verb ran and failed, 2 the command line was wrong or named something that does
/// not exist (ADR 16).
/// </summary>
public static partial class Verbs
{
    public const int Failed = 1;

    public const int Usage = 2;

    private static readonly string[] HelpTokens = ["--help", "-h", "-?", "--version"];

    /// <summary>
    /// A verb (or help) is asked for when the first argument is a word; no arguments, or only ASP.NET's own
    /// ("--urls http://…", "--environment Production", "urls=…"), start the web server as before.
    /// </summary>
    public static bool IsVerb(string[] args) =>
        args.Length > 0 && (HelpTokens.Contains(args[0]) || !(args[0].StartsWith('-') || args[0].StartsWith('/') || args[0].Contains('=')));

    /// <summary>
    /// Parses and runs a verb. Writers default to the console; tests pass their own, and settings that are laid over
    /// the configuration (environment variables, appsettings) as a process would get them from its environment.
    /// </summary>
    public static async Task<int> RunAsync(string[] args, TextWriter? output = null, TextWriter? error = null, IReadOnlyDictionary<string, string?>? settings = null)
    {
        output ??= Console.Out;
        error ??= Console.Error;
        var root = Build(settings);
        var parse = root.Parse(args);
        if (parse.Action is System.CommandLine.Help.HelpAction)
        {
            SwedishHelp.Write(parse.CommandResult.Command, output);
            return 0;
        }

        var problems = SwedishHelp.ParseErrors(parse);
        if (problems.Count > 0)
        {
            return SwedishHelp.Refuse(error, parse.CommandResult.Command, problems);
        }

        // Ctrl+C ends the process at once: every verb that writes does so in one transaction.
        return await parse.InvokeAsync(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null });
    }

    internal static RootCommand Build(IReadOnlyDictionary<string, string?>? settings = null)
    {
        var root = new RootCommand(
            "Kedja – mål- och resultatstyrning för kommuner. Utan kommando startar webbservern; ASP.NET:s egna flaggor " +
            "(till exempel --urls http://localhost:5080 eller --environment Production) går då till den.");
        root.Add(Migrate(settings));
        root.Add(Export(settings));
        root.Add(Import(settings));
        root.Add(Generate(settings));
        root.Add(GenerateMany(settings));
        root.Add(Recompute(settings));
        root.Add(VerifyAudit(settings));
        root.Add(DocumentSchemaVerb(settings));
        root.Add(OpenDataSchemaVerb(settings));
        root.Add(SchemaScriptVerb());
        root.Add(Report(settings));
        root.Add(ImportOutcomes(settings));
        root.Add(ImportFinance(settings));
        root.Add(SeedExamples(settings));
        root.Add(CreateToken(settings));
        root.Add(ResetTwoFactor(settings));
        root.Add(TakeLockedCards(settings));
        root.Add(Backup(settings));
        root.Add(Restore(settings));
        root.Add(ExportAll(settings));
        root.Add(ImportAll(settings));
        foreach (var option in root.Options)
        {
            option.Description = option switch
            {
                System.CommandLine.Help.HelpOption => "Visa hjälp för kommandot.",
                VersionOption => "Visa versionen.",
                _ => option.Description,
            };
        }

        return root;
    }

    private static Command Migrate(IReadOnlyDictionary<string, string?>? settings)
    {
        var target = new Argument<string?>("till-id") { Description = "Kör bara migreringar till och med denna, t.ex. 0004_membership_version.", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("migrate", "Kör databasens väntande schemamigreringar (ADR 3). Används när Kedja:Database:MigrateOnStartup är false.") { target };
        command.SetAction((parse, ct) => WithHost(parse, settings, async (host, output, error) =>
        {
            var db = host.GetRequiredService<KedjaDbContext>();
            var id = parse.GetValue(target);
            if (id is not null && SchemaMigrator.Scripts(KedjaDatabase.ProviderOf(db)).All(s => s.Id != id))
            {
                await error.WriteLineAsync($"Migreringen '{id}' finns inte. Kända: {string.Join(", ", SchemaMigrator.Scripts(KedjaDatabase.ProviderOf(db)).Select(s => s.Id))}.");
                return Usage;
            }

            var applied = await new SchemaMigrator(db).MigrateAsync(id, ct);
            await error.WriteLineAsync(applied.Count == 0 ? "Databasen är redan uppdaterad." : "Körda migreringar: " + string.Join(", ", applied));
            return 0;
        }));
        return command;
    }

    private static Command Export(IReadOnlyDictionary<string, string?>? settings)
    {
        var slug = new Argument<string>("slug") { Description = "Kommunens kortnamn, t.ex. exempelkommun." };
        var file = new Argument<string>("fil") { Description = "JSON-filen som skrivs (skrivs över om den finns)." };
        var command = new Command("export", "Skriver en kommun som ett JSON-dokument (docs/schema/kedja-tenant.v1.schema.json).") { slug, file };
        command.SetAction((parse, ct) => WithHost(parse, settings, async (host, output, error) =>
        {
            var db = host.GetRequiredService<KedjaDbContext>();
            await new SchemaMigrator(db).MigrateAsync(cancellationToken: ct);
            if (await EnterTenantAsync(host, parse.GetValue(slug)!, error, ct) is not { } tenant)
            {
                return Usage;
            }

            var path = parse.GetValue(file)!;
            await Backups.TenantFolder.WriteDocumentAsync(host, path, ct);

            await error.WriteLineAsync($"Exporterade {tenant.Slug} till {path}.");
            return 0;
        }));
        return command;
    }

    private static Command Import(IReadOnlyDictionary<string, string?>? settings)
    {
        var file = new Argument<string>("fil") { Description = "Ett tenant-dokument (JSON), t.ex. från export." };
        var slug = new Option<string>("--slug") { Description = "Kortnamnet den nya kommunen får (gemener, siffror och bindestreck).", HelpName = "slug", Required = true };
        var command = new Command("import", "Skapar en ny kommun från ett dokument; allt eller inget sparas.") { file, slug };
        command.SetAction((parse, ct) => WithHost(parse, settings, async (host, output, error) =>
        {
            var path = parse.GetValue(file)!;
            if (!File.Exists(path))
            {
                await error.WriteLineAsync($"Filen '{path}' finns inte.");
                return Usage;
            }

            var db = host.GetRequiredService<KedjaDbContext>();
            await new SchemaMigrator(db).MigrateAsync(cancellationToken: ct);
            await using var stream = File.OpenRead(path);
            var (doc, errors) = await DocumentJson.ReadAsync(stream, host.GetRequiredService<JsonSerializerOptionsProvider>().Options, ct);
            var result = doc is null ? new ImportResult(null, errors!) : await host.GetRequiredService<TenantImporter>().ImportAsync(doc, parse.GetValue(slug)!);
            if (!result.Succeeded)
            {
                await error.WriteLineAsync("Importen stoppades; inget har sparats:");
                foreach (var (field, messages) in result.Errors)
                {
                    await error.WriteLineAsync($"  {field}: {string.Join(" ", messages)}");
                }

                return Failed;
            }

            await error.WriteLineAsync($"Importerade {result.Tenant!.Name} som {result.Tenant.Slug}.");
            return 0;
        }));
        return command;
    }

    private static Command Generate(IReadOnlyDictionary<string, string?>? settings)
    {
        var size = new Option<string>("--size") { Description = "S, M eller L; L är 2 500 enheter, 25 000 mål, 50 000 indikatorer och tio år av tertial.", HelpName = "S|M|L", DefaultValueFactory = _ => "S" };
        var slug = new Option<string?>("--slug") { Description = "Kortnamnet; utan det storstad-s, storstad-m eller storstad-l.", HelpName = "slug" };
        var command = new Command("generate", "Skapar en syntetisk kommun för prestandaprov.") { size, slug };
        command.Validators.Add(result =>
        {
            if (result.GetResult(size) is { Implicit: false } && SizeOf(result.GetValue(size)) is null)
            {
                result.AddError(SwedishHelp.Own($"--size ska vara S, M eller L, inte '{result.GetValue(size)}'."));
            }

            if (result.GetValue(slug) is { } given && !TenantDocumentValidator.SlugPattern().IsMatch(given))
            {
                result.AddError(SwedishHelp.Own($"--slug '{given}' är inget giltigt kortnamn: gemener a-z, siffror och bindestreck, högst 60 tecken."));
            }
        });
        command.SetAction((parse, ct) => WithHost(parse, settings, async (host, output, error) =>
        {
            var tenantSize = SizeOf(parse.GetValue(size))!.Value;
            var name = parse.GetValue(slug) ?? $"storstad-{tenantSize.ToString().ToLowerInvariant()}";
            var db = host.GetRequiredService<KedjaDbContext>();
            await new SchemaMigrator(db).MigrateAsync(cancellationToken: ct);
            if (await db.Tenants.AnyAsync(t => t.Slug == name, ct))
            {
                await error.WriteLineAsync($"Det finns redan en kommun med kortnamnet '{name}'.");
                return Usage;
            }

            var result = await host.GetRequiredService<TenantGenerator>().GenerateAsync(tenantSize, name, cancellationToken: ct);
            await error.WriteLineAsync($"Genererade {result.Slug}: {result.Units:N0} enheter, {result.Goals:N0} mål, {result.Indicators:N0} indikatorer, {result.Targets:N0} målvärden, {result.Outcomes:N0} utfall på {result.Elapsed.TotalSeconds:0.0} s.");
            return 0;
        }));
        return command;
    }

    private static TenantSize? SizeOf(string? text) => text?.ToUpperInvariant() switch
    {
        "S" => TenantSize.S,
        "M" => TenantSize.M,
        "L" => TenantSize.L,
        _ => null,
    };

    private static Command Recompute(IReadOnlyDictionary<string, string?>? settings)
    {
        var slug = new Option<string>("--slug") { Description = "Kommunens kortnamn.", HelpName = "slug", Required = true };
        var period = new Option<string?>("--period") { Description = "Periodens nyckel, t.ex. 2026-T2; utan den den senast avslutade perioden.", HelpName = "nyckel" };
        var runs = new Option<string>("--runs") { Description = "Hur många gånger omräkningen görs (1-1000); de första värmer upp.", HelpName = "antal", DefaultValueFactory = _ => "5" };
        var command = new Command("recompute", "Mäter hur lång tid en omräkning av alla målstatusar för en period tar; tiderna skrivs på standard output.") { slug, period, runs };
        command.Validators.Add(result =>
        {
            if (result.GetResult(runs) is { Implicit: false } && !(int.TryParse(result.GetValue(runs), NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count is >= 1 and <= 1000))
            {
                result.AddError(SwedishHelp.Own($"--runs ska vara ett heltal från 1 till 1000, inte '{result.GetValue(runs)}'."));
            }
        });
        command.SetAction((parse, ct) => WithHost(parse, settings, async (host, output, error) =>
        {
            var db = host.GetRequiredService<KedjaDbContext>();
            if (await EnterTenantAsync(host, parse.GetValue(slug)!, error, ct) is not { } tenant)
            {
                return Usage;
            }

            var periods = await db.Periods.AsNoTracking().ToListAsync(ct);
            var today = DateOnly.FromDateTime(host.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime);
            var chosen = parse.GetValue(period) is { } key
                ? periods.SingleOrDefault(p => p.Key == key)
                : periods.Where(p => p.EndDate < today).OrderBy(p => p.EndDate).LastOrDefault();
            if (chosen is null)
            {
                await error.WriteLineAsync(parse.GetValue(period) is { } missing
                    ? $"Perioden '{missing}' finns inte i {tenant.Slug}."
                    : $"{tenant.Slug} har ingen avslutad period; ange --period.");
                return Usage;
            }

            var statuses = host.GetRequiredService<FollowUp.StatusService>();
            var count = int.Parse(parse.GetValue(runs)!, CultureInfo.InvariantCulture);
            for (var run = 1; run <= count; run++)
            {
                var watch = System.Diagnostics.Stopwatch.StartNew();
                var result = await statuses.ComputeAsync(chosen);
                await output.WriteLineAsync($"Körning {run}: {result.Goals.Count:N0} mål och {result.Indicators.Count:N0} indikatorer för {chosen.Name} på {watch.Elapsed.TotalMilliseconds:0} ms.");
            }

            return 0;
        }));
        return command;
    }

    private static Command VerifyAudit(IReadOnlyDictionary<string, string?>? settings)
    {
        var tenant = new Option<string?>("--tenant") { Description = "Kontrollera kommunens kedja.", HelpName = "slug" };
        var system = new Option<bool>("--system") { Description = "Kontrollera installationens kedja (konton, inloggningar)." };
        var command = new Command("verify-audit",
            "Räknar om granskningsloggens kontrollsummor (ADR 14). Resultatet skrivs på standard output; avslutas med 1 och " +
            "namnger den första ändrade, borttagna eller tillagda posten om kedjan är bruten, med 0 om den är hel.") { tenant, system };
        command.Validators.Add(result =>
        {
            if ((result.GetValue(tenant) is null) == !result.GetValue(system))
            {
                result.AddError(SwedishHelp.Own("Ange antingen --tenant {slug} eller --system."));
            }
        });
        command.SetAction((parse, ct) => WithHost(parse, settings, async (host, output, error) =>
        {
            var db = host.GetRequiredService<KedjaDbContext>();
            Guid? tenantId = null;
            var name = "installationen";
            if (parse.GetValue(tenant) is { } slug)
            {
                if (await EnterTenantAsync(host, slug, error, ct) is not { } found)
                {
                    return Usage;
                }

                tenantId = found.TenantId;
                name = found.Slug;
            }

            var report = await AuditChain.VerifyAsync(db, tenantId);
            if (report.Break is { } broken)
            {
                await output.WriteLineAsync($"Granskningsloggen för {name} är bruten efter {report.Entries:N0} hela poster.");
                await output.WriteLineAsync(broken.Reason);
                return Failed;
            }

            await output.WriteLineAsync($"Granskningsloggen för {name} är hel: {report.Entries:N0} poster, senaste kontrollsumma {report.HeadHash}.");
            return 0;
        }));
        return command;
    }

    private static Command DocumentSchemaVerb(IReadOnlyDictionary<string, string?>? settings)
    {
        var command = new Command("document-schema", $"Skriver tenant-dokumentets JSON Schema på standard output (det som ligger i {DocumentSchema.RelativePath}).");
        command.SetAction((parse, ct) => WithHost(parse, settings, async (host, output, error) =>
        {
            await output.WriteAsync(DocumentSchema.Generate(host.GetRequiredService<JsonSerializerOptionsProvider>().Options));
            return 0;
        }));
        return command;
    }

    private static Command OpenDataSchemaVerb(IReadOnlyDictionary<string, string?>? settings)
    {
        var command = new Command("open-data-schema", $"Skriver JSON Schema för de öppna data-filerna på standard output (det som ligger i {Portal.OpenData.OpenDataSchema.RelativePath}).");
        command.SetAction((parse, ct) => WithHost(parse, settings, async (host, output, error) =>
        {
            await output.WriteAsync(Portal.OpenData.OpenDataSchema.Generate(host.GetRequiredService<JsonSerializerOptionsProvider>().Options));
            return 0;
        }));
        return command;
    }

    private static Command SchemaScriptVerb()
    {
        var provider = new Argument<string>("databas") { Description = "sqlite eller postgres.", HelpName = "sqlite|postgres", DefaultValueFactory = _ => "sqlite" };
        var command = new Command("schema-script", "Skriver schemat som EF härleder ur modellen på standard output, som underlag för en ny migrering (ADR 3).") { provider };
        command.Validators.Add(result =>
        {
            if (ProviderOf(result.GetValue(provider)) is null)
            {
                result.AddError(SwedishHelp.Own($"Databasen ska vara sqlite eller postgres, inte '{result.GetValue(provider)}'."));
            }
        });
        command.SetAction(async (parse, ct) =>
        {
            // Needs no host: the script comes from the EF model alone, whatever database is configured.
            await parse.InvocationConfiguration.Output.WriteAsync(SchemaScript.Generate(ProviderOf(parse.GetValue(provider))!.Value));
            return 0;
        });
        return command;
    }

    private static Command Report(IReadOnlyDictionary<string, string?>? settings)
    {
        var tenant = new Option<string>("--tenant") { Description = "Kommunens kortnamn.", HelpName = "slug", Required = true };
        var unit = new Option<string>("--unit") { Description = "Id för enheten rapporten gäller.", HelpName = "id", Required = true };
        var period = new Option<string>("--period") { Description = "Periodens nyckel, t.ex. 2026-T2.", HelpName = "nyckel", Required = true };
        var format = new Option<string>("--format") { Description = "Filformatet: docx (Word), pdf, xlsx (Excel) eller html.", HelpName = "docx|pdf|xlsx|html", Required = true };
        var template = new Option<string>("--template") { Description = "Rapportmallen: tertialrapport, delarsrapport, arsredovisning, malkortsrapport, internkontrollplan, uppfoljning-intern-kontroll, uppdragsredovisning eller kommunens egen.", HelpName = "mall", DefaultValueFactory = _ => "tertialrapport" };
        var scope = new Option<string>("--scope") { Description = "unit: enheten; children: enheten och enheterna närmast under; all: enheten och alla under.", HelpName = "unit|children|all", DefaultValueFactory = _ => "unit" };
        var output = new Option<string>("--out") { Description = "Filen som skrivs (skrivs över om den finns).", HelpName = "fil", Required = true };
        var command = new Command("report", "Skapar en rapport direkt, utan att köa den, med samma innehåll och format som webben ger.") { tenant, unit, period, format, template, scope, output };
        command.Validators.Add(result =>
        {
            if (result.GetValue(unit) is { } id && !Guid.TryParse(id, out _))
            {
                result.AddError(SwedishHelp.Own($"--unit ska vara en enhets id (en GUID), inte '{id}'."));
            }

            if (result.GetValue(format) is { } f && !Kedja.Reports.ReportFormats.TryParse(f, out _))
            {
                result.AddError(SwedishHelp.Own($"--format ska vara docx, pdf, xlsx eller html, inte '{f}'."));
            }

            if (!Reports.ReportScopes.TryParse(result.GetValue(scope), out _))
            {
                result.AddError(SwedishHelp.Own($"--scope ska vara unit, children eller all, inte '{result.GetValue(scope)}'."));
            }
        });
        command.SetAction((parse, ct) => WithHost(parse, settings, async (host, _, error) =>
        {
            if (await EnterTenantAsync(host, parse.GetValue(tenant)!, error, ct) is not { } entered)
            {
                return Usage;
            }

            var request = new Reports.ReportRequest(Guid.Parse(parse.GetValue(unit)!), parse.GetValue(period), parse.GetValue(template)!, Reports.ReportScopes.Stored(parse.GetValue(scope)!));
            var made = await Reports.ReportProduction.MakeAsync(host, request, Reports.ReportScopes.StoredFormat(parse.GetValue(format)!), null, ct);
            if (made.Error is { } refused)
            {
                // A unit, period or template that does not exist is a command-line mistake.
                await error.WriteLineAsync($"Rapporten kunde inte skapas: {refused.Message}");
                return refused.Kind is ServiceErrorKind.NotFound or ServiceErrorKind.Invalid ? Usage : Failed;
            }

            var path = parse.GetValue(output)!;
            await File.WriteAllBytesAsync(path, made.Value!.Content, ct);
            await error.WriteLineAsync($"Skrev {made.Value.FileName} för {entered.Slug} till {path} ({made.Value.Content.Length:N0} byte, SHA-256 {made.Value.Sha256}).");
            return 0;
        }));
        return command;
    }

    private static Command ImportOutcomes(IReadOnlyDictionary<string, string?>? settings) => ImportVerb(settings, "import-outcomes",
        "Importerar utfall och målvärden från en Excel- eller CSV-fil med samma regler och meddelanden som webben; allt eller inget.",
        "Filen med utfall och målvärden: .xlsx eller .csv, som mallen.", Domain.Imports.OutcomeImportKind.Outcomes, (host, name, content, dry, ct) =>
        {
            var imports = host.GetRequiredService<Imports.OutcomeImports>();
            return dry ? CheckOnly(imports.CheckAsync(name, content, cancellationToken: ct)) : imports.ImportAsync(name, content, expectedPlan: null, cancellationToken: ct);
        });

    /// <summary>Budget and outcome from the finance system (SIE or its CSV twin) by <see cref="Imports.Finance.FinanceImports"/>, as the pages do; issue 16.</summary>
    private static Command ImportFinance(IReadOnlyDictionary<string, string?>? settings) => ImportVerb(settings, "import-finance",
        "Importerar budget och utfall från ekonomisystemet (SIE typ 4 eller CSV) med samma regler och meddelanden som webben; allt eller inget.",
        "En SIE-fil (typ 4, PC8) eller en CSV-fil med kolumnerna år;månad;ansvar;konto;belopp;typ.", Domain.Imports.OutcomeImportKind.Finance, (host, name, content, dry, ct) =>
        {
            var imports = host.GetRequiredService<Imports.Finance.FinanceImports>();
            return dry ? CheckOnly(imports.CheckAsync(name, content, cancellationToken: ct)) : imports.ImportAsync(name, content, expectedPlan: null, cancellationToken: ct);
        });

    private static async Task<Imports.ImportRun> CheckOnly(Task<Imports.ImportCheck> check) => new(await check, false, null);

    /// <summary>
    /// The import verbs, one flow for both kinds: read the file, check it (--dry-run) or import it, print every problem
    /// and the summary, log a real run in the import log of its kind, and exit non-zero on any problem or refusal.
    /// </summary>
    private static Command ImportVerb(IReadOnlyDictionary<string, string?>? settings, string verb, string description, string fileDescription, string kind,
        Func<IServiceProvider, string, byte[], bool, CancellationToken, Task<Imports.ImportRun>> run)
    {
        var tenant = new Option<string>("--tenant") { Description = "Kommunens kortnamn.", HelpName = "slug", Required = true };
        var dryRun = new Option<bool>("--dry-run") { Description = "Kontrollera filen och skriv ut vad som skulle hända, utan att spara något." };
        var file = new Argument<string>("fil") { Description = fileDescription };
        var command = new Command(verb, description) { tenant, dryRun, file };
        command.SetAction((parse, ct) => WithHost(parse, settings, async (host, output, error) =>
        {
            var path = parse.GetValue(file)!;
            if (!File.Exists(path))
            {
                await error.WriteLineAsync($"Filen {path} finns inte.");
                return Usage;
            }

            if (await EnterTenantAsync(host, parse.GetValue(tenant)!, error, ct) is null)
            {
                return Usage;
            }

            var content = await File.ReadAllBytesAsync(path, ct);
            var name = Path.GetFileName(path);
            var dry = parse.GetValue(dryRun);
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var done = await run(host, name, content, dry, ct);
            var check = done.Check;
            foreach (var problem in check.Problems)
            {
                await output.WriteLineAsync(Imports.ImportReport.Line(problem));
            }

            if (check.ProblemCount > check.Problems.Count)
            {
                await output.WriteLineAsync($"… och {check.ProblemCount - check.Problems.Count:N0} fel till.");
            }

            await output.WriteLineAsync(Imports.ImportReport.Summary(check));
            await error.WriteLineAsync($"Tog {watch.Elapsed.TotalSeconds.ToString("0.00", Domain.SwedishFormat.Culture)} s.");
            if (!dry)
            {
                await host.GetRequiredService<Imports.ImportJobs>().LogAsync(name, content, done, kind, ct);
            }

            if (done.Refusal is { } refusal)
            {
                await error.WriteLineAsync(refusal);
                return Failed;
            }

            await output.WriteLineAsync(dry
                ? (check.CanImport ? "Provkörning: inget sparades. Filen kan importeras." : "Provkörning: inget sparades.")
                : check.NewRows + check.ChangedRows == 0 ? "Importen är klar. Inget var nytt: allt i filen fanns redan." : "Importen är klar.");
            return check.CanImport ? 0 : Failed;
        }));
        return command;
    }

    /// <summary>Keeps the cards as reported of follow-ups locked before they were kept (<see cref="Periods.LockedCardBackfill"/>); review 16.</summary>
    private static Command TakeLockedCards(IReadOnlyDictionary<string, string?>? settings)
    {
        var tenant = new Option<string>("--tenant") { Description = "Kommunens kortnamn.", HelpName = "slug", Required = true };
        var dryRun = new Option<bool>("--dry-run") { Description = "Skriv ut vilka uppföljningar som saknar sparat målkort, utan att spara något." };
        var command = new Command("take-locked-cards",
            "Sparar målkortet som rapporterat för låsta uppföljningar som låstes innan målkorten sparades (före migrering 0024). Dagens uppgifter är " +
            "det bästa som finns kvar och korten märks så. Uppföljningar som redan har ett sparat målkort lämnas orörda; att köra igen gör inget.")
        {
            tenant, dryRun,
        };
        command.SetAction((parse, ct) => WithHost(parse, settings, async (host, output, error) =>
        {
            if (await EnterTenantAsync(host, parse.GetValue(tenant)!, error, ct) is null)
            {
                return Usage;
            }

            var dry = parse.GetValue(dryRun);
            var taken = await ActivatorUtilities.CreateInstance<Periods.LockedCardBackfill>(host).RunAsync(save: !dry, ct);
            foreach (var card in taken)
            {
                await output.WriteLineAsync($"{card.PeriodKey}\t{card.UnitId}\t{card.UnitName}");
            }

            await error.WriteLineAsync(taken.Count == 0
                ? "Alla låsta uppföljningar har redan ett sparat målkort; inget sparades."
                : dry
                    ? $"Provkörning: {taken.Count} låsta uppföljningar saknar sparat målkort. Inget sparades."
                    : $"Sparade målkortet för {taken.Count} låsta uppföljningar, märkta som tagna i efterhand.");
            return 0;
        }));
        return command;
    }

    private static Command SeedExamples(IReadOnlyDictionary<string, string?>? settings)
    {
        var command = new Command("seed-examples",
            "Skapar de fem mallarnas exempelkommuner (exempel-balanserad-styrning och de andra) som inte redan finns, med publicerade uppföljningar. " +
            "Kortnamnen skrivs på standard output.");
        command.SetAction((parse, ct) => WithHost(parse, settings, async (host, output, error) =>
        {
            await new SchemaMigrator(host.GetRequiredService<KedjaDbContext>()).MigrateAsync(cancellationToken: ct);
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var created = await Demo.TemplateExamples.SeedAsync(host, ct);
            foreach (var slug in created)
            {
                await output.WriteLineAsync(slug);
            }

            await error.WriteLineAsync(created.Count == 0
                ? "Alla exempelkommuner finns redan; inget skapades."
                : $"Skapade {created.Count} av {Demo.TemplateExamples.Slugs.Count} exempelkommuner på {watch.Elapsed.TotalSeconds.ToString("0.0", Domain.SwedishFormat.Culture)} s.");
            return 0;
        }));
        return command;
    }

    /// <summary>
    /// A personal access token for an existing account, for an operator with access to the database (automation for an
    /// account that signs in with two-factor or SSO). Only the token goes to standard output; audited like any token.
    /// </summary>
    private static Command CreateToken(IReadOnlyDictionary<string, string?>? settings)
    {
        var email = new Option<string>("--email") { Description = "E-postadressen till kontot som får nyckeln.", HelpName = "adress", Required = true };
        var days = new Option<string>("--days") { Description = $"Hur många dagar nyckeln gäller (1-{Auth.AccessTokens.MaxDays}).", HelpName = "dagar", Required = true };
        var name = new Option<string?>("--name") { Description = "Ett namn som visar vad nyckeln används till; utan det \"API\".", HelpName = "namn" };
        var command = new Command("create-token", "Skapar en API-nyckel (personal access token) för ett befintligt konto och skriver den på standard output. Nyckeln visas bara den här gången.")
        {
            email, days, name,
        };
        command.Validators.Add(result =>
        {
            if (result.GetValue(days) is { } given && DaysOf(given) is null)
            {
                result.AddError(SwedishHelp.Own($"--days ska vara ett heltal från 1 till {Auth.AccessTokens.MaxDays}, inte '{given}'."));
            }

            if (result.GetValue(name) is { } label && (label.Trim().Length == 0 || label.Trim().Length > 100))
            {
                result.AddError(SwedishHelp.Own("--name ska vara 1-100 tecken."));
            }
        });
        command.SetAction((parse, ct) => WithHost(parse, settings, async (host, output, error) =>
        {
            var address = parse.GetValue(email)!.Trim();
            var users = host.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<KedjaUser>>();
            if (address.Length == 0 || await users.FindByEmailAsync(address) is not { } user)
            {
                await error.WriteLineAsync($"Det finns inget konto med e-postadressen '{address}'.");
                return Usage;
            }

            var (secret, token) = await host.GetRequiredService<Auth.AccessTokens>().CreateAsync(user, parse.GetValue(name), DaysOf(parse.GetValue(days)!),
                "skapad av driften via create-token", Auth.CookieSignIn.OperatorMethod, ct);
            await output.WriteLineAsync(secret);
            await error.WriteLineAsync($"Skapade API-nyckeln {token.Name} för {user.Email}; den gäller till {token.ExpiresAt:yyyy-MM-dd HH:mm} UTC.");
            return 0;
        }));
        return command;
    }

    /// <summary>
    /// ASVS 2.5.7 (ADR 55, docs/operations.md "Förlorad tvåfaktorsenhet"): a person who lost the phone and the recovery
    /// codes gets two-factor reset by the operator once their identity is proved as at enrolment. The key and codes go,
    /// every session ends (new stamp), the person is mailed and the reset is audited as the operator's; an account that
    /// must use two-factor enrols anew at its next sign-in.
    /// </summary>
    private static Command ResetTwoFactor(IReadOnlyDictionary<string, string?>? settings)
    {
        var email = new Option<string>("--email") { Description = "E-postadressen till kontot vars tvåstegsverifiering nollställs.", HelpName = "adress", Required = true };
        var reason = new Option<string>("--reason") { Description = "Hur personens identitet styrktes (ärendenummer e.d.); sparas i granskningsloggen.", HelpName = "skäl", Required = true };
        var command = new Command("reset-two-factor", "Nollställer tvåstegsverifieringen för ett konto vars telefon och reservkoder är förlorade. Alla inloggningar avslutas och personen får ett brev.")
        {
            email, reason,
        };
        command.SetAction((parse, ct) => WithHost(parse, settings, async (host, output, error) =>
        {
            var address = parse.GetValue(email)!.Trim();
            var why = parse.GetValue(reason)!.Trim();
            var users = host.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<KedjaUser>>();
            if (address.Length == 0 || await users.FindByEmailAsync(address) is not { } user)
            {
                await error.WriteLineAsync($"Det finns inget konto med e-postadressen '{address}'.");
                return Usage;
            }

            if (why.Length is 0 or > 200)
            {
                await error.WriteLineAsync("--reason ska vara 1-200 tecken: hur identiteten styrktes.");
                return Usage;
            }

            if (!await host.GetRequiredService<Auth.TwoFactor.SecondFactor>().ResetByOperatorAsync(user, why, ct))
            {
                await error.WriteLineAsync($"{user.Email} har ingen tvåstegsverifiering påslagen; inget ändrades.");
                return 0;
            }

            await output.WriteLineAsync($"Tvåstegsverifieringen för {user.Email} är nollställd; alla inloggningar är avslutade och ett brev har lagts i utkorgen.");
            return 0;
        }));
        return command;
    }

    private static int? DaysOf(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value is >= 1 and <= Auth.AccessTokens.MaxDays ? value : null;

    private static DatabaseProvider? ProviderOf(string? text) => text?.ToLowerInvariant() switch
    {
        "sqlite" => DatabaseProvider.Sqlite,
        "postgres" or "postgresql" => DatabaseProvider.Postgres,
        _ => null,
    };

    /// <summary>Enters the tenant as the installation does for every job (<see cref="TenantAccess.EnterAsSystemAsync"/>).</summary>
    private static async Task<TenantContext?> EnterTenantAsync(IServiceProvider services, string slug, TextWriter error, CancellationToken ct)
    {
        var entered = await services.GetRequiredService<TenantAccess>().EnterAsSystemAsync(slug, ct);
        if (entered.Error is { } missing)
        {
            await error.WriteLineAsync(missing.Message);
            return null;
        }

        return entered.Value;
    }

    /// <summary>
    /// Builds the app's host (configuration checked as at a web start), runs the verb in a scope and turns the
    /// operator's mistakes into one Swedish line. The command line is not configuration: only environment variables and
    /// appsettings configure a verb.
    /// </summary>
    private static async Task<int> WithHost(ParseResult parse, IReadOnlyDictionary<string, string?>? settings, Func<IServiceProvider, TextWriter, TextWriter, Task<int>> verb)
    {
        var output = parse.InvocationConfiguration.Output;
        var error = parse.InvocationConfiguration.Error;
        try
        {
            var builder = WebApplication.CreateBuilder(ContentRoot.Options([]));
            if (settings is not null)
            {
                builder.Configuration.AddInMemoryCollection(settings);
            }

            // Standard output is the verb's product (a schema piped to a file): every log line goes to standard error.
            builder.Logging.ClearProviders();
            builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
            builder.Services.AddKedja(builder.Environment);
            await using var app = KedjaOptions.Build(builder);
            KedjaOptions.Validate(app.Services);
            using var scope = app.Services.CreateScope();
            return await verb(scope.ServiceProvider, output, error);
        }
        catch (StartupException e)
        {
            await error.WriteLineAsync(e.Message);
            return Failed;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"Filen kunde inte läsas eller skrivas: {e.Message}");
            return Failed;
        }
        catch (System.Data.Common.DbException e)
        {
            // A server that is down or a wrong address is the operator's to fix, not a crash with a stack trace.
            await error.WriteLineAsync(
                $"Databasen kunde inte nås eller svarade med ett fel: {e.Message}. Kontrollera inställningarna ConnectionStrings:Kedja och Kedja:Database:Provider, och att databasen är i gång.");
            return Failed;
        }
    }
}
