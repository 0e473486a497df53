using System.Data.Common;
using System.Net;
using System.Runtime.CompilerServices;
using Kedja.Data;
using Kedja.Web.Auth;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Kedja.Web.Tests.Security;

/// <summary>
/// What the sign-in cookie's check costs every signed-in request (ADR 54 "Twentieth session"): the account and the
/// cookie's session row in one database command, not one each – and still read on every request, so that a session
/// ended on one node is refused on the next request on another (AsvsGapTests' sessions test, two nodes).
/// </summary>
public sealed class SignedInRequestCostTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_signed_in_request_reads_its_account_and_session_in_one_database_command(string provider)
    {
        var meter = new AuthenticationCommands();
        await using var app = await KedjaApp.StartAsync(provider, services: s =>
        {
            s.ConfigureDbContext<KedjaDbContext>(o => o.AddInterceptors(meter));
            s.AddSingleton<IStartupFilter>(meter);
        });
        var browser = await app.SignedInBrowserAsync();

        // Within a minute of the sign-in "last seen" is not written: the check is the read alone.
        (await browser.GetAsync("/profil")).StatusCode.ShouldBe(HttpStatusCode.OK);
        meter.Last.ShouldBe(1);

        // A minute on, the check also moves "last seen" on (one write a minute per session, not one per request).
        app.Clock.Advance(BrowserSessions.SeenEvery);
        (await browser.GetAsync("/profil")).StatusCode.ShouldBe(HttpStatusCode.OK);
        meter.Last.ShouldBe(2);
        (await browser.GetAsync("/profil")).StatusCode.ShouldBe(HttpStatusCode.OK);
        meter.Last.ShouldBe(1);
    }

    /// <summary>Counts the database commands of one request's authentication (run first, then cached for the request).</summary>
    private sealed class AuthenticationCommands : DbCommandInterceptor, IStartupFilter
    {
        private static readonly AsyncLocal<StrongBox<int>?> Counting = new();

        public int Last { get; private set; } = -1;

        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, nextMiddleware) =>
            {
                var box = Counting.Value = new StrongBox<int>();
                await context.AuthenticateAsync();
                Counting.Value = null;
                Last = box.Value;
                await nextMiddleware(context);
            });
            next(app);
        };

        // EF makes a command for every execution (reader, non-query, scalar): one created, one round trip.
        public override DbCommand CommandCreated(CommandEndEventData eventData, DbCommand result)
        {
            if (Counting.Value is { } box)
            {
                Interlocked.Increment(ref box.Value);
            }

            return result;
        }
    }
}
