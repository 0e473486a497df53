using Kedja.Domain.Organisation;

namespace Kedja.Load;

/// <summary>
/// Mode 1: for the council, a nämnd and an enhet, write one outcome in the unit's chain and read the unit's scorecard
/// at once, then once more (warm); repeated. Each unit is the one of its kind with the largest chain.
/// </summary>
public static class FirstReadAfterWrite
{
    private const int WarmUp = 2;

    public static async Task<int> RunAsync(KedjaApi api, TenantPicture tenant, int repeats, TextWriter output, CancellationToken ct)
    {
        await output.WriteLineAsync(Header.Line("first-read-after-write", api, tenant, $"{repeats} repeats per unit, {WarmUp} before them not counted"));
        var failed = false;
        foreach (var (label, kind) in new[] { ("council", UnitKind.Council), ("nämnd", UnitKind.Committee), ("enhet", UnitKind.Unit) })
        {
            UnitItem? unit = null;
            var chain = 0;
            List<WriteTarget> targets = [];
            foreach (var candidate in tenant.ByChainSize(kind).Take(10))
            {
                targets = await tenant.WriteTargetsAsync(api, candidate.Unit.Id, 5, ct);
                if (targets.Count > 0)
                {
                    (unit, chain) = candidate;
                    break;
                }
            }

            if (unit is null)
            {
                await output.WriteLineAsync($"{label,-8} no {kind} unit with an indicator to write to in its chain for {tenant.Period.Key}");
                failed = true;
                continue;
            }

            try
            {
                failed |= !await MeasureAsync(api, tenant, label, unit, chain, targets, repeats, output, ct);
            }
            finally
            {
                await OutcomeWriter.RestoreAsync(api, targets);
            }
        }

        return failed ? 1 : 0;
    }

    private static async Task<bool> MeasureAsync(KedjaApi api, TenantPicture tenant, string label, UnitItem unit, int chain, List<WriteTarget> targets, int repeats,
        TextWriter output, CancellationToken ct)
    {
        var first = new Samples();
        var warm = new Samples();
        var write = new Samples();
        var errors = new Dictionary<string, int>();
        long bytes = 0;
        for (var n = -WarmUp; n < repeats; n++)
        {
            var target = targets[(n + WarmUp) % targets.Count];
            var written = await OutcomeWriter.WriteAsync(api, target, ct);
            if (!written.Ok)
            {
                Count(errors, $"write {written.Status}");
                await Console.Error.WriteLineAsync($"{unit.Name}: write refused, {KedjaApi.Describe(written)}");
                continue;
            }

            var read = await api.ScorecardAsync(unit.Id, tenant.Period.Key, ct);
            var again = await api.ScorecardAsync(unit.Id, tenant.Period.Key, ct);
            foreach (var r in new[] { read, again }.Where(r => !r.Ok))
            {
                Count(errors, $"read {r.Status}");
            }

            // Each round on standard error, so that a trend (warm-up, a neighbour's build) shows beside the summary.
            await Console.Error.WriteLineAsync($"{label} {(n < 0 ? "warm-up" : $"{n + 1}/{repeats}")}: write {Figures.Ms(written.ServerMs ?? double.NaN)} ms, read after write {Figures.Ms(read.ServerMs ?? double.NaN)} ms, next read {Figures.Ms(again.ServerMs ?? double.NaN)} ms (server)");
            if (n >= 0 && read.Ok && again.Ok)
            {
                write.Add(written);
                first.Add(read);
                warm.Add(again);
                bytes = read.Bytes;
            }
        }

        var depths = string.Join("/", targets.Select(t => t.Depth).Distinct().Order());
        await output.WriteLineAsync($"{label,-8} {unit.Name} · chain {Figures.Count(chain)} goals · writes to {targets.Count} indicator(s) at depth {depths} · scorecard {Figures.Number(bytes / 1024.0)} KB · n={first.Client.Count} · errors {Figures.Errors(errors)}");
        await output.WriteLineAsync($"  first read after write  server {Figures.Spread(first.Server),-40} client {Figures.Spread(first.Client),-40} of server in database {Figures.Spread(first.Database)}");
        await output.WriteLineAsync($"  next read (warm)        server {Figures.Spread(warm.Server),-40} client {Figures.Spread(warm.Client),-40} of server in database {Figures.Spread(warm.Database)}");
        await output.WriteLineAsync($"  write (PUT outcome)     server {Figures.Spread(write.Server),-40} client {Figures.Spread(write.Client),-40} of server in database {Figures.Spread(write.Database)}");
        return errors.Count == 0;
    }

    private static void Count(Dictionary<string, int> errors, string key) => errors[key] = errors.GetValueOrDefault(key) + 1;
}

/// <summary>Client and server times of successful requests.</summary>
public sealed class Samples
{
    public List<double> Client { get; } = [];

    public List<double> Server { get; } = [];

    /// <summary>The part of <see cref="Server"/> spent in database commands (Server-Timing "db"): the SQL floor beside it.</summary>
    public List<double> Database { get; } = [];

    public void Add(Timed answer)
    {
        Client.Add(answer.ClientMs);
        if (answer.ServerMs is { } ms)
        {
            Server.Add(ms);
        }

        if (answer.DatabaseMs is { } db)
        {
            Database.Add(db);
        }
    }

    public void AddRange(Samples other)
    {
        Client.AddRange(other.Client);
        Server.AddRange(other.Server);
        Database.AddRange(other.Database);
    }
}

public static class Header
{
    public static string Line(string mode, KedjaApi api, TenantPicture tenant, string what) =>
        $"# kedja-load {mode} · {api.BaseAddress.Authority} · tenant {api.Slug} ({Figures.Count(tenant.Units.Count)} units, {Figures.Count(tenant.Goals)} goals in {tenant.Period.Key[..4]}) · period {tenant.Period.Key} · {what} · {TimeProvider.System.GetUtcNow():yyyy-MM-dd HH:mm} UTC · {Environment.ProcessorCount} cores";
}
