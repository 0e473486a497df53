using System.Threading.Channels;

namespace Kedja.Web.Mail;

/// <summary>
/// Work done after the answer: sending mail, and the whole of a forgotten-password request, so that a request answers
/// in the same time whether or not an account exists. In process memory: a crash may lose a queued mail, which the
/// person asks for again (the link itself is in the database). Issue 14's durable job queue replaces it.
/// </summary>
public sealed class MailQueue
{
    private readonly Channel<Func<IServiceProvider, CancellationToken, Task>> channel =
        Channel.CreateBounded<Func<IServiceProvider, CancellationToken, Task>>(new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Send(EmailMessage message) => Run((services, ct) => services.GetRequiredService<IEmailSender>().SendAsync(message, ct));

    /// <summary>Runs the work in a scope of its own, after the current request.</summary>
    public void Run(Func<IServiceProvider, CancellationToken, Task> work) => channel.Writer.TryWrite(work);

    internal ChannelReader<Func<IServiceProvider, CancellationToken, Task>> Reader => channel.Reader;
}

public sealed class MailDispatcher(MailQueue queue, IServiceScopeFactory scopes, ILogger<MailDispatcher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var work in queue.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await work(scope.ServiceProvider, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                logger.LogError(e, "Ett utskick kunde inte göras.");
            }
        }
    }
}
