using System.CommandLine;
using Kedja.Data;
using Kedja.Web.Backups;
using Microsoft.Extensions.Options;

namespace Kedja.Web.Cli;

/// <summary>
/// backup, restore, export-all and import-all (issue 18, ADR 50): parsing and printing only; the work is in
/// <see cref="Backups"/>. The hash of a backup goes to standard output (the verb's product); the rest to standard error.
/// </summary>
public static partial class Verbs
{
    private static Command Backup(IReadOnlyDictionary<string, string?>? settings)
    {
        var file = new Option<string>("--out") { Description = "Filen som skrivs (skrivs över om den finns); kontrollsumman skrivs bredvid som {fil}.sha256.", HelpName = "fil", Required = true };
        var command = new Command("backup",
            "Säkerhetskopierar databasen medan Kedja är i gång: SQLite med SQLites backup-API, PostgreSQL med pg_dump. Filens SHA-256 skrivs på " +
            "standard output och bredvid filen. Återställ med restore; för hela PostgreSQL-klustret och återställning till en tidpunkt, se docs/operations.md.")
        {
            file,
        };
        command.SetAction((parse, ct) => WithHost(parse, settings, (host, output, error) => Refusals(error, async () =>
        {
            var database = host.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            var made = database.Provider == DatabaseProvider.Sqlite
                ? await SqliteBackup.BackupAsync(database.ConnectionString!, parse.GetValue(file)!, ct)
                : await PostgresDump.BackupAsync(database.ConnectionString!, parse.GetValue(file)!, ct);
            await output.WriteLineAsync($"{made.Sha256}  {made.File}");
            await error.WriteLineAsync(
                $"Säkerhetskopierade databasen ({database.Provider}, schema {made.Schema}) till {made.File}: {made.Bytes.ToString("N0", Domain.SwedishFormat.Culture)} byte på " +
                $"{made.Elapsed.TotalSeconds.ToString("0.0", Domain.SwedishFormat.Culture)} s. Kontrollsumman står i {BackupHash.PathFor(made.File)}.");
            return 0;
        })));
        return command;
    }

    private static Command Restore(IReadOnlyDictionary<string, string?>? settings)
    {
        var file = new Argument<string>("fil") { Description = "En säkerhetskopia från backup, med sin {fil}.sha256 bredvid." };
        var force = new Option<bool>("--force") { Description = "Ersätt en databas som redan har innehåll (SQLite: den gamla filen sparas bredvid som .replaced-{tid})." };
        var command = new Command("restore",
            "Återställer databasen från en säkerhetskopia: kontrollerar kontrollsumman, att filen är hel och att schemat inte är nyare än den här " +
            "versionen av Kedja. Vägrar en databas som används och, utan --force, en som har innehåll. Vid fel lämnas databasen orörd.")
        {
            file, force,
        };
        command.SetAction((parse, ct) => WithHost(parse, settings, (host, output, error) => Refusals(error, async () =>
        {
            var database = host.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            var path = parse.GetValue(file)!;
            var done = database.Provider == DatabaseProvider.Sqlite
                ? await SqliteBackup.RestoreAsync(path, database.ConnectionString!, parse.GetValue(force), host.GetRequiredService<TimeProvider>(), ct)
                : await PostgresDump.RestoreAsync(path, database.ConnectionString!, parse.GetValue(force), ct);
            await error.WriteLineAsync(
                $"Återställde {done.Target} från {path} (SHA-256 {done.Sha256}, schema {done.Schema}) på {done.Elapsed.TotalSeconds.ToString("0.0", Domain.SwedishFormat.Culture)} s." +
                (done.Replaced is { } replaced ? $" Den gamla databasen ligger kvar som {replaced}." : "") +
                " Migreringar som saknas körs när Kedja startar (eller med migrate).");
            return 0;
        })));
        return command;
    }

    private static Command ExportAll(IReadOnlyDictionary<string, string?>? settings)
    {
        var folder = new Argument<string>("mapp") { Description = "En ny eller tom mapp; varje kommun skrivs som {slug}.json, kontrollsummorna i SHA256SUMS." };
        var command = new Command("export-all", "Skriver alla kommuner som tenant-dokument, en fil per kommun: varje kommuns logiska säkerhetskopia. Kortnamnen skrivs på standard output.") { folder };
        command.SetAction((parse, ct) => WithHost(parse, settings, (host, output, error) => Refusals(error, async () =>
        {
            await new Data.Migrations.SchemaMigrator(host.GetRequiredService<KedjaDbContext>()).MigrateAsync(cancellationToken: ct);
            var written = await ActivatorUtilities.CreateInstance<TenantFolder>(host).ExportAllAsync(parse.GetValue(folder)!, t => output.WriteLineAsync(t.Slug), ct);
            await error.WriteLineAsync($"Exporterade {written.Count} kommuner till {parse.GetValue(folder)} ({written.Sum(t => t.Bytes).ToString("N0", Domain.SwedishFormat.Culture)} byte).");
            return 0;
        })));
        return command;
    }

    private static Command ImportAll(IReadOnlyDictionary<string, string?>? settings)
    {
        var folder = new Argument<string>("mapp") { Description = "En mapp från export-all." };
        var command = new Command("import-all",
            "Skapar varje kommun i mappen från dess tenant-dokument, med kortnamnet i dokumentet. Alla filer kontrolleras (även mot SHA256SUMS) innan " +
            "något sparas; varje kommun sparas i en egen transaktion. Kortnamnen skrivs på standard output.") { folder };
        command.SetAction((parse, ct) => WithHost(parse, settings, (host, output, error) => Refusals(error, async () =>
        {
            await new Data.Migrations.SchemaMigrator(host.GetRequiredService<KedjaDbContext>()).MigrateAsync(cancellationToken: ct);
            var imported = await ActivatorUtilities.CreateInstance<TenantFolder>(host).ImportAllAsync(parse.GetValue(folder)!, t => output.WriteLineAsync(t.Slug), ct);
            await error.WriteLineAsync($"Importerade {imported.Count} kommuner från {parse.GetValue(folder)}.");
            return 0;
        })));
        return command;
    }

    /// <summary>A refused backup or restore is one Swedish line (or a list) and exit 1, or 2 for a missing file.</summary>
    private static async Task<int> Refusals(TextWriter error, Func<Task<int>> verb)
    {
        try
        {
            return await verb();
        }
        catch (BackupRefusedException e)
        {
            await error.WriteLineAsync(e.Message);
            return e.Usage ? Usage : Failed;
        }
    }
}
