namespace Kedja.Load;

/// <summary>
/// Writes outcomes as an editor would: read the outcome, send it back with a new value and the version read. The
/// value alternates between a changed one (half the original) and the original, so every write is a real change
/// and a run that ends on an even count leaves the values as they were (their revisions stay).
/// </summary>
public static class OutcomeWriter
{
    /// <summary>One write; its time is the PUT's alone. Counts only when the server took it.</summary>
    public static async Task<Timed> WriteAsync(KedjaApi api, WriteTarget target, CancellationToken ct)
    {
        var current = await api.OutcomeAsync(target.Indicator.Id, target.PeriodKey, ct);
        var answer = await api.PutOutcomeAsync(target.Indicator.Id, target.PeriodKey,
            new OutcomeItem(NextValue(target), current?.ValueWomen, current?.ValueMen, current?.Comment, current?.Version), ct);
        if (answer.Ok)
        {
            target.Writes++;
        }

        return answer;
    }

    public static decimal NextValue(WriteTarget target) => target.Original?.Value is { } v && v != 0
        ? target.Writes % 2 == 0 ? Math.Round(v / 2, 2) : v
        : target.Writes % 2 == 0 ? 1 : 2;

    /// <summary>Puts back the original value where the last write changed it (not timed; best effort within 60 seconds).</summary>
    public static async Task RestoreAsync(KedjaApi api, IEnumerable<WriteTarget> targets)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        foreach (var t in targets.Where(t => t.Writes % 2 == 1 && t.Original?.Value is { } v && v != 0))
        {
            try
            {
                var answer = await WriteAsync(api, t, timeout.Token);
                if (!answer.Ok)
                {
                    await Console.Error.WriteLineAsync($"Could not put back the outcome of {t.Indicator.Name} {t.PeriodKey}: {KedjaApi.Describe(answer)}");
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
            {
                await Console.Error.WriteLineAsync($"Could not put back the outcome of {t.Indicator.Name} {t.PeriodKey}: {ex.Message}");
                return;
            }
        }
    }
}
