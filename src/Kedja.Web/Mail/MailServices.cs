using Kedja.Data;
using Microsoft.Extensions.Options;

namespace Kedja.Web.Mail;

public static class MailServices
{
    /// <summary>The outbox, its worker on this node, the sender SMTP or pickup folder, the notices and the reminders (ADR 45).</summary>
    public static IServiceCollection AddKedjaMail(this IServiceCollection services)
    {
        services.AddSingleton<MailSignal>();
        services.AddSingleton<MailCommitInterceptor>();
        services.ConfigureDbContext<KedjaDbContext>((sp, o) => o.AddInterceptors(sp.GetRequiredService<MailCommitInterceptor>()));
        services.AddScoped<Outbox>();
        services.AddScoped<FollowUpNotices>();
        services.AddScoped<OutboxAdministration>();
        services.AddScoped<ReminderSettings>();
        services.AddSingleton<PickupDirectoryEmailSender>();
        services.AddSingleton<SmtpEmailSender>();
        services.AddSingleton<IEmailSender>(sp => sp.GetRequiredService<IOptions<MailOptions>>().Value.UsesSmtp
            ? sp.GetRequiredService<SmtpEmailSender>()
            : sp.GetRequiredService<PickupDirectoryEmailSender>());
        services.AddSingleton<MailWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<MailWorker>());
        services.AddSingleton<Reminders>();
        services.AddHostedService(sp => sp.GetRequiredService<Reminders>());
        return services;
    }
}
