using Kedja.Web.Public;

namespace Kedja.Web.Portal;

/// <summary>
/// Readies the portal of a tenant after its publications changed: the published view's statuses of its latest
/// published period computed on this node (about a second for the largest tenant), waited for up to <see
/// cref="Wait"/> and otherwise finished in the background. Other nodes do it when their <see cref="Periods.PublicationWatch"/>
/// sees the change.
/// </summary>
public sealed class PortalPreparation(IServiceScopeFactory scopes, ILogger<PortalPreparation> log)
{
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    public async Task PrepareAsync(string slug, CancellationToken cancellationToken = default)
    {
        var work = Task.Run(async () =>
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var reader = scope.ServiceProvider.GetRequiredService<PublicReader>();
                await reader.ReadAsync(slug, t => t.PrepareLatestAsync(CancellationToken.None), CancellationToken.None);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // The portal computes what it needs at its first request instead; nothing is lost but time.
                log.LogWarning(ex, "Could not prepare the portal of {Tenant}", slug);
            }
        }, CancellationToken.None);
        try
        {
            await work.WaitAsync(Wait, cancellationToken);
        }
        catch (TimeoutException)
        {
            log.LogInformation("Preparing the portal of {Tenant} goes on in the background", slug);
        }
    }
}
