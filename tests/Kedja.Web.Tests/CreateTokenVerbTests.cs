using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Kedja.Data;
using Kedja.Web.Auth;
using Kedja.Web.Cli;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Tests;

/// <summary>create-token: a token for an existing account, for the operator with the database (ADR 45, ADR 16 exit codes).</summary>
public sealed class CreateTokenVerbTests
{
    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(KedjaApp app, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var settings = new Dictionary<string, string?>
        {
            ["Kedja:Database:Provider"] = app.Provider.ToString(),
            ["ConnectionStrings:Kedja"] = app.ConnectionString,
            ["Kedja:Demo:Seed"] = "false",
        };
        var exitCode = await Verbs.RunAsync(args, output, error, settings);
        return (exitCode, output.ToString(), error.ToString());
    }

    private static async Task<int> TokenCountAsync(KedjaApp app)
    {
        using var scope = app.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<KedjaDbContext>().AccessTokens.CountAsync();
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_verb_prints_only_a_working_token_for_the_account_and_the_audit_says_the_operator_made_it(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, settings: new Dictionary<string, string?> { ["Kedja:Accounts:RequireTwoFactorForSystemAdmins"] = "true" });

        var (exitCode, output, error) = await RunAsync(app, "create-token", "--email", KedjaApp.AdminEmail.ToUpperInvariant(), "--days", "30", "--name", "nattlig export");

        exitCode.ShouldBe(0, error);
        var token = output.TrimEnd('\n', '\r');
        token.ShouldStartWith("kedja_");
        token.ShouldNotContain("\n");
        error.ShouldContain("nattlig export");
        error.ShouldNotContain(token);

        // An account that must use two-factor gets no token for its password; the operator's token works.
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var listed = await client.GetFromJsonAsync<List<TokenInfo>>("/api/v1/auth/tokens");
        var made = listed.ShouldHaveSingleItem();
        made.Name.ShouldBe("nattlig export");
        (made.ExpiresAt!.Value - made.CreatedAt).ShouldBe(TimeSpan.FromDays(30));

        using var scope = app.Services.CreateScope();
        var entry = await scope.ServiceProvider.GetRequiredService<KedjaDbContext>().AuditEntries.IgnoreQueryFilters()
            .SingleAsync(a => a.Entity == AccountAudit.Token && a.Action == "Created");
        entry.EntityId.ShouldBe(made.Id.ToString());
        entry.UserName.ShouldBe("skapad av driften via create-token");
        entry.After!.ShouldNotContain(token);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("366")]
    [InlineData("tio")]
    [InlineData("-5")]
    public async Task Days_outside_1_to_365_are_refused_in_Swedish_and_make_nothing(string days)
    {
        await using var app = await KedjaApp.StartAsync(nameof(DatabaseProvider.Sqlite));

        var (exitCode, output, error) = await RunAsync(app, "create-token", "--email", KedjaApp.AdminEmail, "--days", days);

        exitCode.ShouldBe(Verbs.Usage);
        output.ShouldBeEmpty();
        error.ShouldContain("--days ska vara ett heltal från 1 till 365");
        (await TokenCountAsync(app)).ShouldBe(0);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_unknown_address_or_a_missing_option_is_refused_in_Swedish_and_makes_nothing(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider);

        var (exitCode, output, error) = await RunAsync(app, "create-token", "--email", "ingen@test.kedja", "--days", "5");
        exitCode.ShouldBe(Verbs.Usage);
        output.ShouldBeEmpty();
        error.ShouldContain("Det finns inget konto med e-postadressen 'ingen@test.kedja'.");

        var (missing, missingOutput, missingError) = await RunAsync(app, "create-token", "--email", KedjaApp.AdminEmail);
        missing.ShouldBe(Verbs.Usage);
        missingOutput.ShouldBeEmpty();
        missingError.ShouldContain("--days");
        (await TokenCountAsync(app)).ShouldBe(0);
    }
}
