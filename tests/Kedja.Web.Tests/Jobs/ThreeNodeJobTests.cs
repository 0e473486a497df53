using System.Net.Http.Json;
using Kedja.Data;
using Kedja.Domain.Imports;
using Kedja.Domain.Reports;
using Kedja.Domain.Tenancy;
using Kedja.Kolada.Tests;
using Kedja.Web.Demo;
using Kedja.Web.Imports;
using Kedja.Web.Infrastructure;
using Kedja.Web.Kolada;
using Kedja.Web.Mail;
using Kedja.Web.Reports;
using Kedja.Web.Tests.Imports;
using Kedja.Web.Tests.Kolada;
using Kedja.Web.Tests.Mail;
using Kedja.Web.Tests.Reports;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kedja.Web.Tests.Jobs;

/// <summary>
/// Issue 17: three app nodes on one database with one clock, their background workers driven side by side as the
/// nodes' own loops would run them. Every due Kolada fetch, reminder digest, report, file check and mail is done exactly
/// once (counted in rows, claims and sent files); work held by a node that died is finished by another once its lease
/// ran out, while a live node's long Kolada fetch keeps its lease; one tenant's long queue of heavy jobs never hides
/// another tenant's job and never runs more than its limit at once.
/// </summary>
public sealed class ThreeNodeJobTests
{
    private const string Beta = "beta";

    /// <summary>Every worker driven by the test; the Kolada scheduler, reminders and reorganisations are off in every test app.</summary>
    private static Dictionary<string, string?> ByHand(FakeKolada? kolada = null, params (string Key, string Value)[] more)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Kedja:Reports:RunWorker"] = "false",
            ["Kedja:Imports:RunWorker"] = "false",
            ["Kedja:Mail:RunWorker"] = "false",
        };
        if (kolada is not null)
        {
            settings["Kedja:Kolada:BaseUrl"] = kolada.BaseUrl;
            settings["Kedja:Kolada:MaxRetries"] = "1";
            settings["Kedja:Kolada:RetryBaseDelaySeconds"] = "0";
            settings["Kedja:Kolada:TimeoutSeconds"] = "10";
        }

        foreach (var (key, value) in more)
        {
            settings[key] = value;
        }

        return settings;
    }

    private sealed class Nodes(KedjaApp first, KedjaApp second, KedjaApp third) : IAsyncDisposable
    {
        public KedjaApp First { get; } = first;

        public KedjaApp[] All { get; } = [first, second, third];

        private readonly HashSet<KedjaApp> gone = [];

        public MovableClock Clock => First.Clock;

        /// <summary>The node stops and is not started again; its database stays the first node's.</summary>
        public async Task StopAsync(KedjaApp node)
        {
            gone.Add(node);
            await node.DisposeAsync();
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var node in All.Reverse().Where(n => !gone.Contains(n)))
            {
                await node.DisposeAsync();
            }
        }
    }

    /// <summary>The demo tenant and "beta" on one database, served by three nodes reading one clock.</summary>
    private static async Task<Nodes> StartAsync(string provider, Dictionary<string, string?> settings, bool beta = true)
    {
        var app = await KedjaApp.StartAsync(provider, seedDemo: true, settings: settings);
        if (beta)
        {
            var admin = await app.ClientAsync();
            (await admin.PostAsJsonAsync("/api/v1/tenants", new { slug = Beta, name = "Beta", kommunkod = "1234", template = Templates.ModelTemplates.Heby })).IsSuccessStatusCode.ShouldBeTrue();
        }

        return new Nodes(app, app.OtherNode(sameClock: true), app.OtherNode(sameClock: true));
    }

    private static T Worker<T>(KedjaApp node) where T : class => ActivatorUtilities.CreateInstance<T>(node.Services);

    /// <summary>Every node's worker looks at once, round after round, until a round finds nothing; the number of jobs done.</summary>
    private static async Task<int> DrainAsync(IEnumerable<Func<Task<bool>>> looks)
    {
        var workers = looks.ToList();
        var done = 0;
        for (var round = 0; round < 100; round++)
        {
            var ran = await Task.WhenAll(workers.Select(look => look()));
            done += ran.Count(r => r);
            if (!ran.Any(r => r))
            {
                return done;
            }
        }

        throw new TimeoutException("The workers never ran out of work.");
    }

    private static async Task<Guid> OrderReportAsync(HttpClient admin, KedjaApp app, string slug)
    {
        var (scope, db) = app.DbFor(slug);
        Guid unit;
        using (scope)
        {
            unit = await db.Units.OrderBy(u => u.SortOrder).Select(u => u.Id).FirstAsync();
        }

        return (await ReportJobTests.OrderAsync(admin, new { unitId = unit, templateKey = "malkortsrapport", format = "html" }, slug)).GetProperty("id").GetGuid();
    }

    /// <summary>A file uploaded to the tenant as the system would, with one row naming no indicator: its check finds a problem.</summary>
    private static async Task<Guid> UploadAsync(KedjaApp app, string slug, int n)
    {
        using var scope = app.Services.CreateScope();
        (await scope.ServiceProvider.GetRequiredService<TenantAccess>().EnterAsSystemAsync(slug)).Error.ShouldBeNull();
        var started = await scope.ServiceProvider.GetRequiredService<ImportJobs>().StartAsync($"utfall-{n}.csv", OutcomeImportTests.Csv("Indikator-id;Period;Utfall", $"{Guid.NewGuid()};2026-T3;{n}"));
        return started.Value!.Id;
    }

    private static async Task<T> ReadAsync<T>(KedjaApp app, Func<KedjaDbContext, Task<T>> read)
    {
        using var scope = app.Services.CreateScope();
        return await read(scope.ServiceProvider.GetRequiredService<KedjaDbContext>());
    }

    private static Task<Guid> TenantIdAsync(KedjaApp app, string slug) => ReadAsync(app, db => db.Tenants.Where(t => t.Slug == slug).Select(t => t.Id).SingleAsync());

    /// <summary>A fake Kolada with the KPI and municipality the demo's opening hours are linked to, and a value for 2020.</summary>
    private static async Task<FakeKolada> KoladaWithHoursAsync()
    {
        var kolada = await FakeKolada.StartAsync();
        kolada.AddMunicipality("1280", "Malmö");
        kolada.AddKpi(new FakeKpi("N00945", "Öppettimmar vid folkbibliotek per vecka", IsDividedByGender: false));
        kolada.SetValue("N00945", "1280", 2020, 45m);
        return kolada;
    }

    private static List<MimeKit.MimeMessage> SentFiles(Nodes nodes) =>
        [.. nodes.All.Where(n => Directory.Exists(n.MailDirectory)).SelectMany(n => Directory.GetFiles(n.MailDirectory, "*.eml")).Select(f => MimeKit.MimeMessage.Load(f))];

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Three_nodes_on_a_moved_clock_run_every_due_kolada_fetch_reminder_report_check_and_mail_exactly_once(string provider)
    {
        await using var kolada = await KoladaWithHoursAsync();
        await using var nodes = await StartAsync(provider, ByHand(kolada));
        var app = nodes.First;
        var admin = await app.ClientAsync();
        var hours = await KoladaFetchingTests.IndicatorAsync(app, KoladaFetchingTests.Hours);
        await KoladaFetchingTests.LinkAsync(admin, hours.Id, "N00945", "1280");
        var (school, _) = await ReminderJourneyTests.ArrangeDeadlinesAsync(app);
        await app.MemberAsync(DemoTenant.Slug, TenantRole.Editor, school);
        await app.MemberAsync(DemoTenant.Slug, TenantRole.Editor, school);

        // Three days before the deadline, at nine in the morning Swedish time, on every node's clock.
        var now = app.MoveTo(ReminderJourneyTests.Due.AddDays(-3), 9);

        // Kolada: each tenant's due fetch once across the nodes, nothing again within the interval, once again a day later.
        var schedulers = nodes.All.Select(Worker<KoladaScheduler>).ToList();
        kolada.ClearRequests();
        (await Task.WhenAll(schedulers.Select(s => s.RunOnceAsync()))).Sum().ShouldBe(2, "the demo tenant and beta");
        kolada.Requests.Count(r => r.Contains("/data/", StringComparison.Ordinal) && r.Contains("1280", StringComparison.Ordinal)).ShouldBe(1);
        (await Task.WhenAll(schedulers.Select(s => s.RunOnceAsync()))).Sum().ShouldBe(0);
        var outcomeAudit = await ReadAsync(app, db => db.AuditEntries.IgnoreQueryFilters().CountAsync(a => a.Entity == "Outcome" && a.UserName == KoladaFetching.ActorName));
        outcomeAudit.ShouldBeGreaterThan(0);

        // Reminders: one digest a person a day, however many nodes look.
        var reminders = nodes.All.Select(n => n.Services.GetRequiredService<Reminders>()).ToList();
        var queued = (await Task.WhenAll(reminders.Select(r => r.RunOnceAsync(now)))).Sum();
        queued.ShouldBeGreaterThan(0);
        (await Task.WhenAll(reminders.Select(r => r.RunOnceAsync(now.AddMinutes(15))))).Sum().ShouldBe(0);
        var digests = await ReadAsync(app, db => db.Outbox.Where(m => m.Kind == MailKinds.Digest).Select(m => m.UserId).ToListAsync());
        digests.Count.ShouldBe(queued);
        digests.Distinct().Count().ShouldBe(queued);

        // Reports and file checks of both tenants: each claimed once by one of the nodes.
        var reports = new List<Guid>();
        var imports = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            reports.Add(await OrderReportAsync(admin, app, DemoTenant.Slug));
            imports.Add(await UploadAsync(app, DemoTenant.Slug, i));
        }

        for (var i = 0; i < 2; i++)
        {
            reports.Add(await OrderReportAsync(admin, app, Beta));
            imports.Add(await UploadAsync(app, Beta, i));
        }

        var reportWorkers = nodes.All.Select(Worker<ReportWorker>).ToList();
        (await DrainAsync(reportWorkers.Select(w => (Func<Task<bool>>)(() => w.RunOnceAsync())))).ShouldBe(reports.Count);
        var jobs = await ReadAsync(app, db => db.ReportJobs.IgnoreQueryFilters().Where(j => reports.Contains(j.Id)).ToListAsync());
        jobs.ShouldAllBe(j => j.Attempts == 1 && j.Slot == null && (j.State == ReportJobState.Done || j.State == ReportJobState.Failed));
        jobs.Count(j => j.State == ReportJobState.Done).ShouldBeGreaterThanOrEqualTo(3, "the demo tenant's reports are made");

        var importWorkers = nodes.All.Select(Worker<ImportWorker>).ToList();
        (await DrainAsync(importWorkers.Select(w => (Func<Task<bool>>)(() => w.RunOnceAsync())))).ShouldBe(imports.Count);
        var checkedFiles = await ReadAsync(app, db => db.OutcomeImports.IgnoreQueryFilters().Where(i => imports.Contains(i.Id)).ToListAsync());
        checkedFiles.ShouldAllBe(i => i.Slot == null && i.LeaseOwner == null && (i.State == OutcomeImportState.Checked || i.State == OutcomeImportState.Failed));

        // Mail: every row of the outbox sent by one node, once.
        var mailWorkers = nodes.All.Select(Worker<MailWorker>).ToList();
        var outbox = await ReadAsync(app, db => db.Outbox.CountAsync());
        (await DrainAsync(mailWorkers.Select(w => (Func<Task<bool>>)(() => w.RunOnceAsync())))).ShouldBe(outbox);
        var rows = await ReadAsync(app, db => db.Outbox.ToListAsync());
        rows.ShouldAllBe(m => m.State == OutboxMailState.Sent && m.Attempts == 1);
        var sent = SentFiles(nodes);
        sent.Count.ShouldBe(outbox);
        sent.Select(m => m.MessageId).Distinct().Count().ShouldBe(outbox);

        // A day later each tenant's Kolada fetch is due again: once more, by one node.
        nodes.Clock.Advance(TimeSpan.FromHours(24.5));
        (await Task.WhenAll(schedulers.Select(s => s.RunOnceAsync()))).Sum().ShouldBe(2);
        (await ReadAsync(app, db => db.KoladaSchedules.IgnoreQueryFilters().ToListAsync())).ShouldAllBe(s => s.LeaseOwner == null && s.NextRunAt > nodes.Clock.GetUtcNow().UtcDateTime);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Work_held_by_a_node_that_died_is_finished_by_another_node_once_its_lease_ran_out(string provider)
    {
        await using var kolada = await FakeKolada.StartAsync();
        await using var nodes = await StartAsync(provider, ByHand(kolada), beta: false);
        var app = nodes.First;
        nodes.Clock.Freeze();
        var admin = await app.ClientAsync();
        var report = await OrderReportAsync(admin, app, DemoTenant.Slug);
        var import = await UploadAsync(app, DemoTenant.Slug, 1);
        string mailKey;
        using (var scope = app.Services.CreateScope())
        {
            var outbox = scope.ServiceProvider.GetRequiredService<Outbox>();
            mailKey = "test:left-by-a-dead-node";
            outbox.Add(mailKey, "test", new EmailMessage("person@test.kedja", "Prov", "Ett brev."));
            await scope.ServiceProvider.GetRequiredService<KedjaDbContext>().SaveChangesAsync();
        }

        // The Kolada schedules exist and are due again.
        var tenants = await ReadAsync(app, db => db.Tenants.CountAsync());
        (await Worker<KoladaScheduler>(app).RunOnceAsync()).ShouldBe(tenants);
        nodes.Clock.Advance(TimeSpan.FromHours(24.5));

        // The third node claims each piece of work, as its workers do, and dies: no graceful stop, nothing released.
        var dead = nodes.All[2];
        var (deadReports, deadImports, deadMail, deadKolada) = (Worker<ReportWorker>(dead).Name, Worker<ImportWorker>(dead).Name, Worker<MailWorker>(dead).Name, Worker<KoladaScheduler>(dead).Name);
        var now = nodes.Clock.GetUtcNow().UtcDateTime;
        using (var scope = app.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<KedjaDbContext>();
            await db.ReportJobs.IgnoreQueryFilters().Where(j => j.Id == report).ExecuteUpdateAsync(s => s.SetProperty(j => j.State, ReportJobState.Running)
                .SetProperty(j => j.LeaseOwner, deadReports).SetProperty(j => j.LeaseUntil, now.AddSeconds(60)).SetProperty(j => j.Slot, 1).SetProperty(j => j.Attempts, 1));
            await db.OutcomeImports.IgnoreQueryFilters().Where(i => i.Id == import).ExecuteUpdateAsync(s => s.SetProperty(i => i.State, OutcomeImportState.Checking)
                .SetProperty(i => i.LeaseOwner, deadImports).SetProperty(i => i.LeaseUntil, now.AddSeconds(60)).SetProperty(i => i.Slot, 1).SetProperty(i => i.Attempts, 1));
            await db.Outbox.Where(m => m.Key == mailKey).ExecuteUpdateAsync(s => s.SetProperty(m => m.LeaseOwner, deadMail).SetProperty(m => m.LeaseUntil, now.AddSeconds(60)));
            await db.KoladaSchedules.IgnoreQueryFilters().ExecuteUpdateAsync(s => s.SetProperty(x => x.LeaseOwner, deadKolada).SetProperty(x => x.LeaseUntil, now.AddMinutes(30)));
        }

        await nodes.StopAsync(dead);
        var alive = nodes.All[..2];
        var reportWorkers = alive.Select(Worker<ReportWorker>).ToList();
        var importWorkers = alive.Select(Worker<ImportWorker>).ToList();
        var mailWorkers = alive.Select(Worker<MailWorker>).ToList();
        var schedulers = alive.Select(Worker<KoladaScheduler>).ToList();
        async Task<int[]> LookAsync() =>
        [
            (await Task.WhenAll(reportWorkers.Select(w => w.RunOnceAsync()))).Count(r => r),
            (await Task.WhenAll(importWorkers.Select(w => w.RunOnceAsync()))).Count(r => r),
            (await Task.WhenAll(mailWorkers.Select(w => w.RunOnceAsync()))).Count(r => r),
            (await Task.WhenAll(schedulers.Select(s => s.RunOnceAsync()))).Sum(),
        ];

        (await LookAsync()).ShouldBe([0, 0, 0, 0], "the dead node's leases still hold");
        nodes.Clock.Advance(TimeSpan.FromSeconds(61));
        (await LookAsync()).ShouldBe([1, 1, 1, 0], "the jobs' and the mail's leases ran out; the Kolada fetch's holds half an hour");
        (await LookAsync()).ShouldBe([0, 0, 0, 0]);
        nodes.Clock.Advance(TimeSpan.FromMinutes(30));
        (await LookAsync()).ShouldBe([0, 0, 0, tenants]);

        var job = await ReadAsync(app, db => db.ReportJobs.IgnoreQueryFilters().SingleAsync(j => j.Id == report));
        (job.State, job.Attempts, job.Slot, job.LeaseOwner).ShouldBe((ReportJobState.Done, 2, (int?)null, (string?)null));
        reportWorkers.Select(w => w.Name).ShouldNotContain(deadReports);
        var file = await ReadAsync(app, db => db.OutcomeImports.IgnoreQueryFilters().SingleAsync(i => i.Id == import));
        (file.Slot, file.LeaseOwner, file.Progress).ShouldBe(((int?)null, (string?)null, 100));
        file.State.ShouldBeOneOf(OutcomeImportState.Checked, OutcomeImportState.Failed);
        (await ReadAsync(app, db => db.Outbox.SingleAsync(m => m.Key == mailKey))).State.ShouldBe(OutboxMailState.Sent);
        SentFiles(nodes).Count(m => m.Subject == "Prov").ShouldBe(1);
        (await ReadAsync(app, db => db.KoladaSchedules.IgnoreQueryFilters().ToListAsync())).ShouldAllBe(x => x.LeaseOwner == null);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_live_nodes_slow_kolada_fetch_keeps_its_lease_and_a_stopping_node_gives_the_fetch_back_still_due(string provider)
    {
        await using var kolada = await KoladaWithHoursAsync();

        // A lease of three seconds, renewed every 0.75 s while the fetch runs.
        await using var nodes = await StartAsync(provider, ByHand(kolada, ("Kedja:Kolada:LeaseMinutes", "0.05")), beta: false);
        var app = nodes.First;
        var admin = await app.ClientAsync();
        var hours = await KoladaFetchingTests.IndicatorAsync(app, KoladaFetchingTests.Hours);
        await KoladaFetchingTests.LinkAsync(admin, hours.Id, "N00945", "1280");
        var (first, second) = (Worker<KoladaScheduler>(nodes.All[0]), Worker<KoladaScheduler>(nodes.All[1]));

        async Task HeldByAsync(string owner)
        {
            for (var i = 0; i < 100; i++)
            {
                if (await ReadAsync(app, db => db.KoladaSchedules.IgnoreQueryFilters().AnyAsync(s => s.LeaseOwner == owner)))
                {
                    return;
                }

                await Task.Delay(50);
            }

            throw new TimeoutException("The first node never claimed the fetch.");
        }

        // Kolada answers slowly; the clock passes the lease many times over while the first node waits for it.
        kolada.Script("/kpi", FakeResponse.Slow(TimeSpan.FromSeconds(5)));
        var fetching = first.RunOnceAsync();
        await HeldByAsync(first.Name);
        nodes.Clock.Advance(TimeSpan.FromMinutes(1));
        await Task.Delay(TimeSpan.FromSeconds(2));
        (await second.RunOnceAsync()).ShouldBe(0, "the first node is alive and renews its lease");
        (await fetching).ShouldBe(1);
        kolada.Requests.Count(r => r.Contains("/data/", StringComparison.Ordinal)).ShouldBe(1);

        // A day later the first node stops in the middle of the fetch: the fetch is given back, due, for the next node at once.
        nodes.Clock.Advance(TimeSpan.FromHours(24.5));
        kolada.Script("/kpi", FakeResponse.Slow(TimeSpan.FromSeconds(10)));
        using var stopping = new CancellationTokenSource();
        fetching = first.RunOnceAsync(stopping.Token);
        await HeldByAsync(first.Name);
        await stopping.CancelAsync();
        await Should.ThrowAsync<OperationCanceledException>(fetching);
        var demo = await TenantIdAsync(app, DemoTenant.Slug);
        var schedule = await ReadAsync(app, db => db.KoladaSchedules.IgnoreQueryFilters().SingleAsync(s => s.TenantId == demo));
        schedule.LeaseOwner.ShouldBeNull();
        schedule.NextRunAt.ShouldBeLessThanOrEqualTo(nodes.Clock.GetUtcNow().UtcDateTime);
        kolada.ClearScripts();
        (await second.RunOnceAsync()).ShouldBe(1);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task One_tenants_long_queue_of_reports_and_files_never_hides_another_tenants_and_never_runs_more_than_its_limit(string provider)
    {
        await using var nodes = await StartAsync(provider, ByHand(null, ("Kedja:Reports:RunningPerTenant", "1"), ("Kedja:Imports:RunningPerTenant", "1")));
        var app = nodes.First;
        var admin = await app.ClientAsync();
        var a = await TenantIdAsync(app, DemoTenant.Slug);

        // More of tenant A's jobs wait than a worker reads candidates at a time, all older than tenant B's one.
        const int Queued = 22;
        var reportsOfA = new List<Guid>();
        var importsOfA = new List<Guid>();
        for (var i = 0; i < Queued; i++)
        {
            reportsOfA.Add(await OrderReportAsync(admin, app, DemoTenant.Slug));
            importsOfA.Add(await UploadAsync(app, DemoTenant.Slug, i));
        }

        var reportOfB = await OrderReportAsync(admin, app, Beta);
        var importOfB = await UploadAsync(app, Beta, 0);

        // A's oldest of each is being made by a node that lives and holds its lease: A's one slot is taken.
        var until = nodes.Clock.GetUtcNow().UtcDateTime.AddMinutes(5);
        using (var scope = app.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<KedjaDbContext>();
            await db.ReportJobs.IgnoreQueryFilters().Where(j => j.Id == reportsOfA[0]).ExecuteUpdateAsync(s => s.SetProperty(j => j.State, ReportJobState.Running)
                .SetProperty(j => j.LeaseOwner, "annan-nod").SetProperty(j => j.LeaseUntil, until).SetProperty(j => j.Slot, 1).SetProperty(j => j.Attempts, 1));
            await db.OutcomeImports.IgnoreQueryFilters().Where(i => i.Id == importsOfA[0]).ExecuteUpdateAsync(s => s.SetProperty(i => i.State, OutcomeImportState.Checking)
                .SetProperty(i => i.LeaseOwner, "annan-nod").SetProperty(i => i.LeaseUntil, until).SetProperty(i => i.Slot, 1).SetProperty(i => i.Attempts, 1));
        }

        // Another node's worker takes B's job although 21 of A's are older, and leaves A's waiting.
        (await Worker<ReportWorker>(nodes.All[1]).RunOnceAsync()).ShouldBeTrue();
        (await Worker<ImportWorker>(nodes.All[1]).RunOnceAsync()).ShouldBeTrue();
        (await ReadAsync(app, db => db.ReportJobs.IgnoreQueryFilters().SingleAsync(j => j.Id == reportOfB))).State.ShouldBe(ReportJobState.Done);
        (await ReadAsync(app, db => db.OutcomeImports.IgnoreQueryFilters().SingleAsync(i => i.Id == importOfB))).Progress.ShouldBe(100, "B's file is checked");
        (await ReadAsync(app, db => db.ReportJobs.IgnoreQueryFilters().CountAsync(j => j.TenantId == a && j.State == ReportJobState.Queued))).ShouldBe(Queued - 1);
        (await ReadAsync(app, db => db.OutcomeImports.IgnoreQueryFilters().CountAsync(i => i.TenantId == a && i.State == OutcomeImportState.CheckQueued))).ShouldBe(Queued - 1);
        (await Worker<ReportWorker>(nodes.All[2]).RunOnceAsync()).ShouldBeFalse("A's one slot is held");
        (await Worker<ImportWorker>(nodes.All[2]).RunOnceAsync()).ShouldBeFalse("A's one slot is held");

        // The other node finishes A's first; then three nodes drain A's queue, never more than one of A's at a time.
        using (var scope = app.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<KedjaDbContext>();
            await db.ReportJobs.IgnoreQueryFilters().Where(j => j.Id == reportsOfA[0]).ExecuteUpdateAsync(s => s.SetProperty(j => j.State, ReportJobState.Done)
                .SetProperty(j => j.LeaseOwner, (string?)null).SetProperty(j => j.LeaseUntil, (DateTime?)null).SetProperty(j => j.Slot, (int?)null));
            await db.OutcomeImports.IgnoreQueryFilters().Where(i => i.Id == importsOfA[0]).ExecuteUpdateAsync(s => s.SetProperty(i => i.State, OutcomeImportState.Failed)
                .SetProperty(i => i.LeaseOwner, (string?)null).SetProperty(i => i.LeaseUntil, (DateTime?)null).SetProperty(i => i.Slot, (int?)null));
        }

        var mostRunning = 0;
        using var watching = new CancellationTokenSource();
        var watch = Task.Run(async () =>
        {
            while (!watching.IsCancellationRequested)
            {
                var running = await ReadAsync(app, async db => Math.Max(
                    await db.ReportJobs.IgnoreQueryFilters().CountAsync(j => j.TenantId == a && j.State == ReportJobState.Running),
                    await db.OutcomeImports.IgnoreQueryFilters().CountAsync(i => i.TenantId == a && i.State == OutcomeImportState.Checking)));
                mostRunning = Math.Max(mostRunning, running);
                await Task.Delay(5);
            }
        });
        var reportWorkers = nodes.All.Select(Worker<ReportWorker>).ToList();
        var importWorkers = nodes.All.Select(Worker<ImportWorker>).ToList();
        var done = await Task.WhenAll(
            DrainAsync(reportWorkers.Select(w => (Func<Task<bool>>)(() => w.RunOnceAsync()))),
            DrainAsync(importWorkers.Select(w => (Func<Task<bool>>)(() => w.RunOnceAsync()))));
        await watching.CancelAsync();
        await watch;

        done.ShouldBe([Queued - 1, Queued - 1]);
        mostRunning.ShouldBeLessThanOrEqualTo(1);
        var reports = await ReadAsync(app, db => db.ReportJobs.IgnoreQueryFilters().Where(j => reportsOfA.Contains(j.Id)).ToListAsync());
        reports.ShouldAllBe(j => j.State == ReportJobState.Done && j.Attempts == 1 && j.Slot == null);
        var files = await ReadAsync(app, db => db.OutcomeImports.IgnoreQueryFilters().Where(i => importsOfA.Contains(i.Id) && i.Id != importsOfA[0]).ToListAsync());
        files.ShouldAllBe(i => i.Progress == 100 && i.Slot == null && (i.State == OutcomeImportState.Checked || i.State == OutcomeImportState.Failed));
    }
}
