using System.Diagnostics;
using System.Text.Json;
using Kedja.Web.Cli;
using Kedja.Web.Exchange;

namespace Kedja.Web.Tests;

/// <summary>The command line as an operator meets it: help, argument errors and what goes to which stream (ADR 16).</summary>
public class VerbTests
{
    private static readonly string[] EnglishFromTheParser = ["Usage:", "Options:", "Description:", "Commands:", "Required", "Unrecognized", "Option '", "Argument '", "Show help"];

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exitCode = await Verbs.RunAsync(args, output, error);
        return (exitCode, output.ToString(), error.ToString());
    }

    [Theory]
    [InlineData("migrate", "<till-id>")]
    [InlineData("export", "<slug>", "<fil>")]
    [InlineData("import", "<fil>", "--slug <slug>")]
    [InlineData("generate", "--size <S|M|L>", "--slug <slug>")]
    [InlineData("generate-many", "--count <antal>", "--prefix <prefix>")]
    [InlineData("recompute", "--slug <slug>", "--period <nyckel>", "--runs <antal>")]
    [InlineData("verify-audit", "--tenant <slug>", "--system")]
    [InlineData("document-schema")]
    [InlineData("open-data-schema")]
    [InlineData("schema-script", "<sqlite|postgres>")]
    [InlineData("report", "--tenant <slug>", "--unit <id>", "--period <nyckel>", "--format <docx|pdf|xlsx|html>", "--template <mall>", "--scope <unit|children|all>", "--out <fil>")]
    [InlineData("import-outcomes", "--tenant <slug>", "--dry-run", "<fil>")]
    [InlineData("import-finance", "--tenant <slug>", "--dry-run", "<fil>")]
    [InlineData("seed-examples")]
    [InlineData("create-token", "--email <adress>", "--days <dagar>", "--name <namn>")]
    [InlineData("reset-two-factor", "--email <adress>", "--reason <skäl>")]
    [InlineData("take-locked-cards", "--tenant <slug>", "--dry-run")]
    [InlineData("backup", "--out <fil>")]
    [InlineData("restore", "<fil>", "--force")]
    [InlineData("export-all", "<mapp>")]
    [InlineData("import-all", "<mapp>")]
    public async Task Every_verb_explains_itself_and_its_options_in_swedish(string verb, params string[] expected)
    {
        var (exitCode, output, error) = await RunAsync(verb, "--help");

        exitCode.ShouldBe(0);
        error.ShouldBeEmpty();
        output.ShouldContain("Användning:");
        output.ShouldContain($"Kedja.Web {verb}");
        output.ShouldContain("--help  ");
        foreach (var text in expected)
        {
            output.ShouldContain(text);
        }

        output.ShouldNotContain("--urls");
        foreach (var english in EnglishFromTheParser)
        {
            output.ShouldNotContain(english);
        }
    }

    [Fact]
    public async Task The_general_help_lists_every_verb_and_how_the_web_server_starts()
    {
        var (exitCode, output, error) = await RunAsync("--help");

        exitCode.ShouldBe(0);
        error.ShouldBeEmpty();
        var verbs = Verbs.Build().Subcommands.Select(c => c.Name).ToList();
        verbs.ShouldBe(["migrate", "export", "import", "generate", "generate-many", "recompute", "verify-audit", "document-schema", "open-data-schema", "schema-script", "report", "import-outcomes", "import-finance", "seed-examples", "create-token", "reset-two-factor", "take-locked-cards", "backup", "restore", "export-all", "import-all"], ignoreOrder: true);
        foreach (var verb in verbs)
        {
            output.ShouldContain($"  {verb}");
        }

        output.ShouldContain("startar webbservern");
        output.ShouldContain("Kommandon:");
    }

    [Theory]
    [InlineData("seed-examples")]
    [InlineData("migrate")]
    [InlineData("export", "exempelkommun", "/tmp/kedja-verb-unreachable.json")]
    public async Task A_database_that_cannot_be_reached_is_one_Swedish_line_and_exit_code_1_not_a_crash(params string[] args)
    {
        // Nothing listens on port 1: the connection is refused at once.
        var settings = new Dictionary<string, string?>
        {
            ["Kedja:Database:Provider"] = "Postgres", ["ConnectionStrings:Kedja"] = "Host=127.0.0.1;Port=1;Username=kedja;Password=x;Database=kedja;Timeout=3",
        };
        var output = new StringWriter();
        var error = new StringWriter();

        var exitCode = await Verbs.RunAsync(args, output, error, settings);

        exitCode.ShouldBe(Verbs.Failed, error.ToString());
        output.ToString().ShouldBeEmpty();
        var said = error.ToString();
        said.ShouldContain("Databasen kunde inte nås");
        said.ShouldContain("ConnectionStrings:Kedja");
        said.ShouldNotContain("   at ", Case.Sensitive, "no stack trace");
    }

    [Fact]
    public async Task The_general_help_keeps_its_descriptions_in_a_column_that_fits_a_terminal()
    {
        var (_, output, _) = await RunAsync("--help");

        // report's long synopsis stands on a line of its own; every description starts within the first 50 columns.
        var lines = output.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        lines.ShouldNotContain(l => System.Text.RegularExpressions.Regex.IsMatch(l, @"\S {40,}\S"), output);
        var migrate = lines.Single(l => l.StartsWith("  migrate ", StringComparison.Ordinal));
        migrate.IndexOf("Kör databasens väntande schemamigreringar", StringComparison.Ordinal).ShouldBeInRange(10, 50, migrate);
        var report = lines.FindIndex(l => l.StartsWith("  report --tenant", StringComparison.Ordinal));
        lines[report].ShouldEndWith("--out <fil>");
        lines[report + 1].TrimStart().ShouldStartWith("Skapar en rapport direkt");
        lines[report + 1].IndexOf("Skapar", StringComparison.Ordinal).ShouldBe(migrate.IndexOf("Kör", StringComparison.Ordinal), "in the same column");
    }

    [Theory]
    [InlineData("Flaggan --slug krävs.", "recompute")]
    [InlineData("Flaggan --slug saknar värde.", "recompute", "--slug")]
    [InlineData("--runs ska vara ett heltal från 1 till 1000, inte 'många'.", "recompute", "--slug", "exempelkommun", "--runs", "många")]
    [InlineData("Okänt argument till recompute: '--okänd'.", "recompute", "--slug", "exempelkommun", "--okänd")]
    [InlineData("<slug> saknas.", "export")]
    [InlineData("<fil> saknas.", "export", "exempelkommun")]
    [InlineData("Flaggan --slug krävs.", "import", "kommun.json")]
    [InlineData("Ange antingen --tenant {slug} eller --system.", "verify-audit")]
    [InlineData("Ange antingen --tenant {slug} eller --system.", "verify-audit", "--tenant", "exempelkommun", "--system")]
    [InlineData("--size ska vara S, M eller L, inte 'XL'.", "generate", "--size", "XL")]
    [InlineData("--slug 'Stora Staden' är inget giltigt kortnamn", "generate", "--slug", "Stora Staden")]
    [InlineData("--count ska vara ett heltal från 1 till 1000, inte '0'.", "generate-many", "--count", "0")]
    [InlineData("--prefix 'Stora' ger inga giltiga kortnamn", "generate-many", "--prefix", "Stora")]
    [InlineData("Databasen ska vara sqlite eller postgres, inte 'mysql'.", "schema-script", "mysql")]
    [InlineData("Okänt argument till migrate: 'b'.", "migrate", "a", "b")]
    [InlineData("Okänt argument till document-schema: 'fil.json'.", "document-schema", "fil.json")]
    public async Task A_wrong_command_line_exits_with_2_and_says_why_in_swedish_on_stderr_only(string message, params string[] args)
    {
        var (exitCode, output, error) = await RunAsync(args);

        exitCode.ShouldBe(Verbs.Usage);
        output.ShouldBeEmpty();
        error.ShouldContain(message);
        error.ShouldContain($"\"Kedja.Web {args[0]} --help\" visar hur kommandot används.");
        foreach (var english in EnglishFromTheParser)
        {
            error.ShouldNotContain(english);
        }
    }

    [Fact]
    public async Task An_unknown_verb_exits_with_2_and_suggests_the_nearest_one()
    {
        var (exitCode, output, error) = await RunAsync("migrat");

        exitCode.ShouldBe(Verbs.Usage);
        output.ShouldBeEmpty();
        error.ShouldContain("Okänt kommando: 'migrat'. Menade du migrate?");
        error.ShouldContain("\"Kedja.Web --help\" visar alla kommandon.");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(false, "--urls", "http://localhost:5080")]
    [InlineData(false, "--environment=Production", "--urls", "http://localhost:5080")]
    [InlineData(false, "urls=http://localhost:5080")]
    [InlineData(true, "migrate")]
    [InlineData(true, "--help")]
    [InlineData(true, "-h")]
    [InlineData(true, "frobnicate")]
    public void Only_a_word_or_help_is_a_verb_and_asp_net_arguments_start_the_web_server(bool verb, params string[] args) =>
        Verbs.IsVerb(args).ShouldBe(verb);
}

/// <summary>Verbs as real processes, for what only a process shows: its streams, its exit code, that it ends.</summary>
public class VerbProcessTests
{
    internal static async Task<(int ExitCode, string Output, string Error)> RunKedjaAsync(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Kedja.Web.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"Kedja.Web {string.Join(" ", args)} slutade inte inom en minut (startade den webbservern?).");
        }

        return (process.ExitCode, await output, await error);
    }

    [Fact]
    public async Task Document_schema_writes_only_the_committed_schema_to_stdout_even_with_every_log_on()
    {
        var (exitCode, output, error) = await RunKedjaAsync(
            new Dictionary<string, string>
            {
                // The most a log could say, in the environment where the app says most.
                ["DOTNET_ENVIRONMENT"] = "Development",
                ["ASPNETCORE_ENVIRONMENT"] = "Development",
                ["Logging__LogLevel__Default"] = "Trace",
            },
            "document-schema");

        exitCode.ShouldBe(0, error);
        using (JsonDocument.Parse(output))
        {
        }

        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "Kedja.slnx")))
        {
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("Hittar inte lösningens rot.");
        }

        output.ShouldBe(await File.ReadAllTextAsync(Path.Combine(root, DocumentSchema.RelativePath)));
    }

    [Fact]
    public async Task Bad_arguments_and_an_unknown_verb_end_the_process_with_2_instead_of_a_crash_or_a_web_server()
    {
        var missing = await RunKedjaAsync(new Dictionary<string, string>(), "recompute");
        missing.ExitCode.ShouldBe(Verbs.Usage);
        missing.Output.ShouldBeEmpty();
        missing.Error.ShouldContain("Flaggan --slug krävs.");

        var unknown = await RunKedjaAsync(new Dictionary<string, string>(), "frobnicate", "--urls", "http://127.0.0.1:5119");
        unknown.ExitCode.ShouldBe(Verbs.Usage);
        unknown.Output.ShouldBeEmpty();
        unknown.Error.ShouldContain("Okänt kommando: 'frobnicate'.");
    }
}
