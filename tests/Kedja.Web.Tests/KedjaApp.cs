using System.Net.Http.Headers;
using System.Net.Http.Json;
using Kedja.Data;
using Kedja.Domain.Tenancy;
using Kedja.Web.Auth;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace Kedja.Web.Tests;

/// <summary>The real app over real HTTP (in-process test server) on a fresh database of the given provider.</summary>
public sealed class KedjaApp : WebApplicationFactory<Program>
{
    public const string AdminEmail = "admin@test.kedja";
    public const string AdminPassword = "Prov-ledare-2026-x";

    /// <summary>Header with which a test request claims a client address (the test server gives none).</summary>
    public const string AddressHeader = "X-Test-Client-Address";

    /// <summary>
    /// PBKDF2 rounds for passwords in tests: Identity's 100,000 cost most of a sign-in's time, and tests sign in and
    /// create accounts hundreds of times. A hash carries its own count, so the app reads these hashes as it would
    /// read old ones; <c>productionHashing</c> keeps the real count where a test measures or checks it.
    /// </summary>
    public const int TestHashIterations = 1000;

    private readonly TestDatabase database;
    private readonly bool seedDemo;
    private readonly bool realLimits;
    private readonly bool productionHashing;
    private readonly string environment;
    private readonly IReadOnlyDictionary<string, string?> settings;

    private KedjaApp(TestDatabase database, bool seedDemo, bool realLimits, string environment, IReadOnlyDictionary<string, string?> settings, bool productionHashing = false)
    {
        this.settings = settings;
        this.database = database;
        this.seedDemo = seedDemo;
        this.realLimits = realLimits;
        this.productionHashing = productionHashing;
        this.environment = environment;
    }

    public DatabaseProvider Provider => database.Provider;

    /// <summary>The app's database, for a verb run against it.</summary>
    public string ConnectionString => database.ConnectionString;

    /// <summary>The app's clock: the real time until a test moves it.</summary>
    public MovableClock Clock { get; private init; } = new();

    /// <summary>Where the app writes its mails (no SMTP server is configured in tests).</summary>
    public string MailDirectory { get; private init; } = Path.Combine(Path.GetTempPath(), "kedja-tests", "mail", Guid.NewGuid().ToString("N"));

    /// <param name="realLimits">Keep the default sign-in rate limits; otherwise they are raised so tests may create many tokens.</param>
    /// <param name="environment">"Production" to see what a deployed Kedja answers.</param>
    /// <param name="settings">Configuration on top of the test's own, e.g. an SMTP server or a small body limit.</param>
    /// <param name="kestrel">Serve over real Kestrel on a free port instead of the in-process test server.</param>
    /// <param name="services">Services the test adds or replaces after the app's own (an in-memory telemetry exporter).</param>
    /// <param name="productionHashing">
    /// Hash passwords with the app's own PBKDF2 count, not <see cref="TestHashIterations"/>, and give the administrator
    /// such a hash: for tests that time sign-ins or check the count itself.
    /// </param>
    public static async Task<KedjaApp> StartAsync(string provider, bool seedDemo = false, bool realLimits = false, string environment = "Testing",
        IReadOnlyDictionary<string, string?>? settings = null, bool kestrel = false, bool productionHashing = false, Action<IServiceCollection>? services = null)
    {
        var template = await Templates.GetOrAdd((provider, seedDemo), key => new Lazy<Task<TestDatabase>>(() => CreateTemplateAsync(key.Provider, key.Demo))).Value;
        var app = new KedjaApp(await template.CopyAsync(), seedDemo, realLimits, environment, settings ?? new Dictionary<string, string?>(), productionHashing) { testServices = services };
        if (kestrel)
        {
            app.UseKestrel(0);
        }

        app.StartServer();
        if (productionHashing)
        {
            await app.RehashAdminAsync();
        }

        return app;
    }

    /// <summary>The template's administrator has a test-strength hash; this gives it one of the app's strength.</summary>
    private async Task RehashAdminAsync()
    {
        using var scope = Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<KedjaUser>>();
        var admin = (await users.FindByEmailAsync(AdminEmail))!;
        var hash = users.PasswordHasher.HashPassword(admin, AdminPassword);
        await users.Users.Where(u => u.Id == admin.Id).ExecuteUpdateAsync(u => u.SetProperty(x => x.PasswordHash, hash));
    }

    /// <summary>
    /// One database per provider (and with or without the demo tenant) that the app has migrated, given its first
    /// administrator and seeded; every test starts from a copy of it, so that each test has a database of its own
    /// without paying for migrations and the demo import each time.
    /// </summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(string Provider, bool Demo), Lazy<Task<TestDatabase>>> Templates = new();

    private bool keepDatabase;

    /// <summary>Services a test adds or replaces (an in-memory telemetry exporter), after the app's own.</summary>
    private Action<IServiceCollection>? testServices;

    /// <summary>Another app's database: this app neither migrates nor removes it.</summary>
    private bool borrowedDatabase;

    /// <summary>
    /// Another app node on this app's database, as a second server behind a load balancer: its own services, workers
    /// and clock. The database stays this app's (disposing the node leaves it).
    /// </summary>
    /// <param name="sameClock">Read the time from this app's clock, so that a test moves every node's clock at once.</param>
    public KedjaApp OtherNode(IReadOnlyDictionary<string, string?>? settings = null, bool sameClock = false)
    {
        var node = new KedjaApp(database, seedDemo: false, realLimits, environment, settings ?? this.settings, productionHashing) { borrowedDatabase = true, Clock = sameClock ? Clock : new() };
        node.StartServer();
        return node;
    }

    /// <summary>Stops this app, keeping its database and mail folder, and starts it again on them: a restart of the node.</summary>
    public async Task<KedjaApp> RestartAsync(IReadOnlyDictionary<string, string?>? settings = null)
    {
        borrowedDatabase = true;
        await base.DisposeAsync();
        var app = new KedjaApp(database, seedDemo: false, realLimits, environment, settings ?? this.settings, productionHashing) { MailDirectory = MailDirectory };
        app.StartServer();
        return app;
    }

    private static async Task<TestDatabase> CreateTemplateAsync(string provider, bool demo)
    {
        var database = await TestDatabase.CreateAsync(provider);
        await using (var app = new KedjaApp(database, demo, realLimits: false, "Testing", new Dictionary<string, string?>()) { keepDatabase = true })
        {
            app.StartServer();
        }

        database.BecomeTemplate();
        return database;
    }

    /// <summary>Where a real Kestrel server (<c>kestrel: true</c>) answers, for a browser.</summary>
    public Uri ServerAddress
    {
        get
        {
            using var client = CreateClient();
            return client.BaseAddress!;
        }
    }

    /// <summary>A client whose requests come from the given address.</summary>
    public HttpClient ClientFrom(string address)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Add(AddressHeader, address);
        return client;
    }

    /// <summary>The mails sent to an address so far, oldest first.</summary>
    public List<MimeMessage> MailsTo(string email)
    {
        if (!Directory.Exists(MailDirectory))
        {
            return [];
        }

        return Directory.GetFiles(MailDirectory, "*.eml").Order(StringComparer.Ordinal)
            .Select(f => MimeMessage.Load(f))
            .Where(m => m.To.Mailboxes.Any(b => b.Address.Equals(email, StringComparison.OrdinalIgnoreCase)))
            .ToList();
    }

    /// <summary>Waits until at least <paramref name="count"/> mails reached the address (mail is sent after the answer).</summary>
    public async Task<List<MimeMessage>> WaitForMailsAsync(string email, int count = 1)
    {
        for (var i = 0; i < 200; i++)
        {
            var mails = MailsTo(email);
            if (mails.Count >= count)
            {
                return mails;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"Inget brev nummer {count} till {email}.");
    }

    /// <summary>The one-time secret of the link in a mail.</summary>
    public static string LinkSecret(MimeMessage mail)
    {
        var match = System.Text.RegularExpressions.Regex.Match(mail.TextBody ?? "", @"/konto/losenord\?kod=([A-Za-z0-9_\-%]+)");
        match.Success.ShouldBeTrue(mail.TextBody);
        return Uri.UnescapeDataString(match.Groups[1].Value);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(environment);
        builder.UseSetting("Kedja:Mail:PickupDirectory", MailDirectory);
        if (!realLimits)
        {
            builder.UseSetting("Kedja:Accounts:SignInPermitsPerAddress", "100000");
            builder.UseSetting("Kedja:Accounts:ForgotPermitsPerAddress", "100000");
            builder.UseSetting("Kedja:Accounts:ForgotPermitsPerAccount", "100000");
            builder.UseSetting("Kedja:Accounts:SetPasswordPermitsPerAddress", "100000");

            // A test that crawls the portal is one address asking hundreds of pages at once.
            builder.UseSetting("Kedja:Portal:BurstPerAddress", "100000");
            builder.UseSetting("Kedja:Portal:PerSecondPerAddress", "100000");
        }

        // Tests see every write on the portal at once; PortalResponsesTests tries the production setting.
        builder.UseSetting("Kedja:Portal:RefreshAtMostEveryMilliseconds", "0");
        // No node readies portals behind a test's back (it would change what tests count); PublicationWatchTests looks itself.
        builder.UseSetting("Kedja:Portal:WatchPublicationsSeconds", "0");

        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<TimeProvider>(Clock);
            services.AddSingleton<IStartupFilter, ClientAddressFromHeader>();
            if (!productionHashing)
            {
                services.Configure<PasswordHasherOptions>(o => o.IterationCount = TestHashIterations);
            }

            testServices?.Invoke(services);
        });
        builder.UseSetting("Kedja:Database:Provider", database.Provider.ToString());
        builder.UseSetting("ConnectionStrings:Kedja", database.ConnectionString);
        builder.UseSetting("Kedja:Demo:Seed", seedDemo ? "true" : "false");

        // The templates' examples cost seconds per database; the tests that read them ask for them (TemplateExamplePortalTests).
        builder.UseSetting("Kedja:Demo:Examples", "false");
        builder.UseSetting("Kedja:Admin:Email", AdminEmail);
        // Tests never reach the real Kolada: the ones about fetching drive the scheduler by hand against a fake.
        builder.UseSetting("Kedja:Kolada:RunScheduler", "false");
        // Reminders depend on the day: the tests about them call Reminders.RunOnceAsync with the clock they moved.
        builder.UseSetting("Kedja:Mail:RunReminders", "false");
        // Reorganisations are applied at the day's change: the tests about it call ReorganisationWorker.RunOnceAsync themselves.
        builder.UseSetting("Kedja:Reorganisations:RunWorker", "false");
        builder.UseSetting("Kedja:Admin:Password", AdminPassword);

        // A copy of a template is migrated already: the check at start would find nothing to do (3 % of the suite's time).
        builder.UseSetting("Kedja:Database:MigrateOnStartup", keepDatabase ? "true" : "false");

        // appsettings.json asks it of Production; tests that are about it turn it on (TwoFactorTests).
        builder.UseSetting("Kedja:Accounts:RequireTwoFactorForSystemAdmins", "false");

        // Last, so that a test's own settings win.
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }
    }

    /// <summary>A client signed in with a fresh personal access token for the user.</summary>
    public async Task<HttpClient> ClientAsync(string email = AdminEmail, string password = AdminPassword)
    {
        var client = CreateClient();
        var response = await client.PostAsJsonAsync("/api/v1/auth/tokens", new { email, password });
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<TokenResponse>())!.Token;
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>The antiforgery token of the form on the page, as a browser sends it back.</summary>
    public static async Task<string> AntiforgeryTokenAsync(HttpClient client, string url)
    {
        var token = System.Text.RegularExpressions.Regex.Match(await client.GetStringAsync(url), "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
        token.ShouldNotBeNullOrEmpty(url);
        return token;
    }

    /// <summary>
    /// The sign-in form posted as a browser posts it (the page's antiforgery token, e-mail, password, and where to go back
    /// to); the client keeps the cookie. A right password is answered with a redirect (or the second factor's page).
    /// </summary>
    public static async Task<HttpResponseMessage> PostSignInFormAsync(HttpClient client, string email = AdminEmail, string password = AdminPassword, string? back = null)
    {
        var form = new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = await AntiforgeryTokenAsync(client, SignInPath), ["Email"] = email, ["losenord"] = password,
        };
        if (back is not null)
        {
            form["tillbaka"] = back;
        }

        return await client.PostAsync(SignInPath, new FormUrlEncodedContent(form));
    }

    /// <summary>A browser-like client (redirects not followed, cookies kept) signed in through the form.</summary>
    public async Task<HttpClient> SignedInBrowserAsync(string email = AdminEmail, string password = AdminPassword, string? userAgent = null)
    {
        var client = CreateClient(new() { AllowAutoRedirect = false });
        if (userAgent is not null)
        {
            client.DefaultRequestHeaders.UserAgent.ParseAdd(userAgent);
        }

        var answer = await PostSignInFormAsync(client, email, password);
        answer.StatusCode.ShouldBe(HttpStatusCode.Redirect, await answer.Content.ReadAsStringAsync());
        return client;
    }

    private const string SignInPath = CookieSignIn.SignInPath;

    /// <summary>Creates a user who is a member of the tenant with the role, and returns a signed-in client.</summary>
    public async Task<HttpClient> MemberClientAsync(string slug, TenantRole role, Guid? unitId = null)
    {
        var (email, password) = await MemberAsync(slug, role, unitId);
        return await ClientAsync(email, password);
    }

    /// <summary>A new member of the tenant, with the e-mail and password to sign in with (in a browser, say).</summary>
    public async Task<(string Email, string Password)> MemberAsync(string slug, TenantRole role, Guid? unitId = null)
    {
        var email = $"{Guid.NewGuid():N}@test.kedja";
        const string password = "Member-password-1";
        using (var scope = Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<KedjaUser>>();
            // As after setting their own password through the invitation link.
            var user = new KedjaUser { UserName = email, Email = email, EmailConfirmed = true };
            (await users.CreateAsync(user, password)).Succeeded.ShouldBeTrue();
            var db = scope.ServiceProvider.GetRequiredService<KedjaDbContext>();
            var tenant = db.Tenants.Single(t => t.Slug == slug);
            db.Scope.Enter(tenant.Id, tenant.Slug);
            db.Memberships.Add(new TenantMembership { UserId = user.Id, Role = role, UnitId = unitId });
            await db.SaveChangesAsync();
        }

        return (email, password);
    }

    /// <summary>A DbContext scoped to the tenant, as a request in that tenant would have it.</summary>
    public (IServiceScope Scope, KedjaDbContext Db) DbFor(string slug)
    {
        var scope = Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<KedjaDbContext>();
        var tenant = db.Tenants.Single(t => t.Slug == slug);
        db.Scope.Enter(tenant.Id, tenant.Slug);
        return (scope, db);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (!keepDatabase && !borrowedDatabase)
        {
            await database.DisposeAsync();
        }

        if (!borrowedDatabase && Directory.Exists(MailDirectory))
        {
            Directory.Delete(MailDirectory, recursive: true);
        }
    }

    /// <summary>Sets the connection's remote address from <see cref="AddressHeader"/>, before anything else runs.</summary>
    private sealed class ClientAddressFromHeader : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                if (IPAddress.TryParse(context.Request.Headers[AddressHeader].ToString(), out var address))
                {
                    context.Connection.RemoteIpAddress = address;
                }

                return nextMiddleware(context);
            });
            next(app);
        };
    }
}

/// <summary>The system clock, moved forward by what a test adds, and stopped when a test must not depend on the machine's speed.</summary>
public sealed class MovableClock : TimeProvider
{
    private TimeSpan offset;
    private DateTimeOffset? frozenAt;

    public override DateTimeOffset GetUtcNow() => (frozenAt ?? TimeProvider.System.GetUtcNow()) + offset;

    public void Advance(TimeSpan by) => offset += by;

    /// <summary>Stops the clock where it is; <see cref="Advance"/> still moves it.</summary>
    public void Freeze() => frozenAt ??= TimeProvider.System.GetUtcNow();
}
