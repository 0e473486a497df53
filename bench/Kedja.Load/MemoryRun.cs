using System.Globalization;
using Kedja.Domain.Organisation;

namespace Kedja.Load;

/// <summary>
/// Mode 3: cycles of "write an outcome in the council's chain, read the council's scorecard", with the server
/// process's resident memory (VmRSS in /proc/PID/status) after the warm-up and after every few cycles.
/// </summary>
public static class MemoryRun
{
    public static async Task<int> RunAsync(KedjaApi api, TenantPicture tenant, int pid, Guid? unitId, int cycles, int warmUpCycles, int every, TextWriter output,
        CancellationToken ct)
    {
        // Checked before anything is written: without the process there is nothing to measure.
        var process = Describe(pid);
        var (unit, chain) = ReadersAndWriters.Pick(tenant, unitId, UnitKind.Council);
        var targets = await tenant.WriteTargetsAsync(api, unit.Id, 20, ct);
        if (targets.Count == 0)
        {
            throw new LoadException($"{unit.Name} has no indicator to write to in its chain for {tenant.Period.Key}.");
        }

        await output.WriteLineAsync(Header.Line("memory", api, tenant,
            $"{cycles} cycles of write + read of {unit.Name} (chain {Figures.Count(chain)} goals) after {warmUpCycles} warm-up cycles · server pid {pid} ({process})"));
        var reads = new Samples();
        var errors = new Dictionary<string, int>();
        try
        {
            for (var n = 0; n < warmUpCycles; n++)
            {
                await CycleAsync(api, tenant, unit, targets[n % targets.Count], null, errors, ct);
            }

            var start = Status(pid);
            await output.WriteLineAsync($"after warm-up     VmRSS {Mb(start.Rss),9} MB");
            var last = start;
            for (var n = 1; n <= cycles; n++)
            {
                await CycleAsync(api, tenant, unit, targets[(warmUpCycles + n) % targets.Count], reads, errors, ct);
                if (n % every == 0 || n == cycles)
                {
                    last = Status(pid);
                    await output.WriteLineAsync($"after {n,4} cycles VmRSS {Mb(last.Rss),9} MB  ×{Figures.Number((double)last.Rss / start.Rss, "0.00")}");
                }
            }

            await output.WriteLineAsync($"  end / warm-up {Figures.Number((double)last.Rss / start.Rss, "0.00")} · VmHWM (peak) {Mb(last.Peak)} MB · read after write server {Figures.Spread(reads.Server)}, client {Figures.Spread(reads.Client)} · errors {Figures.Errors(errors)}");
            return errors.Count == 0 ? 0 : 1;
        }
        finally
        {
            await OutcomeWriter.RestoreAsync(api, targets);
        }
    }

    private static async Task CycleAsync(KedjaApi api, TenantPicture tenant, UnitItem unit, WriteTarget target, Samples? reads, Dictionary<string, int> errors,
        CancellationToken ct)
    {
        var written = await OutcomeWriter.WriteAsync(api, target, ct);
        if (!written.Ok)
        {
            errors[$"write {written.Status}"] = errors.GetValueOrDefault($"write {written.Status}") + 1;
        }

        var read = await api.ScorecardAsync(unit.Id, tenant.Period.Key, ct);
        if (!read.Ok)
        {
            errors[$"read {read.Status}"] = errors.GetValueOrDefault($"read {read.Status}") + 1;
        }
        else
        {
            reads?.Add(read);
        }
    }

    /// <summary>VmRSS and VmHWM in kB.</summary>
    public static (long Rss, long Peak) Status(int pid)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines($"/proc/{pid}/status");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new LoadException($"Cannot read /proc/{pid}/status ({ex.Message}): give the PID of the running Kedja with --pid.");
        }

        long Kb(string name) => lines.Where(l => l.StartsWith(name + ":", StringComparison.Ordinal))
            .Select(l => long.Parse(l[(name.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture)).FirstOrDefault();
        return (Kb("VmRSS"), Kb("VmHWM"));
    }

    /// <summary>The process's command line, shortened, so the output shows which process was watched.</summary>
    private static string Describe(int pid)
    {
        Status(pid);
        var cmdline = File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim();
        return cmdline.Length > 80 ? "…" + cmdline[^79..] : cmdline;
    }

    private static string Mb(long kb) => Figures.Number(kb / 1024.0);
}
