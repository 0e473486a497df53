using System.Net.Http.Headers;
using System.Net.Http.Json;
using Kedja.Data;
using Kedja.Domain.Tenancy;
using Kedja.Web.Auth;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Kedja.Web.Tests;

/// <summary>The real app over real HTTP (in-process test server) on a fresh database of the given provider.</summary>
public sealed class KedjaApp : WebApplicationFactory<Program>
{
    public const string AdminEmail = "admin@test.kedja";
    public const string AdminPassword = "Test-admin-password-1";

    private readonly TestDatabase database;
    private readonly bool seedDemo;
    private readonly string environment;
    private readonly IReadOnlyDictionary<string, string?> settings;

    private KedjaApp(TestDatabase database, bool seedDemo, string environment, IReadOnlyDictionary<string, string?> settings)
    {
        this.database = database;
        this.seedDemo = seedDemo;
        this.environment = environment;
        this.settings = settings;
    }

    public DatabaseProvider Provider => database.Provider;

    /// <param name="environment">"Production" to see what a deployed Kedja answers.</param>
    /// <param name="settings">Configuration on top of the test's own, e.g. a small body limit.</param>
    /// <param name="kestrel">Serve over real Kestrel on a free port instead of the in-process test server.</param>
    public static async Task<KedjaApp> StartAsync(string provider, bool seedDemo = false, string environment = "Testing",
        IReadOnlyDictionary<string, string?>? settings = null, bool kestrel = false)
    {
        var app = new KedjaApp(await TestDatabase.CreateAsync(provider), seedDemo, environment, settings ?? new Dictionary<string, string?>());
        if (kestrel)
        {
            app.UseKestrel(0);
        }

        app.StartServer();
        return app;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(environment);
        builder.UseSetting("Kedja:Database:Provider", database.Provider.ToString());
        builder.UseSetting("ConnectionStrings:Kedja", database.ConnectionString);
        builder.UseSetting("Kedja:Demo:Seed", seedDemo ? "true" : "false");
        builder.UseSetting("Kedja:Admin:Email", AdminEmail);
        builder.UseSetting("Kedja:Admin:Password", AdminPassword);
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

    /// <summary>Creates a user who is a member of the tenant with the role, and returns a signed-in client.</summary>
    public async Task<HttpClient> MemberClientAsync(string slug, TenantRole role, Guid? unitId = null)
    {
        var email = $"{Guid.NewGuid():N}@test.kedja";
        const string password = "Member-password-1";
        using (var scope = Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<KedjaUser>>();
            var user = new KedjaUser { UserName = email, Email = email };
            (await users.CreateAsync(user, password)).Succeeded.ShouldBeTrue();
            var db = scope.ServiceProvider.GetRequiredService<KedjaDbContext>();
            var tenant = db.Tenants.Single(t => t.Slug == slug);
            db.Scope.Enter(tenant.Id, tenant.Slug);
            db.Memberships.Add(new TenantMembership { UserId = user.Id, Role = role, UnitId = unitId });
            await db.SaveChangesAsync();
        }

        return await ClientAsync(email, password);
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
        await database.DisposeAsync();
    }
}
