using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using Kedja.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kedja.Web.Tests.Fuzz;

/// <summary>
/// What the fuzzers share (ADR 53): how many inputs to draw, a cheap fingerprint of what a write touches, and a JSON
/// mutator. Each input is built from one FsCheck-drawn seed, so that a failing case names the seed that rebuilds it.
/// </summary>
internal static class Fuzzing
{
    /// <summary>
    /// A developer's `dotnet test` draws a few inputs of each kind; CI draws KEDJA_FUZZ_CASES (10,000 in .ci/run).
    /// </summary>
    public static int Cases =>
        int.TryParse(Environment.GetEnvironmentVariable("KEDJA_FUZZ_CASES"), out var cases) && cases > 0 ? cases : 25;

    /// <summary>
    /// The inputs a fuzzer draws on <paramref name="provider"/>: all of <see cref="Cases"/> on SQLite, a tenth (at least
    /// 25) on PostgreSQL, where what differs is the database under the same code (transactions, constraints, types).
    /// </summary>
    public static int CasesOn(string provider) =>
        provider == nameof(Data.DatabaseProvider.Sqlite) ? Cases : Math.Max(25, Cases / 10);

    /// <summary>Runs <paramref name="check"/> once per drawn seed; a thrown exception fails the property with the seed.</summary>
    public static void ForEachSeed(int cases, Func<int, Task> check)
    {
        // KEDJA_FUZZ_SEED replays the one input a failure named, with the whole exception.
        if (int.TryParse(Environment.GetEnvironmentVariable("KEDJA_FUZZ_SEED"), out var replay))
        {
            check(replay).GetAwaiter().GetResult();
            return;
        }

        var property = Prop.ForAll(Arb.From(Gen.Choose(0, int.MaxValue - 1)), seed =>
        {
            try
            {
                check(seed).GetAwaiter().GetResult();
                return true.Label("");
            }
            catch (Exception e)
            {
                return false.Label($"seed {seed}: {e.GetType().Name}: {e.Message} at {e.StackTrace?.Split('\n').FirstOrDefault()?.Trim()}");
            }
        });
        property.Check(Draw(Config.QuickThrowOnFailure.WithMaxTest(cases).WithQuietOnSuccess(true), Run));
    }

    /// <summary>
    /// KEDJA_FUZZ_RUN fixes the sequence of seeds (ADR 53, twentieth session): CI sets it, so that its gate fails only for a
    /// change and never for a newly drawn input; without it each run draws afresh, which is how a developer searches.
    /// </summary>
    public static ulong? Run =>
        ulong.TryParse(Environment.GetEnvironmentVariable("KEDJA_FUZZ_RUN"), out var run) ? run : null;

    public static Config Draw(Config config, ulong? run) =>
        run is { } fixedRun ? config.WithReplay(new Replay(new Rnd(fixedRun), Microsoft.FSharp.Core.FSharpOption<int>.None)) : config;

    /// <summary>
    /// Row counts of the tables a write of the tenant touches, and its data version: equal means nothing changed. Read
    /// in one round trip: nine queries before and after each input were a third of an input's cost (ADR 53, nineteenth
    /// session). Each count is a bare <c>SELECT count(*) FROM t</c> in a UNION ALL, not a scalar subquery, because
    /// SQLite counts a table from its smallest index only in that form (as subqueries the one query cost more than nine).
    /// </summary>
    public sealed record Fingerprint(long DataVersion, long Tenants, long Units, long Goals, long Indicators, long Outcomes, long Revisions, long Audit, long Memberships)
    {
        public static async Task<Fingerprint> OfAsync(KedjaApp app, string slug)
        {
            using var scope = app.Services.CreateScope();
            return await OfAsync(scope.ServiceProvider.GetRequiredService<KedjaDbContext>(), slug);
        }

        public static async Task<Fingerprint> OfAsync(KedjaDbContext db, string slug)
        {
            string Table<T>()
            {
                var entity = db.Model.FindEntityType(typeof(T))!;
                return entity.GetSchema() is { } schema ? $"\"{schema}\".\"{entity.GetTableName()}\"" : $"\"{entity.GetTableName()}\"";
            }

            string[] tables =
            [
                Table<Domain.Tenancy.Tenant>(), Table<Domain.Organisation.OrgUnit>(), Table<Domain.Goals.Goal>(), Table<Domain.Indicators.Indicator>(),
                Table<Domain.Indicators.Outcome>(), Table<Domain.Indicators.OutcomeRevision>(), Table<Domain.Auditing.AuditEntry>(), Table<Domain.Tenancy.TenantMembership>(),
            ];
            var tenants = db.Model.FindEntityType(typeof(Domain.Tenancy.Tenant))!;
            var versionColumn = tenants.FindProperty(nameof(Domain.Tenancy.Tenant.DataVersion))!.GetColumnName();
            var slugColumn = tenants.FindProperty(nameof(Domain.Tenancy.Tenant.Slug))!.GetColumnName();

            // UNION ALL gives its arms' rows in order on both databases (SQLite runs them in turn, PostgreSQL appends).
            var sql = $"SELECT \"{versionColumn}\" FROM {tables[0]} WHERE \"{slugColumn}\" = @slug"
                + string.Concat(tables.Select(t => $" UNION ALL SELECT count(*) FROM {t}"));
            var connection = db.Database.GetDbConnection();
            var opened = connection.State != System.Data.ConnectionState.Open;
            if (opened)
            {
                await connection.OpenAsync();
            }

            try
            {
                await using var command = connection.CreateCommand();
                command.CommandText = sql;
                var parameter = command.CreateParameter();
                parameter.ParameterName = "@slug";
                parameter.Value = slug;
                command.Parameters.Add(parameter);
                var values = new List<long>();
                await using (var reader = await command.ExecuteReaderAsync())
                {
                    while (await reader.ReadAsync())
                    {
                        values.Add(Convert.ToInt64(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture));
                    }
                }

                values.Count.ShouldBe(9, $"the tenant {slug} and eight counts");
                return new Fingerprint(values[0], values[1], values[2], values[3], values[4], values[5], values[6], values[7], values[8]);
            }
            finally
            {
                if (opened)
                {
                    await connection.CloseAsync();
                }
            }
        }
    }

    /// <summary>
    /// The fingerprint after the last input, read once per input: the one after an input is the one before the next.
    /// Nothing else writes between two inputs (the tests' apps run no background writer that the inputs do not start),
    /// so a change found after an input was made by it – or, if a background write ever came between, the test fails
    /// rather than passes. Forgotten when an input fails, so that the next starts from a fresh read.
    /// </summary>
    public sealed class Fingerprints(KedjaApp app, string slug)
    {
        private Fingerprint? last;

        /// <summary>The fingerprint before the next input (the last one read, or a fresh read); forgotten until <see cref="AfterAsync"/>.</summary>
        public async Task<Fingerprint> BeforeAsync()
        {
            var before = last ?? await Fingerprint.OfAsync(app, slug);
            last = null;
            return before;
        }

        /// <summary>The fingerprint now, kept as the next input's before.</summary>
        public async Task<Fingerprint> AfterAsync() => last = await Fingerprint.OfAsync(app, slug);
    }

    private static readonly string[] OddTexts =
        ["\u202Eevil", "a\u0000b", "\uD800", "ſara", "e\u0301", "😀😀", "\uFEFF", "A\u200BB", "𝔘𝔫𝔦", "' OR 1=1 --", "<script>alert(1)</script>", "../../etc/passwd", "%00", "  ", ""];

    private static readonly string[] OddNumbers = ["1e400", "-0", "0.0000000000000000000001", "99999999999999999999999999999", "-2147483649", "2147483648", "1.5", "-1", "0"];

    private static readonly string[] BadIds = ["", "inte-ett-id", "00000000-0000-0000-0000-000000000000", "00000000-0000-0000-0000-00000000000g", "{}", "1"];

    /// <summary>The document with 1-5 random mutations: fields removed, wrong types, huge strings, bad, duplicate or dangling ids, odd Unicode, nested garbage, extreme numbers.</summary>
    public static string Mutate(JsonNode original, Random r)
    {
        var root = original.DeepClone();
        var ids = new List<string>();
        Walk(root, (_, _, _, node) =>
        {
            if (node is JsonValue v && v.TryGetValue<string>(out var s) && Guid.TryParse(s, out _))
            {
                ids.Add(s);
            }
        });

        for (var n = r.Next(1, 6); n > 0; n--)
        {
            var places = new List<(JsonNode? Parent, string? Key, int Index, JsonNode? Node)>();
            Walk(root, (parent, key, index, node) => places.Add((parent, key, index, node)));
            var (parent, key, index, node) = places[r.Next(places.Count)];
            var kind = r.Next(9);
            if (kind == 0 && parent is not null)
            {
                if (parent is JsonObject o)
                {
                    o.Remove(key!);
                }
                else
                {
                    ((JsonArray)parent).RemoveAt(index);
                }

                continue;
            }

            if (kind == 7 && parent is JsonArray array && node is not null)
            {
                array.Insert(index, node.DeepClone());
                continue;
            }

            JsonNode? replacement = kind switch
            {
                1 => r.Next(6) switch
                {
                    0 => JsonValue.Create(42),
                    1 => JsonValue.Create("tekst"),
                    2 => JsonValue.Create(true),
                    3 => null,
                    4 => new JsonArray(),
                    _ => new JsonObject(),
                },
                2 => JsonValue.Create(new string((char)r.Next('a', 'z' + 1), r.Next(300, 120_000))),
                3 => JsonValue.Create(r.Next(3) == 0 ? Guid.NewGuid().ToString() : BadIds[r.Next(BadIds.Length)]),
                4 => JsonValue.Create(ids.Count > 0 ? ids[r.Next(ids.Count)] : Guid.NewGuid().ToString()),
                5 => JsonValue.Create(OddTexts[r.Next(OddTexts.Length)] + (node is JsonValue old && old.TryGetValue<string>(out var text) ? text : "")),
                6 => Nested(r, r.Next(1, 40)),
                _ => JsonNode.Parse(OddNumbers[r.Next(OddNumbers.Length)]),
            };
            if (parent is null)
            {
                root = replacement ?? JsonValue.Create(0);
            }
            else if (parent is JsonObject obj)
            {
                obj[key!] = replacement;
            }
            else
            {
                ((JsonArray)parent)[index] = replacement;
            }
        }

        var json = root?.ToJsonString() ?? "null";
        return r.Next(12) switch
        {
            0 => json[..r.Next(json.Length + 1)],
            1 => json.Insert(r.Next(json.Length + 1), ((char)r.Next(0, 0x3000)).ToString()),
            2 => "{\"a\":1," + json.TrimStart('{'),
            3 => new string('[', 200) + json + new string(']', 200),
            _ => json,
        };
    }

    private static JsonNode Nested(Random r, int depth)
    {
        JsonNode node = JsonValue.Create(r.Next());
        for (var i = 0; i < depth; i++)
        {
            node = r.Next(2) == 0 ? new JsonArray(node) : new JsonObject { ["x"] = node };
        }

        return node;
    }

    private static void Walk(JsonNode? node, Action<JsonNode?, string?, int, JsonNode?> visit, JsonNode? parent = null, string? key = null, int index = -1)
    {
        visit(parent, key, index, node);
        switch (node)
        {
            case JsonObject o:
                foreach (var (k, child) in o.ToList())
                {
                    Walk(child, visit, o, k, -1);
                }

                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    Walk(a[i], visit, a, null, i);
                }

                break;
        }
    }
}
