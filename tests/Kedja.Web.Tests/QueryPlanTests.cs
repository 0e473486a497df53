using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Kedja.Data;
using Kedja.Web.Demo;
using Kedja.Web.FollowUp;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Kedja.Web.Tests;

/// <summary>
/// SQLite keeps no statistics here (no ANALYZE is run), so it plans by the shape of a query alone, and a shape it plans
/// badly reads a whole tenant's table: on the large tenant the first scorecard after a write took seconds (ADR 19).
/// The plans do not depend on the amount of data, so the demo tenant shows what L would get; they do depend on how many
/// values a list holds (goals by model instead of by id from three ids on), so the test sends lists as L does.
/// </summary>
public class QueryPlanTests
{
    /// <summary>
    /// Tables a query may read whole for one tenant, each small by nature. Every other table grows with a municipality
    /// (goals, indicators, outcomes, units, memberships ...) or spans all tenants (tenants, users, access tokens), and is
    /// read by index only.
    /// </summary>
    private static readonly HashSet<string> SmallTables =
    [
        // One model per mandate period or so.
        "governance_models",
        // A model's levels: three to six.
        "goal_levels",
        // A model's status scale: three to six steps.
        "scale_levels",
        // A model's perspectives or strategic areas: a handful.
        "dimensions",
        // A few follow-up periods a year: about thirty over ten years on L.
        "follow_up_periods",
        // Cross-cutting programs: tens in a municipality, not one per unit or goal.
        "programs",
        // Reorganisations: a few a year (the first write of the day asks whether one is due).
        "reorganisations",
    ];

    /// <summary>
    /// Columns on which a range after tenant_id is the point of the query, not a null test that SQLite turned into one
    /// ("goal_id IS NOT NULL" plans as goal_id&gt;?, which reads every row that has a goal).
    /// </summary>
    private static readonly HashSet<(string Table, string Column)> RangeKeys =
    [
        // The changes since the version a node holds: a few rows per write.
        ("status_changes", "version"),
    ];

    /// <summary>
    /// Columns whose one value picks a large share of a tenant's rows: a seek by them alone reads, say, every goal of the
    /// model or every outcome of the period (50,000 on L). Only a column that names one goal, indicator, unit or row
    /// narrows a seek.
    /// </summary>
    private static readonly HashSet<(string Table, string Column)> CoarseKeys =
    [
        // A tenant has one model or a few, each with a handful of levels and dimensions.
        ("goals", "model_id"), ("goals", "level_id"), ("goals", "dimension_id"),
        // One period holds a row for every indicator, goal or unit of the tenant.
        ("outcomes", "period_key"), ("indicator_targets", "period_key"), ("assessments", "period_id"), ("activity_comments", "period_id"),
        ("unit_period_statuses", "period_id"), ("report_snapshots", "period_id"),
        // An entity type ("Outcome") names most of the log.
        ("audit_entries", "entity"),
    ];

    [Fact]
    public async Task After_a_write_the_scorecard_reads_seek_by_index_on_SQLite_and_never_read_a_whole_table_of_the_tenant()
    {
        await using var app = await KedjaApp.StartAsync(nameof(DatabaseProvider.Sqlite), seedDemo: true);
        var cache = app.Services.GetRequiredService<StatusCache>();
        var client = await app.ClientAsync();
        var tenant = $"/api/v1/tenants/{DemoTenant.Slug}";
        var units = (await client.GetFromJsonAsync<JsonElement>($"{tenant}/units")).EnumerateArray().ToList();
        Guid Id(JsonElement unit) => unit.GetProperty("id").GetGuid();
        JsonElement Named(string name) => units.Single(u => u.GetProperty("name").GetString() == name);
        var council = Id(units.Single(u => u.GetProperty("parentId").ValueKind == JsonValueKind.Null));
        var library = Named("Biblioteket");
        var committee = library;
        while (committee.GetProperty("kind").GetString() != "committee")
        {
            committee = units.Single(u => Id(u) == committee.GetProperty("parentId").GetGuid());
        }

        // Two units' indicators, so that a write touches two goals and the lists in SQL have more than one value (EF
        // writes "x = 'id'" for one, which SQLite plans well whatever surrounds it).
        var cards = new[] { Id(library), Id(Named("Badhuset")), Id(committee), council }
            .Select(unit => $"{tenant}/units/{unit}/scorecard?periodKey=2026-T2").ToList();
        var written = new List<(Guid Indicator, int? Version)>();
        foreach (var card in cards[..2])
        {
            var indicator = ScorecardJson.Goals(await client.GetFromJsonAsync<JsonElement>(card)).First().GetProperty("indicators").EnumerateArray()
                .First(i => i.GetProperty("outcomePeriod").GetString() == "2026-T2").GetProperty("id").GetGuid();
            var version = (await client.GetFromJsonAsync<JsonElement>($"{tenant}/indicators/{indicator}/outcomes")).EnumerateArray()
                .Single(o => o.GetProperty("periodKey").GetString() == "2026-T2").GetProperty("version").GetInt32();
            written.Add((indicator, version));
        }

        async Task WriteAsync(decimal value)
        {
            for (var i = 0; i < written.Count; i++)
            {
                var put = await client.PutAsJsonAsync($"{tenant}/indicators/{written[i].Indicator}/outcomes/2026-T2", new { value, version = written[i].Version });
                put.StatusCode.ShouldBe(HttpStatusCode.OK, await put.Content.ReadAsStringAsync());
                written[i] = (written[i].Indicator, (await put.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("version").GetInt32());
            }
        }

        async Task ReadAsync()
        {
            foreach (var card in cards)
            {
                (await client.GetAsync(card)).StatusCode.ShouldBe(HttpStatusCode.OK);
            }
        }

        // Each unit's chain computed on its own (the demo's chains are all below StatusService.PartialLimit).
        await ReadAsync();
        string connectionString;
        using (var scope = app.Services.CreateScope())
        {
            connectionString = scope.ServiceProvider.GetRequiredService<KedjaDbContext>().Database.GetConnectionString()!;
        }

        using var capture = new CommandCapture(new SqliteConnectionStringBuilder(connectionString).DataSource);

        // The partial-chain path: each unit's chain brought up to date from its previous result.
        var updates = cache.Updates;
        capture.On = true;
        await WriteAsync(4711m);
        await ReadAsync();
        capture.On = false;
        (cache.Updates - updates).ShouldBe(cards.Count, "every unit's chain was updated after the write, not computed afresh");

        // The held-period path: once a node holds the whole period (the council's card on L), every card is served from
        // it, brought up to date after a write. Computing the period reads whole tables legitimately and is not checked.
        var (periodScope, db) = app.DbFor(DemoTenant.Slug);
        using (periodScope)
        {
            await periodScope.ServiceProvider.GetRequiredService<StatusService>().ForPeriodAsync(await db.Periods.AsNoTracking().SingleAsync(p => p.Key == "2026-T2"));
        }

        updates = cache.Updates;
        capture.On = true;
        await WriteAsync(42m);
        await ReadAsync();
        capture.On = false;
        (cache.Updates - updates).ShouldBe(1, "the held period was updated after the write and served every card");

        var offences = new List<string>();
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        // EXPLAIN never runs a statement; the transaction is there in case a command held more than one.
        await using var transaction = connection.BeginTransaction();
        foreach (var command in capture.Commands)
        {
            foreach (var statement in Statements(command.Sql))
            {
                await using var explain = connection.CreateCommand();
                explain.Transaction = transaction;
                explain.CommandText = "EXPLAIN QUERY PLAN " + statement;
                foreach (var p in command.Parameters)
                {
                    explain.Parameters.Add(new SqliteParameter(p.Name, p.Type) { Value = p.Value ?? DBNull.Value });
                }

                var plan = new List<string>();
                await using (var reader = await explain.ExecuteReaderAsync())
                {
                    while (await reader.ReadAsync())
                    {
                        plan.Add(reader.GetString(3));
                    }
                }

                var faults = plan.Select(row => Fault(row, statement)).OfType<string>().ToList();
                if (faults.Count > 0)
                {
                    offences.Add($"{Shape(statement)}\n    plan: {string.Join(" | ", plan)}\n    {string.Join("; ", faults)}");
                }
            }
        }

        // The lists the fixed shapes read by went through SQLite, as on L, not single values that any shape seeks with.
        string[] lists =
        [
            @"FROM ""goals"" .*""id"" IN \('", @"WITH RECURSIVE .*CROSS JOIN ""goal_links"" AS ""l""",
            @"FROM ""indicators"" .*""goal_id"" IN \('", @"FROM ""activities"" .*""goal_id"" IN \('",
        ];
        foreach (var list in lists)
        {
            capture.Commands.ShouldContain(c => Regex.IsMatch(c.Sql, list, RegexOptions.Singleline), $"no statement matched {list}: the test no longer sends the lists L sends");
        }

        if (offences.Count > 0)
        {
            Assert.Fail("SQLite reads a whole table of the tenant for these statements after a write; give them a shape it seeks with "
                + "(see StatusService, Scorecards and ADR 19):\n" + string.Join("\n", offences.Distinct()));
        }
    }

    /// <summary>A statement on one line, with its lists of values counted and its ids elided, to read in a failure.</summary>
    private static string Shape(string statement)
    {
        var line = Regex.Replace(statement, @"\s+", " ");
        line = Regex.Replace(line, @"IN \(('[^']*'(, )?)+\)", m => $"IN ({m.Value.Count(c => c == ',') + 1} values)");
        return Regex.Replace(line, @"'[0-9A-Fa-f]{8}-[0-9A-Fa-f-]{27}'", "'<id>'");
    }

    /// <summary>The statements of a command that read: queries, and the WHERE of updates and deletes.</summary>
    private static IEnumerable<string> Statements(string sql) =>
        Regex.Split(sql, @";\s*(?:\n|$)").Select(s => s.Trim())
            .Where(s => Regex.IsMatch(s, @"^(SELECT|WITH|UPDATE|DELETE)\b", RegexOptions.IgnoreCase));

    /// <summary>What is wrong with one row of a plan, or null.</summary>
    private static string? Fault(string row, string statement)
    {
        // A step may end in a word after its constraints: "... (tenant_id=? AND goal_id=?) LEFT-JOIN".
        var step = Regex.Match(row, @"^(?<op>SCAN|SEARCH) (?<alias>\S+)(?<how>.*?)(?: \((?<on>[^()]*)\))?(?: [A-Z][A-Z-]*)?$");
        if (!step.Success || Table(statement, step.Groups["alias"].Value) is not { } table || SmallTables.Contains(table))
        {
            return null;
        }

        // A bare existence probe ("is there any ownership history?") stops at the first row it finds.
        if (Regex.IsMatch(statement, @"^\s*SELECT\s+EXISTS\s*\(\s*SELECT\s+1\s+FROM\s+""[a-z_]+""\s+AS\s+""[a-z0-9]+""\s+WHERE\s+""[a-z0-9]+""\.""tenant_id""\s*=\s*@[A-Za-z_]+\s*\)\s*;?\s*$"))
        {
            return null;
        }

        if (step.Groups["op"].Value == "SCAN")
        {
            // An empty list: EF writes WHERE 0, and SQLite "scans" a table it never reads (in a subquery, only that part).
            var nothing = Regex.Count(statement, @"\bSELECT\b") == 1 && Regex.IsMatch(statement, @"\bWHERE 0(\s|$)");
            return nothing ? null : $"reads all of {table}";
        }

        if (step.Groups["how"].Value.Contains("AUTOMATIC", StringComparison.Ordinal))
        {
            return $"builds an index of all of {table} for the query";
        }

        var constraints = step.Groups["on"].Value.Split(" AND ", StringSplitOptions.RemoveEmptyEntries).Where(c => c != "tenant_id=?").ToList();
        if (constraints.Count == 0)
        {
            return $"reads all of {table} for the tenant";
        }

        // "x IS NULL" shows as x=? in a plan, yet it picks every row without an x (a column where NULL is rare, such as a
        // unit's parent, would be the exception to make here).
        var alias = Regex.Escape(step.Groups["alias"].Value);
        bool IsNullTest(string column) => Regex.IsMatch(statement, $@"(?:""{alias}""\.|(?<!\.))""{column}"" IS NULL");
        var seeks = constraints.Select(c => Regex.Match(c, @"^(\w+)=\?$")).Where(m => m.Success).Select(m => m.Groups[1].Value).ToList();
        if (seeks.Count > 0 && seeks.All(IsNullTest))
        {
            return $"reads every row of {table} for the tenant where {string.Join(", ", seeks)} IS NULL";
        }

        if (seeks.Count > 0 && seeks.All(c => IsNullTest(c) || CoarseKeys.Contains((table, c))))
        {
            return $"reads every row of {table} for the tenant with the same {string.Join(", ", seeks)}";
        }

        if (seeks.Count == 0 && !constraints.All(c => RangeKeys.Contains((table, Regex.Match(c, @"^\w+").Value))))
        {
            return $"reads a range of {table} for the tenant ({step.Groups["on"].Value})";
        }

        return null;
    }

    /// <summary>The table an alias of the plan stands for, or null for a subquery's alias (its own rows are checked).</summary>
    private static string? Table(string statement, string alias)
    {
        foreach (Match m in Regex.Matches(statement, @"(?:FROM|JOIN|UPDATE)\s+""(?<table>\w+)""(?:\s+AS\s+""(?<alias>\w+)"")?", RegexOptions.IgnoreCase))
        {
            if (m.Groups["alias"].Value == alias || m.Groups["table"].Value == alias)
            {
                return m.Groups["table"].Value;
            }
        }

        return null;
    }

    private sealed record Parameter(string Name, SqliteType Type, object? Value);

    private sealed record Command(string Sql, List<Parameter> Parameters);

    /// <summary>
    /// Every command EF Core executes on one SQLite file while <see cref="On"/>, with its parameters, from EF's diagnostic
    /// events: tests running beside this one use files of their own.
    /// </summary>
    private sealed class CommandCapture : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
    {
        private readonly string file;
        private readonly List<IDisposable> subscriptions = [];
        private readonly IDisposable listeners;

        public CommandCapture(string file)
        {
            this.file = file;
            listeners = DiagnosticListener.AllListeners.Subscribe(this);
        }

        public volatile bool On;

        public ConcurrentQueue<Command> Commands { get; } = new();

        public void OnNext(DiagnosticListener value)
        {
            if (value.Name == DbLoggerCategory.Name)
            {
                lock (subscriptions)
                {
                    subscriptions.Add(value.Subscribe(this, name => name == RelationalEventId.CommandExecuted.Name));
                }
            }
        }

        public void OnNext(KeyValuePair<string, object?> value)
        {
            if (On && value.Value is CommandExecutedEventData { Command: SqliteCommand command } && command.Connection?.DataSource == file)
            {
                Commands.Enqueue(new Command(command.CommandText,
                    [.. command.Parameters.Cast<SqliteParameter>().Select(p => new Parameter(p.ParameterName, p.SqliteType, p.Value))]));
            }
        }

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }

        public void Dispose()
        {
            listeners.Dispose();
            lock (subscriptions)
            {
                subscriptions.ForEach(s => s.Dispose());
            }
        }
    }
}
