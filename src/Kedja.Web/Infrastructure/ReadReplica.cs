using Kedja.Data;
using Kedja.Web.FollowUp;
using Kedja.Web.Reports;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kedja.Web.Infrastructure;

/// <summary>
/// The request's context on the read replica (ConnectionStrings:KedjaReadOnly, issue 17), for report rendering: the
/// same model and tenant filters as the primary's (the request's <see cref="TenantScope"/>), tracking nothing, and
/// unable to write – SaveChanges is refused in the app and every connection runs in a read-only transaction
/// (<see cref="ReadOnlyTransactions"/>), so a replica and a primary reached by mistake refuse alike. Without the
/// setting there is none and everything reads from the primary. The editing interface never reads here: a replica may
/// lag behind the write a person just made.
/// </summary>
public sealed class ReadReplica(IOptions<DatabaseOptions> options, TenantScope scope, IAuditActor actor, TimeProvider clock) : IAsyncDisposable, IDisposable
{
    private KedjaDbContext? context;

    /// <summary>Null when no read replica is configured.</summary>
    public KedjaDbContext? Context => options.Value.ReadOnlyConnectionString is { } connectionString ? context ??= Open(connectionString) : null;

    /// <summary>Built once per connection string: a new options object per request would cost EF a lookup of its services each time.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(DatabaseProvider, string), DbContextOptions<KedjaDbContext>> Built = new();

    private KedjaDbContext Open(string connectionString)
    {
        var provider = options.Value.Provider;
        var built = Built.GetOrAdd((provider, connectionString), key =>
        {
            var builder = new DbContextOptionsBuilder<KedjaDbContext>();
            KedjaDatabase.Configure(builder, key.Item1, PublishedKedjaDbContext.ReadOnlyConnectionString(key.Item1, key.Item2))
                .AddInterceptors(ReadOnlyTransactions.Instance, RefusesWrites.Instance)
                .UseQueryTrackingBehavior(QueryTrackingBehavior.NoTracking);
            return builder.Options;
        });
        return new KedjaDbContext(built, scope, actor, clock);
    }

    /// <summary>The report builder of the request's scope, reading from the replica when there is one.</summary>
    public static ReportBuilder ReportBuilder(IServiceProvider services)
    {
        if (services.GetRequiredService<ReadReplica>().Context is not { } replica)
        {
            return services.GetRequiredService<ReportBuilder>();
        }

        var statuses = ActivatorUtilities.CreateInstance<StatusService>(services, replica);
        var scorecards = ActivatorUtilities.CreateInstance<Scorecards>(services, replica, statuses);
        var templates = ActivatorUtilities.CreateInstance<ReportTemplates>(services, replica);
        return ActivatorUtilities.CreateInstance<ReportBuilder>(services, replica, scorecards, templates);
    }

    /// <summary>A scope may be disposed either way (a worker's <c>using</c>, a request's <c>await using</c>).</summary>
    public void Dispose() => context?.Dispose();

    public async ValueTask DisposeAsync()
    {
        if (context is not null)
        {
            await context.DisposeAsync();
        }
    }
}
