using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Kedja.Domain.Indicators;
using Kedja.Domain.Organisation;
using Kedja.Domain.Periods;

namespace Kedja.Load;

/// <summary>
/// Mode 5: one signed-in person saving a unit's outcome grid (the page's form, as a browser posts it) with every row
/// changed, again and again (issue 9's budget: 50 outcomes saved in at most 300 ms). The unit gets indicators named
/// "Lastprov n" through the API until it has as many due in the period as rows are asked for: use a copy of a database.
/// </summary>
public static partial class GridSave
{
    public static async Task<int> RunAsync(KedjaApi api, TenantPicture tenant, Guid? unitId, int rows, int saves, TextWriter output, CancellationToken ct)
    {
        var (unit, _) = ReadersAndWriters.Pick(tenant, unitId, UnitKind.Unit);
        var period = PeriodRef.Parse(tenant.Period.Key);
        await EnsureRowsAsync(api, tenant, unit, period, rows, ct);

        var email = Environment.GetEnvironmentVariable(Program.EmailVariable)!;
        var password = Environment.GetEnvironmentVariable(Program.PasswordVariable)!;
        using var person = await PageReaders.SignInAsync(api.BaseAddress, email, password, ct);
        var url = $"/k/{Uri.EscapeDataString(api.Slug)}/utfall/{unit.Id}?period={tenant.Period.Key}";
        await output.WriteLineAsync(Header.Line("grid-save", api, tenant, $"{rows} outcomes of {unit.Name} saved from the grid page, {saves} times"));

        var client = new List<double>();
        var server = new List<double>();
        var database = new List<double>();
        var errors = new Dictionary<string, int>();
        for (var round = 0; round < saves; round++)
        {
            var page = await person.GetStringAsync(url, ct);
            var form = Form(page, rows, round);
            var begun = Stopwatch.GetTimestamp();
            using var answer = await person.PostAsync(url, new FormUrlEncodedContent(form), ct);
            var ms = Stopwatch.GetElapsedTime(begun).TotalMilliseconds;
            // Saved: the page sends the browser back to the grid with the count saved.
            if (answer.StatusCode == HttpStatusCode.Redirect && answer.Headers.Location?.OriginalString.Contains($"sparat={rows}", StringComparison.Ordinal) == true)
            {
                client.Add(ms);
                server.Add(KedjaApi.ServerTiming(answer) ?? double.NaN);
                database.Add(KedjaApi.ServerTiming(answer, "db") ?? double.NaN);
            }
            else
            {
                var key = $"save {(int)answer.StatusCode}";
                errors[key] = errors.GetValueOrDefault(key) + 1;
            }
        }

        // The first save is left out of the figures: it loads what a running server has loaded once.
        static List<double> Warm(List<double> all) => [.. all.Skip(1).Where(v => !double.IsNaN(v))];
        await output.WriteLineAsync($"grid-save    {Figures.Count(client.Count)} saves of {rows} outcomes · first {Figures.Ms(client.FirstOrDefault(double.NaN))} ms · then client {Figures.Spread(Warm(client))} · server {Figures.Spread(Warm(server))} · of it in database {Figures.Spread(Warm(database))} · errors {Figures.Errors(errors)}");
        return errors.Count == 0 ? 0 : 1;
    }

    /// <summary>Gives the unit indicators due in the period until it has <paramref name="rows"/>, each under one of its goals.</summary>
    private static async Task EnsureRowsAsync(KedjaApi api, TenantPicture tenant, UnitItem unit, PeriodRef period, int rows, CancellationToken ct)
    {
        var due = (await api.IndicatorsOfUnitAsync(unit.Id, ct)).Count(i => i.OwnerUnitId == unit.Id && i.Periodicity == period.Kind && i.ProgramId is null);
        var goal = tenant.Owned(unit.Id).FirstOrDefault() ?? throw new LoadException($"{unit.Name} has no goal to put indicators under.");
        for (var n = due + 1; n <= rows; n++)
        {
            var created = await api.CreateIndicatorAsync(new
            {
                name = $"Lastprov {n}", unitOfMeasure = "st", decimals = 1, direction = Direction.HigherIsBetter, periodicity = period.Kind,
                ownerUnitId = unit.Id, goalId = goal.Id,
            }, ct);
            if (!created.Ok)
            {
                throw new LoadException($"Could not add an indicator to {unit.Name}: {KedjaApi.Describe(created)}.");
            }
        }
    }

    /// <summary>The grid's form as read, with the first <paramref name="rows"/> values changed (a new value each round).</summary>
    private static Dictionary<string, string> Form(string page, int rows, int round)
    {
        var form = new Dictionary<string, string> { ["__RequestVerificationToken"] = Token().Match(page).Groups[1].Value };
        foreach (Match m in Hidden().Matches(page))
        {
            form[WebUtility.HtmlDecode(m.Groups[1].Value)] = WebUtility.HtmlDecode(m.Groups[2].Value);
        }

        var found = form.Keys.Count(k => k.EndsWith("].IndicatorId", StringComparison.Ordinal));
        if (found < rows)
        {
            throw new LoadException($"The grid has {found} rows, fewer than {rows}.");
        }

        var kept = new Dictionary<string, string> { ["__RequestVerificationToken"] = form["__RequestVerificationToken"] };
        for (var i = 0; i < rows; i++)
        {
            foreach (var field in (string[])["IndicatorId", "PeriodKey", "Version", "Original"])
            {
                kept[$"Rows[{i}].{field}"] = form.GetValueOrDefault($"Rows[{i}].{field}", "");
            }

            kept[$"Rows[{i}].Value"] = (10m + i + round / 10m).ToString("0.0", CultureInfo.GetCultureInfo("sv-SE"));
        }

        return kept;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Token();

    [GeneratedRegex("<input type=\"hidden\" name=\"(Rows\\[\\d+\\]\\.[A-Za-z]+)\" value=\"([^\"]*)\"")]
    private static partial Regex Hidden();
}
