using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Kedja.Domain.Organisation;

namespace Kedja.Load;

/// <summary>
/// Mode 4: signed-in people reading a unit's scorecard page (HTML, as a browser gets it) for a fixed time, each with
/// a sign-in cookie of their own from the sign-in form (issue 9's budget: p95 ≤ 100 ms server time with 10 people).
/// </summary>
public static partial class PageReaders
{
    public static async Task<int> RunAsync(KedjaApi api, TenantPicture tenant, Guid? unitId, int readers, TimeSpan duration, TimeSpan warmUp, TextWriter output, CancellationToken ct)
    {
        var (unit, chain) = ReadersAndWriters.Pick(tenant, unitId, UnitKind.Committee);
        var url = $"/k/{Uri.EscapeDataString(api.Slug)}/malkort/{unit.Id}?period={tenant.Period.Key}";
        var email = Environment.GetEnvironmentVariable(Program.EmailVariable)!;
        var password = Environment.GetEnvironmentVariable(Program.PasswordVariable)!;
        var people = new List<HttpClient>();
        try
        {
            for (var i = 0; i < readers; i++)
            {
                people.Add(await SignInAsync(api.BaseAddress, email, password, ct));
            }

            await output.WriteLineAsync(Header.Line("page-readers", api, tenant,
                $"{readers} signed-in people reading the scorecard page of {unit.Name} (chain {Figures.Count(chain)} goals) · {duration.TotalSeconds:0} s after {warmUp.TotalSeconds:0} s warm-up"));
            if (warmUp > TimeSpan.Zero)
            {
                await PhaseAsync(people, url, warmUp, ct);
            }

            var (samples, errors, seconds, bytes) = await PhaseAsync(people, url, duration, ct);
            await output.WriteLineAsync($"page         {Figures.Count(samples.Client.Count)} reads in {Figures.Number(seconds)} s = {Figures.Number(samples.Client.Count / seconds)} req/s · page {Figures.Number(bytes / 1024.0)} KB · client {Figures.Percentiles(samples.Client)} · server {Figures.Percentiles(samples.Server)} · of it in database {Figures.Percentiles(samples.Database)} · errors {Figures.Errors(errors)}");
            return errors.Count == 0 ? 0 : 1;
        }
        finally
        {
            foreach (var person in people)
            {
                person.Dispose();
            }
        }
    }

    /// <summary>Signs in through the form, as a browser does: the antiforgery token from the page, then the post.</summary>
    internal static async Task<HttpClient> SignInAsync(Uri baseUri, string email, string password, CancellationToken ct)
    {
        var handler = new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() };
        var client = new HttpClient(handler) { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(120) };
        var form = await client.GetStringAsync("/logga-in", ct);
        var token = Token().Match(form).Groups[1].Value;
        using var answer = await client.PostAsync("/logga-in", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["Email"] = email, ["losenord"] = password,
        }), ct);
        if (answer.StatusCode != HttpStatusCode.Redirect || answer.Headers.Location?.OriginalString.StartsWith("/logga-in", StringComparison.Ordinal) == true)
        {
            client.Dispose();
            throw new LoadException($"Signing in through the form as {email} was refused ({(int)answer.StatusCode}).");
        }

        return client;
    }

    private static async Task<(Samples Samples, Dictionary<string, int> Errors, double Seconds, long Bytes)> PhaseAsync(List<HttpClient> people, string url, TimeSpan duration, CancellationToken ct)
    {
        var all = new Samples();
        var errors = new Dictionary<string, int>();
        long bytes = 0;
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(people.Select(person => Task.Run(async () =>
        {
            var mine = new Samples();
            var buffer = new byte[64 * 1024];
            for (var n = 0; n < ReadersAndWriters.MaxReadsPerReader && Stopwatch.GetElapsedTime(started) < duration; n++)
            {
                var begun = Stopwatch.GetTimestamp();
                using var response = await person.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, ct);
                long length = 0;
                await using (var body = await response.Content.ReadAsStreamAsync(ct))
                {
                    for (int read; (read = await body.ReadAsync(buffer, ct)) > 0;)
                    {
                        length += read;
                    }
                }

                var timed = new Timed((int)response.StatusCode, Stopwatch.GetElapsedTime(begun).TotalMilliseconds, KedjaApi.ServerTiming(response), length, [], KedjaApi.ServerTiming(response, "db"));
                lock (errors)
                {
                    if (timed.Ok)
                    {
                        mine.Add(timed);
                        bytes = length;
                    }
                    else
                    {
                        errors[$"read {timed.Status}"] = errors.GetValueOrDefault($"read {timed.Status}") + 1;
                    }
                }
            }

            lock (all)
            {
                all.AddRange(mine);
            }
        }, ct)));
        return (all, errors, Stopwatch.GetElapsedTime(started).TotalSeconds, bytes);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Token();
}
