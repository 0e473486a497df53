using System.Diagnostics;
using System.Globalization;
using Kedja.Data;
using Kedja.Web.Mail;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Kedja.Web.Tests.Mail;

/// <summary>
/// Two Kedja processes (the built Kedja.Web.dll run twice, as two servers behind a load balancer would run it) on one
/// PostgreSQL database and one SMTP server: every mail queued leaves once.
/// </summary>
public class TwoNodeTests(ITestOutputHelper output)
{
    private const int Mails = 40;

    [NodeFact]
    public async Task Two_app_processes_on_one_postgresql_database_send_each_mail_once()
    {
        if (!TestDatabase.HasPostgres)
        {
            output.WriteLine(TestDatabase.PostgresMissing);
            return;
        }

        await using var sink = await SmtpSink.StartAsync();
        var settings = sink.Settings();

        // This in-process app only queues: it is the database's owner and sends nothing itself.
        settings["Kedja:Mail:RunWorker"] = "false";
        await using var app = await KedjaApp.StartAsync("Postgres", settings: settings);
        var nodes = new[] { StartNode(app, sink, 5470), StartNode(app, sink, 5471) };
        try
        {
            await Task.WhenAll(nodes.Select(n => n.Ready.Task.WaitAsync(TimeSpan.FromSeconds(120))));

            // Queued in rounds while both nodes poll, so that they race for the same rows.
            for (var round = 0; round < 4; round++)
            {
                using var scope = app.Services.CreateScope();
                var outbox = scope.ServiceProvider.GetRequiredService<Outbox>();
                for (var i = 0; i < Mails / 4; i++)
                {
                    var n = round * (Mails / 4) + i;
                    outbox.Add($"test:{n}", "test", new EmailMessage($"person{n}@test.kedja", $"Prov {n}", $"Brev nummer {n}."));
                }

                await scope.ServiceProvider.GetRequiredService<KedjaDbContext>().SaveChangesAsync();
                await Task.Delay(700);
            }

            var rows = await app.WaitForOutboxAsync(r => r.Count == Mails && r.All(m => m.State == OutboxMailState.Sent), "every mail sent by the two nodes", 90);
            await Task.Delay(3000);
            var messages = sink.Messages();
            messages.Count.ShouldBe(Mails);
            messages.Select(m => m.To.Mailboxes.Single().Address).ShouldBe(Enumerable.Range(0, Mails).Select(n => $"person{n}@test.kedja"), ignoreOrder: true);
            messages.Select(m => m.MessageId).Distinct().Count().ShouldBe(Mails);
            messages.Select(m => m.MessageId).ShouldBe(rows.Select(r => Outbox.MessageId(r.Key, "Kedja <kedja@exempelkommun.se>")), ignoreOrder: true);
            rows.ShouldAllBe(r => r.Attempts == 1);
            output.WriteLine($"Sent by the nodes: {string.Join(", ", nodes.Select(n => n.Sent))}");
        }
        finally
        {
            foreach (var node in nodes)
            {
                node.Stop();
            }
        }

        nodes.ShouldAllBe(n => n.Errors.Count == 0, string.Join("\n", nodes.SelectMany(n => n.Errors)));
    }

    private sealed class Node(Process process)
    {
        public TaskCompletionSource Ready { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        private int sent;

        public int Sent => Volatile.Read(ref sent);

        public List<string> Errors { get; } = [];

        public void Line(string? line)
        {
            if (line is null)
            {
                return;
            }

            if (line.Contains("Now listening on", StringComparison.Ordinal))
            {
                Ready.TrySetResult();
            }

            if (line.Contains("skickades via", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref sent);
            }

            if (line.Contains("fail:", StringComparison.Ordinal) || line.Contains("crit:", StringComparison.Ordinal))
            {
                lock (Errors)
                {
                    Errors.Add(line);
                }
            }
        }

        public void Stop()
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(10_000);
            }

            process.Dispose();
        }
    }

    private static Node StartNode(KedjaApp app, SmtpSink sink, int port)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Kedja.Web.dll"));
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        var environment = new Dictionary<string, string>
        {
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ConnectionStrings__Kedja"] = app.ConnectionString,
            ["Kedja__Database__Provider"] = "Postgres",
            ["Kedja__Database__MigrateOnStartup"] = "false",
            ["Kedja__Demo__Seed"] = "false",
            ["Kedja__Kolada__RunScheduler"] = "false",
            ["Kedja__Portal__WatchPublicationsSeconds"] = "0",
            ["Kedja__Mail__RunReminders"] = "false",
            ["Kedja__Mail__PollSeconds"] = "1",
            ["Kedja__Mail__PublicBaseUrl"] = "https://kedja.exempelkommun.se",
            ["Kedja__Mail__From"] = "Kedja <kedja@exempelkommun.se>",
            ["Kedja__Mail__Smtp__Host"] = "127.0.0.1",
            ["Kedja__Mail__Smtp__Port"] = sink.Port.ToString(CultureInfo.InvariantCulture),
            ["Kedja__Mail__Smtp__Security"] = "None",
            ["Logging__LogLevel__Default"] = "Information",
        };
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start)!;
        var node = new Node(process);
        process.OutputDataReceived += (_, e) => node.Line(e.Data);
        process.ErrorDataReceived += (_, e) => node.Line(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return node;
    }
}
