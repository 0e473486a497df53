using System.CommandLine;
using System.CommandLine.Parsing;

namespace Kedja.Load;

/// <summary>
/// The load script of issue 8: measures a running Kedja over HTTP on this machine (docs/performance.md, "Load
/// script"). Figures go to standard output as lines to paste; progress and errors to standard error. Exit codes: 0
/// done, 1 the run failed or saw errors, 2 the command line or the environment was wrong.
/// </summary>
public static class Program
{
    public const string EmailVariable = "KEDJA_LOAD_EMAIL";

    public const string PasswordVariable = "KEDJA_LOAD_PASSWORD";

    private static readonly Option<string> Url = new("--url") { Description = "Kedja's address on this machine, e.g. http://127.0.0.1:5491 (loopback addresses only).", Required = true };

    private static readonly Option<string> Tenant = new("--tenant") { Description = "The tenant's slug, e.g. exempelkommun or storstad-m.", Required = true };

    private static readonly Option<string?> Period = new("--period") { Description = "The follow-up period, e.g. 2026-T2; by default the latest that has ended." };

    private static readonly Option<int> TimeLimit = Ranged("--time-limit", "Stops the whole run after this many seconds.", 900, 10, 3600);

    public static async Task<int> Main(string[] args)
    {
        var root = new RootCommand(
            $"Load script for a running Kedja on 127.0.0.1. Signs in with {EmailVariable} and {PasswordVariable} (a user who may edit outcomes, e.g. the " +
            "system administrator). Writes outcomes in the tenant (each value is put back at the end; the revisions stay): use a copy, never a real database.")
        {
            FirstReadAfterWriteCommand(), ReadersAndWritersCommand(), MemoryCommand(), PageReadersCommand(), GridSaveCommand(), ReportsCommand(), PortalCommand(),
            NeighbourCommand(),
        };
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0 && parse.Action is not System.CommandLine.Help.HelpAction)
        {
            foreach (var error in parse.Errors)
            {
                await Console.Error.WriteLineAsync(error.Message);
            }

            await Console.Error.WriteLineAsync("See --help.");
            return 2;
        }

        return await parse.InvokeAsync();
    }

    private static Command FirstReadAfterWriteCommand()
    {
        var repeats = Ranged("--repeats", "Write-and-read rounds per unit.", 10, 10, 100);
        var command = new Command("first-read-after-write",
            "For the council, a nämnd and an enhet (each the one of its kind with the largest chain): write an outcome in the unit's chain, read the unit's scorecard, read it again; print median, min and max.")
        {
            repeats,
        };
        return With(command, (api, tenant, parse, ct) => FirstReadAfterWrite.RunAsync(api, tenant, parse.GetValue(repeats), Console.Out, ct));
    }

    private static Command ReadersAndWritersCommand()
    {
        var unit = UnitOption("The unit whose scorecard is read; by default the nämnd with the largest chain.");
        var readers = Ranged("--readers", "Concurrent readers.", 10, 1, 64);
        var writes = Ranged("--writes-per-second", "Outcome writes per second in the second phase (0: read-only phase only).", 5, 0, 50);
        var duration = Ranged("--duration", "Seconds per phase.", 30, 5, 300);
        var warmUp = Ranged("--warmup", "Seconds of reading before the first phase, not counted.", 5, 0, 60);
        var command = new Command("readers-and-writers",
            "Concurrent readers of a nämnd's scorecard, first alone, then with outcome writes in its chain; prints throughput and p50/p95/p99 for both phases.")
        {
            unit, readers, writes, duration, warmUp,
        };
        return With(command, (api, tenant, parse, ct) => ReadersAndWriters.RunAsync(api, tenant, UnitId(parse, unit), parse.GetValue(readers), parse.GetValue(writes),
            TimeSpan.FromSeconds(parse.GetValue(duration)), TimeSpan.FromSeconds(parse.GetValue(warmUp)), Console.Out, ct));
    }

    private static Command PageReadersCommand()
    {
        var unit = UnitOption("The unit whose scorecard page is read; by default the nämnd with the largest chain.");
        var readers = Ranged("--readers", "Signed-in people reading at once, each signed in through the form.", 10, 1, 64);
        var duration = Ranged("--duration", "Seconds measured.", 30, 5, 300);
        var warmUp = Ranged("--warmup", "Seconds of reading before, not counted.", 5, 0, 60);
        var command = new Command("page-readers",
            "Signed-in people reading a unit's scorecard page (HTML) at once; prints throughput and p50/p95/p99.")
        {
            unit, readers, duration, warmUp,
        };
        return With(command, (api, tenant, parse, ct) => PageReaders.RunAsync(api, tenant, UnitId(parse, unit), parse.GetValue(readers),
            TimeSpan.FromSeconds(parse.GetValue(duration)), TimeSpan.FromSeconds(parse.GetValue(warmUp)), Console.Out, ct));
    }

    private static Command GridSaveCommand()
    {
        var unit = UnitOption("The unit whose grid is saved; by default the enhet with the largest chain.");
        var rows = Ranged("--rows", "Outcomes changed in each save (the unit is given indicators until its grid has this many rows).", 50, 1, 200);
        var saves = Ranged("--saves", "Saves measured (the first is reported apart).", 11, 2, 200);
        var command = new Command("grid-save",
            "One signed-in person saving a unit's outcome grid page with every row changed; prints the first save and median, min and max of the rest.")
        {
            unit, rows, saves,
        };
        return With(command, (api, tenant, parse, ct) => GridSave.RunAsync(api, tenant, UnitId(parse, unit), parse.GetValue(rows), parse.GetValue(saves), Console.Out, ct));
    }

    private static Command ReportsCommand()
    {
        var pid = new Option<int>("--pid") { Description = "The process id of the running Kedja (its resident memory is read from /proc/PID/status).", Required = true };
        var rounds = Ranged("--rounds", "Reports ordered per case and format.", 3, 1, 20);
        var formats = new Option<string[]>("--formats") { Description = "The formats ordered, e.g. docx pdf xlsx html.", DefaultValueFactory = _ => ["docx", "pdf"], AllowMultipleArgumentsPerToken = true };
        var command = new Command("reports",
            "Orders the council's annual report (council and committees) and an enhet's tertial report through the API and waits for each; prints time, file size and the server's memory rise.")
        {
            pid, rounds, formats,
        };
        return With(command, (api, tenant, parse, ct) => ReportRuns.RunAsync(api, tenant, parse.GetValue(pid), parse.GetValue(rounds), parse.GetValue(formats)!, Console.Out, ct));
    }

    private static Command NeighbourCommand()
    {
        var heavy = new Option<string>("--heavy-tenant") { Description = "The tenant whose annual report is built over and over in the second phase (the L one).", Required = true };
        var pid = new Option<int>("--pid") { Description = "The process id of the running Kedja (the report runs read its memory).", Required = true };
        var format = new Option<string>("--format") { Description = "The annual report's format: docx, pdf, xlsx or html.", DefaultValueFactory = _ => "pdf" };
        var readers = Ranged("--readers", "Concurrent readers of the tenant's nämnd.", 10, 1, 64);
        var duration = Ranged("--duration", "Seconds per phase.", 30, 5, 300);
        var warmUp = Ranged("--warmup", "Seconds of reading before the first phase, not counted.", 5, 0, 60);
        var command = new Command("neighbour",
            "Readers of the tenant's nämnd, first alone, then while another tenant's annual report is built one after the other; prints both phases and their ratio.")
        {
            heavy, pid, format, readers, duration, warmUp,
        };
        return With(command, (api, tenant, parse, ct) => Neighbour.RunAsync(api, tenant, api.BaseAddress, parse.GetValue(heavy)!, parse.GetValue(pid), parse.GetValue(format)!,
            parse.GetValue(readers), TimeSpan.FromSeconds(parse.GetValue(duration)), TimeSpan.FromSeconds(parse.GetValue(warmUp)), Console.Out, ct));
    }

    private static Command PortalCommand()
    {
        var path = new Option<string?>("--path") { Description = "The public page measured; by default /p/{tenant}, the council's goals of the latest published period." };
        var connections = Ranged("--connections", "wrk's connections.", 50, 1, 512);
        var duration = Ranged("--duration", "Seconds per wrk run.", 15, 5, 300);
        var writes = Ranged("--writes-per-second", "Outcome writes per second in the run with a signed-in reader (0: no such run).", 5, 0, 50);
        var command = new Command("portal",
            "wrk against a fixed 21 KB page from a minimal Kestrel app and against a published portal page in one run, then the portal while outcomes are written and a signed-in reader reads, then the first request after publishing.")
        {
            path, connections, duration, writes,
        };
        return With(command, (api, tenant, parse, ct) => PortalRun.RunAsync(api, tenant, parse.GetValue(path), parse.GetValue(connections),
            TimeSpan.FromSeconds(parse.GetValue(duration)), parse.GetValue(writes), Console.Out, ct));
    }

    private static Command MemoryCommand()
    {
        var pid = new Option<int>("--pid") { Description = "The process id of the running Kedja (its resident memory is read from /proc/PID/status).", Required = true };
        var unit = UnitOption("The unit whose scorecard is read; by default the council.");
        var cycles = Ranged("--cycles", "Write-and-read cycles measured.", 100, 10, 1000);
        var warmUp = Ranged("--warmup-cycles", "Cycles before the first memory reading.", 5, 1, 50);
        var every = Ranged("--every", "Cycles between memory readings.", 10, 1, 100);
        var command = new Command("memory",
            "Cycles of writing an outcome and reading the council's scorecard; prints the server's VmRSS after the warm-up and every 10 cycles, and the ratio end / warm-up.")
        {
            pid, unit, cycles, warmUp, every,
        };
        return With(command, (api, tenant, parse, ct) => MemoryRun.RunAsync(api, tenant, parse.GetValue(pid), UnitId(parse, unit), parse.GetValue(cycles),
            parse.GetValue(warmUp), parse.GetValue(every), Console.Out, ct));
    }

    /// <summary>Adds the common options and runs the mode inside the checks, the sign-in and the time limit that every mode shares.</summary>
    private static Command With(Command command, Func<KedjaApi, TenantPicture, ParseResult, CancellationToken, Task<int>> mode)
    {
        command.Add(Url);
        command.Add(Tenant);
        command.Add(Period);
        command.Add(TimeLimit);
        command.SetAction(async (parse, ct) =>
        {
            var (baseUri, refused) = LoadTarget.Parse(parse.GetValue(Url));
            if (baseUri is null)
            {
                await Console.Error.WriteLineAsync(refused);
                return 2;
            }

            var email = Environment.GetEnvironmentVariable(EmailVariable);
            var password = Environment.GetEnvironmentVariable(PasswordVariable);
            if (string.IsNullOrEmpty(email) || string.IsNullOrEmpty(password))
            {
                await Console.Error.WriteLineAsync($"Set {EmailVariable} and {PasswordVariable} to the account the script signs in with.");
                return 2;
            }

            var seconds = parse.GetValue(TimeLimit);
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
            limit.CancelAfter(TimeSpan.FromSeconds(seconds));
            using var api = new KedjaApi(baseUri, parse.GetValue(Tenant)!, connections: 128);
            try
            {
                await api.SignInAsync(email, password, limit.Token);
                var tenant = await TenantPicture.ReadAsync(api, parse.GetValue(Period), limit.Token);
                return await mode(api, tenant, parse, limit.Token);
            }
            catch (LoadException ex)
            {
                await Console.Error.WriteLineAsync(ex.Message);
                return 1;
            }
            catch (HttpRequestException ex)
            {
                await Console.Error.WriteLineAsync($"Kedja does not answer at {baseUri}: {ex.Message}");
                return 1;
            }
            catch (TaskCanceledException) when (!limit.IsCancellationRequested)
            {
                await Console.Error.WriteLineAsync("Stopped: a request got no answer within 120 s.");
                return 1;
            }
            catch (OperationCanceledException) when (limit.IsCancellationRequested)
            {
                await Console.Error.WriteLineAsync(ct.IsCancellationRequested ? "Stopped." : $"Stopped: the time limit of {seconds} s was reached (--time-limit).");
                return 1;
            }
            finally
            {
                await api.SignOutAsync();
            }
        });
        return command;
    }

    private static Option<Guid?> UnitOption(string description) => new("--unit") { Description = description };

    private static Guid? UnitId(ParseResult parse, Option<Guid?> unit) => parse.GetValue(unit);

    private static Option<int> Ranged(string name, string description, int defaultValue, int min, int max)
    {
        var option = new Option<int>(name) { Description = $"{description} {min}-{max}.", DefaultValueFactory = _ => defaultValue };
        option.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<int>();
            if (value < min || value > max)
            {
                result.AddError($"{name} must be between {min} and {max}; it was {value}.");
            }
        });
        return option;
    }
}
