using System.CommandLine;
using System.Globalization;
using Kedja.Data.Migrations;
using Kedja.Web.Exchange;
using Kedja.Web.Generation;
using Microsoft.Extensions.DependencyInjection;

namespace Kedja.Web.Cli;

public static partial class Verbs
{
    private static Command GenerateMany(IReadOnlyDictionary<string, string?>? settings)
    {
        var count = new Option<string>("--count") { Description = $"Hur många kommuner (1-{TenantMix.MaxCount}): var tionde M, exakt en L i mitten, resten S.", HelpName = "antal", DefaultValueFactory = _ => "300" };
        var prefix = new Option<string>("--prefix") { Description = "Början på kortnamnen: <prefix>-001-s, <prefix>-010-m, …", HelpName = "prefix", DefaultValueFactory = _ => "kommun" };
        var command = new Command("generate-many", "Skapar många syntetiska kommuner i samma databas för prov av en delad installation; kommuner som redan finns hoppas över.") { count, prefix };
        command.Validators.Add(result =>
        {
            if (result.GetResult(count) is { Implicit: false } && CountOf(result.GetValue(count)) is null)
            {
                result.AddError(SwedishHelp.Own($"--count ska vara ett heltal från 1 till {TenantMix.MaxCount}, inte '{result.GetValue(count)}'."));
            }

            // The longest slug is the prefix and "-1000-s": it must stay a valid slug.
            if (result.GetValue(prefix) is { } given && !TenantDocumentValidator.SlugPattern().IsMatch(given + "-1000-s"))
            {
                result.AddError(SwedishHelp.Own($"--prefix '{given}' ger inga giltiga kortnamn: gemener a-z, siffror och bindestreck, högst 53 tecken."));
            }
        });
        command.SetAction((parse, ct) => WithHost(parse, settings, async (host, output, error) =>
        {
            await new SchemaMigrator(host.GetRequiredService<Kedja.Data.KedjaDbContext>()).MigrateAsync(cancellationToken: ct);
            var result = await host.GetRequiredService<TenantMix>().GenerateAsync(CountOf(parse.GetValue(count))!.Value, parse.GetValue(prefix)!, async (tenant, made) =>
                await output.WriteLineAsync(made is null
                    ? $"{tenant.Slug}\t{tenant.Size}\tfanns redan"
                    : string.Create(CultureInfo.InvariantCulture, $"{tenant.Slug}\t{tenant.Size}\t{made.Units} enheter\t{made.Outcomes} utfall\t{made.Elapsed.TotalSeconds:0.0} s")), ct);
            // The rows are tab-separated for scripts (invariant numbers); the summary is for a person, in Swedish.
            await error.WriteLineAsync(string.Create(CultureInfo.GetCultureInfo("sv-SE"),
                $"Skapade {result.Made:N0} kommuner ({result.Outcomes:N0} utfall), {result.Skipped:N0} fanns redan, på {result.Elapsed.TotalSeconds:0.0} s."));
            return 0;
        }));
        return command;
    }

    private static int? CountOf(string? text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= TenantMix.MaxCount ? n : null;
}
