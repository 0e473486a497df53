using System.Text;
using Kedja.Web.Cli;
using Kedja.Web.Demo;
using Kedja.Web.Reports;

namespace Kedja.Web.Tests.Reports;

/// <summary>The report verb makes the same report as a job, at once, into a file; mistakes exit with 2 and say why in Swedish.</summary>
public sealed class ReportVerbTests
{
    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(KedjaApp? app, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var settings = app is null ? null : new Dictionary<string, string?>
        {
            ["Kedja:Database:Provider"] = app.Provider.ToString(),
            ["ConnectionStrings:Kedja"] = app.ConnectionString,
            ["Kedja:Demo:Seed"] = "false",
        };
        var exitCode = await Verbs.RunAsync(args, output, error, settings);
        return (exitCode, output.ToString(), error.ToString());
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_verb_writes_the_report_to_the_file_and_names_what_it_wrote(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true, settings: ReportJobTests.NoWorker);
        var council = await ReportJobTests.UnitAsync(app);
        var file = Path.Combine(Path.GetTempPath(), $"kedja-report-{Guid.NewGuid():N}.html");
        try
        {
            var (exitCode, output, error) = await RunAsync(app, "report", "--tenant", DemoTenant.Slug, "--unit", council.ToString(), "--period", "2026-T2", "--format", "html",
                "--template", "malkortsrapport", "--scope", "children", "--out", file);

            exitCode.ShouldBe(0, error);
            output.ShouldBeEmpty();
            var bytes = await File.ReadAllBytesAsync(file);
            error.ShouldContain(ReportProduction.Hash(bytes));
            var html = Encoding.UTF8.GetString(bytes);
            html.ShouldContain("Målkortsrapport T2 2026");
            html.ShouldContain("Kommunfullmäktige");
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_unit_or_period_that_does_not_exist_exits_with_2_and_writes_no_file(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true, settings: ReportJobTests.NoWorker);
        var file = Path.Combine(Path.GetTempPath(), $"kedja-report-{Guid.NewGuid():N}.pdf");

        var (exitCode, _, error) = await RunAsync(app, "report", "--tenant", DemoTenant.Slug, "--unit", Guid.NewGuid().ToString(), "--period", "2026-T2", "--format", "pdf", "--out", file);

        exitCode.ShouldBe(Verbs.Usage);
        error.ShouldContain("Rapporten kunde inte skapas: Enheten finns inte.");
        File.Exists(file).ShouldBeFalse();
        var (noTenant, _, tenantError) = await RunAsync(app, "report", "--tenant", "saknas", "--unit", Guid.NewGuid().ToString(), "--period", "2026-T2", "--format", "pdf", "--out", file);
        noTenant.ShouldBe(Verbs.Usage);
        tenantError.ShouldContain("Kommunen 'saknas' finns inte.");
    }

    [Theory]
    [InlineData("--format ska vara docx, pdf, xlsx eller html, inte 'odt'.", "--format", "odt")]
    [InlineData("--scope ska vara unit, children eller all, inte 'grannar'.", "--format", "html", "--scope", "grannar")]
    [InlineData("--unit ska vara en enhets id (en GUID), inte 'fullmäktige'.", "--format", "html", "--unit", "fullmäktige")]
    public async Task A_wrong_command_line_exits_with_2_and_says_why_in_Swedish(string message, params string[] args)
    {
        var common = new List<string> { "report", "--tenant", DemoTenant.Slug, "--period", "2026-T2", "--out", "x.html" };
        if (!args.Contains("--unit"))
        {
            common.AddRange(["--unit", Guid.NewGuid().ToString()]);
        }

        var (exitCode, output, error) = await RunAsync(null, [.. common, .. args]);

        exitCode.ShouldBe(Verbs.Usage);
        output.ShouldBeEmpty();
        error.ShouldContain(message);
    }
}
