using System.Globalization;
using System.Text;
using Kedja.Web.Demo;
using Kedja.Web.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace Kedja.Web.Tests;

/// <summary>The Server-Timing header counts the time spent writing the body too, not only until the first byte (issue 8).</summary>
public class ServerTimingTests
{
    private static async Task<(double Duration, string Body, long? Length)> RunAsync(RequestDelegate handler)
    {
        var context = new DefaultHttpContext();
        var sent = new MemoryStream();
        context.Response.Body = sent;
        await new ServerTimingMiddleware(handler).InvokeAsync(context);
        var header = context.Response.Headers["Server-Timing"].ToString();
        header.ShouldStartWith("app;dur=");
        return (Metric(header, "app"), Encoding.UTF8.GetString(sent.ToArray()), context.Response.ContentLength);
    }

    /// <summary>The <c>dur</c> of one metric in <c>app;dur=12.3, db;dur=4.5</c>.</summary>
    private static double Metric(string header, string name) =>
        double.Parse(header.Split(',', StringSplitOptions.TrimEntries).Single(m => m.StartsWith(name + ";dur=", StringComparison.Ordinal))[(name.Length + 5)..],
            CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_body_written_slowly_is_counted_to_its_end_and_sent_whole()
    {
        var (duration, body, length) = await RunAsync(async context =>
        {
            foreach (var part in new[] { "{\"a\":", "1,", "\"b\":2}" })
            {
                await context.Response.WriteAsync(part);
                await context.Response.Body.FlushAsync();
                await Task.Delay(120);
            }
        });

        duration.ShouldBeGreaterThanOrEqualTo(300);
        body.ShouldBe("{\"a\":1,\"b\":2}");
        length.ShouldBe(body.Length);
    }

    [Fact]
    public async Task A_cleared_answer_sends_only_what_came_after_the_clearing()
    {
        var (_, body, _) = await RunAsync(async context =>
        {
            await context.Response.WriteAsync("{\"halv");
            context.Response.Clear();
            await context.Response.WriteAsync("{\"title\":\"fel\"}");
        });

        body.ShouldBe("{\"title\":\"fel\"}");
    }

    [Fact]
    public async Task A_body_larger_than_what_is_held_is_sent_on_whole()
    {
        var big = new string('x', ServerTimingMiddleware.HeldBytes + 10);
        var (_, body, length) = await RunAsync(async context =>
        {
            await context.Response.WriteAsync(big[..1000]);
            await context.Response.WriteAsync(big[1000..]);
        });

        body.ShouldBe(big);
        length.ShouldBeNull();
    }

    [Fact]
    public async Task An_api_answer_over_http_carries_the_header_with_its_database_part_and_its_exact_length()
    {
        await using var app = await KedjaApp.StartAsync("Sqlite", seedDemo: true);
        var client = await app.ClientAsync();
        var response = await client.GetAsync($"/api/v1/tenants/{DemoTenant.Slug}/units");
        var header = response.Headers.GetValues("Server-Timing").Single();
        header.ShouldStartWith("app;dur=");

        // The units were read from the database, within the request's time.
        Metric(header, "db").ShouldBeGreaterThan(0);
        Metric(header, "db").ShouldBeLessThanOrEqualTo(Metric(header, "app"));
        var body = await response.Content.ReadAsByteArrayAsync();
        response.Content.Headers.ContentLength.ShouldBe(body.Length);
        body.Length.ShouldBeGreaterThan(100);
    }
}
