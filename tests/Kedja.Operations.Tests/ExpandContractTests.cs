using System.Text.RegularExpressions;

namespace Kedja.Operations.Tests;

/// <summary>
/// Expand and contract (docs/operations.md "Upgrades", ADR 52): the migrations of a release must not break the previous
/// release's code, which still runs on the nodes not yet upgraded. What a script can be seen to break is refused here:
/// dropping or renaming a table or column, changing a column's type, and a new NOT NULL without a default (the old code's
/// INSERT does not name the column). A deliberate contract step – removing what the previous release already stopped
/// using – says so on a line "-- kedja:contract {why}" and is let through.
/// </summary>
public sealed partial class ExpandContractTests
{
    private const string ContractMarker = "-- kedja:contract ";

    [GeneratedRegex(@"\bDROP\s+(COLUMN|TABLE)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Drop();

    [GeneratedRegex(@"\bRENAME\b", RegexOptions.IgnoreCase)]
    private static partial Regex Rename();

    [GeneratedRegex(@"\bALTER\s+COLUMN\s+\S+\s+(SET\s+NOT\s+NULL|(SET\s+DATA\s+)?TYPE)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Tighten();

    [GeneratedRegex(@"\bADD\s+(COLUMN\s+)?(?!CONSTRAINT)\S+\s[^;]*\bNOT\s+NULL\b", RegexOptions.IgnoreCase)]
    private static partial Regex AddNotNull();

    [GeneratedRegex(@"\bDEFAULT\b", RegexOptions.IgnoreCase)]
    private static partial Regex Default();

    /// <summary>What in one script would break the previous release's code; empty when it only expands.</summary>
    public static List<string> Breaking(string sql)
    {
        if (sql.Split('\n').Any(l => l.TrimStart().StartsWith(ContractMarker, StringComparison.Ordinal)))
        {
            return [];
        }

        var withoutComments = string.Join('\n', sql.Split('\n').Select(l => l.Contains("--", StringComparison.Ordinal) ? l[..l.IndexOf("--", StringComparison.Ordinal)] : l));
        var found = new List<string>();
        foreach (var statement in withoutComments.Split(';').Select(s => Regex.Replace(s, @"\s+", " ").Trim()).Where(s => s.Length > 0))
        {
            if (Drop().IsMatch(statement) || Rename().IsMatch(statement) || Tighten().IsMatch(statement)
                || (AddNotNull().IsMatch(statement) && !Default().IsMatch(statement) && statement.StartsWith("ALTER", StringComparison.OrdinalIgnoreCase)))
            {
                found.Add(statement.Length > 160 ? statement[..160] + "…" : statement);
            }
        }

        return found;
    }

    [Fact]
    public async Task The_migrations_newer_than_the_previous_release_only_expand()
    {
        var release = await Git.PreviousReleaseCommitAsync();
        var problems = new List<string>();
        var newer = 0;
        foreach (var provider in new[] { "Sqlite", "Postgres" })
        {
            var folder = $"src/Kedja.Data/Migrations/{provider}";
            var (exit, listing) = await Git.RunAsync(["ls-tree", "--name-only", release, folder + "/"]);
            exit.ShouldBe(0, listing);
            var released = listing.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(Path.GetFileName).ToHashSet(StringComparer.Ordinal);
            released.ShouldNotBeEmpty($"{Git.PreviousRelease} has migrations under {folder}");
            foreach (var file in Directory.GetFiles(Path.Combine(Kedja.Root, folder), "*.sql").Order(StringComparer.Ordinal))
            {
                if (released.Contains(Path.GetFileName(file)))
                {
                    continue;
                }

                newer++;
                problems.AddRange(Breaking(await File.ReadAllTextAsync(file)).Select(s => $"{folder}/{Path.GetFileName(file)}: {s}"));
            }
        }

        Console.WriteLine($"[upgrade] {newer} migration scripts newer than {Git.PreviousRelease} checked for expand and contract");
        problems.ShouldBeEmpty(
            $"These statements would break {Git.PreviousRelease}'s code during a rolling upgrade. Expand now (add nullable or with a default), " +
            "contract a release later, marked \"-- kedja:contract {why}\" (docs/operations.md, Upgrades)");
    }

    [Theory]
    [InlineData("ALTER TABLE goals DROP COLUMN title;")]
    [InlineData("ALTER TABLE goals RENAME COLUMN title TO name;")]
    [InlineData("ALTER TABLE goals RENAME TO aims;")]
    [InlineData("DROP TABLE goals;")]
    [InlineData("ALTER TABLE goals ADD COLUMN owner_id uuid NOT NULL;")]
    [InlineData("ALTER TABLE goals ADD owner_id uuid NOT NULL;")]
    [InlineData("ALTER TABLE goals ALTER COLUMN title SET NOT NULL;")]
    [InlineData("ALTER TABLE goals ALTER COLUMN title TYPE varchar(40);")]
    public void A_contracting_statement_is_found(string sql) => Breaking("-- a comment\n" + sql).ShouldNotBeEmpty();

    [Theory]
    [InlineData("ALTER TABLE goals ADD COLUMN note varchar(40);")]
    [InlineData("ALTER TABLE goals ADD COLUMN note varchar(40) NULL;")]
    [InlineData("ALTER TABLE goals ADD COLUMN weight integer NOT NULL DEFAULT 0;")]
    [InlineData("CREATE TABLE probes (id integer NOT NULL PRIMARY KEY, name varchar(40) NOT NULL);")]
    [InlineData("CREATE INDEX ix_goals_title ON goals (tenant_id, title); -- not a DROP COLUMN")]
    [InlineData("-- kedja:contract goals.old_title unused since release 17\nALTER TABLE goals DROP COLUMN old_title;")]
    public void An_expanding_statement_passes(string sql) => Breaking(sql).ShouldBeEmpty();
}
