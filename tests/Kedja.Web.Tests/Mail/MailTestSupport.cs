using Kedja.Data;
using Kedja.Web.Mail;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Kedja.Web.Tests.Mail;

internal static class MailTestSupport
{
    private static readonly TimeZoneInfo Sweden = TimeZoneInfo.FindSystemTimeZoneById("Europe/Stockholm");

    /// <summary>Stops the app's clock at the hour of the day, Swedish time.</summary>
    public static DateTimeOffset MoveTo(this KedjaApp app, DateOnly day, int hour)
    {
        app.Clock.Freeze();
        var local = day.ToDateTime(new TimeOnly(hour, 0));
        var target = new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(local, Sweden), TimeSpan.Zero);
        app.Clock.Advance(target - app.Clock.GetUtcNow());
        return app.Clock.GetUtcNow();
    }

    public static async Task<List<OutboxMail>> OutboxAsync(this KedjaApp app)
    {
        using var scope = app.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<KedjaDbContext>().Outbox.AsNoTracking().OrderBy(m => m.CreatedAt).ToListAsync();
    }

    /// <summary>Waits until the outbox satisfies the condition (the worker runs in the background), and returns it.</summary>
    public static async Task<List<OutboxMail>> WaitForOutboxAsync(this KedjaApp app, Func<List<OutboxMail>, bool> condition, string what, int seconds = 30)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var rows = await app.OutboxAsync();
            if (condition(rows))
            {
                return rows;
            }

            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException($"{what}: " + string.Join("; ", rows.Select(r => $"{r.Kind} {r.ToAddress} {r.State} {r.Attempts} {r.LastError}")));
            }

            await Task.Delay(100);
        }
    }

    /// <summary>
    /// The text of an outbox mail: its protected body while it waits, or the sent message from the pickup folder once the
    /// worker (which runs beside the test) has sent it and emptied the stored body.
    /// </summary>
    public static async Task<string> BodyAsync(this KedjaApp app, OutboxMail mail)
    {
        if (mail.Body.Length > 0)
        {
            return Outbox.Unprotect(app.Services.GetRequiredService<IDataProtectionProvider>(), mail.Body);
        }

        var messageId = Outbox.MessageId(mail.Key, app.Services.GetRequiredService<IOptions<MailOptions>>().Value.From);
        var until = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            if (app.MailsTo(mail.ToAddress).FirstOrDefault(m => m.MessageId == messageId) is { } sent)
            {
                return sent.TextBody ?? "";
            }

            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException($"the sent mail {mail.Key} is not in the pickup folder");
            }

            await Task.Delay(100);
        }
    }

    public static async Task<string> UserIdAsync(this KedjaApp app, string email)
    {
        using var scope = app.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<KedjaDbContext>().Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync();
    }
}
