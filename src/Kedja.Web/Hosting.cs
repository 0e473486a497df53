using Kedja.Data;
using Kedja.Kolada;
using Kedja.Web.Activities;
using Kedja.Web.Assignments;
using Kedja.Web.Auth;
using Kedja.Web.Auth.TwoFactor;
using Kedja.Web.Budget;
using Kedja.Web.CalendarFeed;
using Kedja.Web.Cli;
using Kedja.Web.Documents;
using Kedja.Web.Exchange;
using Kedja.Web.FollowUp;
using Kedja.Web.Goals;
using Kedja.Web.Imports;
using Kedja.Web.Indicators;
using Kedja.Web.Infrastructure;
using Kedja.Web.Kolada;
using Kedja.Web.Members;
using Kedja.Web.Observability;
using Kedja.Web.Model;
using Kedja.Web.Organisation;
using Kedja.Web.Periods;
using Kedja.Web.Portal;
using Kedja.Web.Portal.OpenData;
using Kedja.Web.Public;
using Kedja.Web.Reports;
using Kedja.Web.Tenants;
using Kedja.Web.Ui;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kedja.Web;

public static class KedjaServices
{
    public static IServiceCollection AddKedja(this IServiceCollection services, IWebHostEnvironment environment)
    {
        services.AddKedjaOptions();
        services.AddScoped<TenantScope>();
        services.AddScoped<TenantContext>();
        services.AddScoped<TenantAccess>();
        services.AddHttpContextAccessor();
        services.AddScoped<IAuditActor, HttpAuditActor>();
        services.AddDbContext<KedjaDbContext>((sp, o) =>
        {
            var database = sp.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            KedjaDatabase.Configure(o, database.Provider, database.ConnectionString!).AddInterceptors(sp.GetRequiredService<DataVersionSignal>());
        });
        services.AddSingleton<DataVersionSignal>();
        services.AddScoped<ReadReplica>(); // heavy reads from ConnectionStrings:KedjaReadOnly when set (issue 17)
        services.AddIdentityCore<KedjaUser>(o =>
            {
                o.User.RequireUniqueEmail = true;
                o.Password.RequiredLength = 10;
                o.Lockout.MaxFailedAccessAttempts = 10;
            })
            .AddRoles<IdentityRole>()
            .AddErrorDescriber<Members.SwedishIdentityErrors>()
            .AddEntityFrameworkStores<KedjaDbContext>();
        services.AddKedjaAuthentication();
        services.AddKedjaKeyRing();
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        services.ConfigureHttpJsonOptions(o => JsonSerializerOptionsProvider.Configure(o.SerializerOptions));
        services.AddSingleton<JsonSerializerOptionsProvider>();
        services.AddHttpHardening(environment);
        // An engine explanation is written as its Swedish sentence (Explanation's JSON converter): a string in the schema too.
        services.AddOpenApi("v1", o => o.AddSchemaTransformer((schema, context, _) =>
        {
            if (context.JsonTypeInfo.Type == typeof(Domain.FollowUp.Explanation))
            {
                schema.Type = Microsoft.OpenApi.JsonSchemaType.String;
            }

            return Task.CompletedTask;
        }));

        // Pages live in their feature's folder (Auth/Pages/...), each with an absolute Swedish route.
        services.AddRazorPages(o => o.RootDirectory = "/");
        services.AddKedjaLanguages();
        // The antiforgery cookie is Secure over HTTPS like the sign-in cookie (its default is never).
        services.AddAntiforgery(o => o.Cookie.SecurePolicy = Microsoft.AspNetCore.Http.CookieSecurePolicy.SameAsRequest);

        // Pages are read in Swedish: å, ä, ö and dashes as themselves, not as character references (still HTML-encoded).
        services.AddWebEncoders(o => o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(
            System.Text.Unicode.UnicodeRanges.BasicLatin, System.Text.Unicode.UnicodeRanges.Latin1Supplement, System.Text.Unicode.UnicodeRanges.GeneralPunctuation));
        services.AddHealthChecks().AddDbContextCheck<KedjaDbContext>("database").AddKedjaReadiness(); // /health/ready (issue 18, h182)
        services.AddKedjaObservability();
        services.AddMemoryCache(o => o.SizeLimit = 10_000);
        // The system clock; tests of running processes may move it by a file outside Production (issue 17, h175).
        services.AddSingleton<TimeProvider>(sp => Infrastructure.OffsetFileClock.Create(sp.GetRequiredService<IConfiguration>(), environment,
            sp.GetRequiredService<ILoggerFactory>().CreateLogger<Infrastructure.OffsetFileClock>()));
        services.AddOptions<StatusOptions>().BindConfiguration(StatusOptions.Section)
            .Check(o => [.. o.CachedResults > 0 ? Array.Empty<string>() : ["Kedja:Status:CachedResults ska vara ett positivt antal."],
                .. o.CachedScorecardLines > 0 ? Array.Empty<string>() : ["Kedja:Status:CachedScorecardLines ska vara ett positivt antal."]]).ValidateOnStart();
        services.AddSingleton<StatusCache>();
        services.AddSingleton<ScorecardCache>();
        services.AddSingleton<CalendarCache>();
        services.AddScoped<StatusService>();
        services.AddScoped<Periods.FollowUpWorkflow>();
        services.AddScoped<Periods.LockedScorecards>().AddScoped<Periods.PeriodCorrections>(); // closed years (h145)
        services.AddScoped<Scorecards>().AddScoped<AssessmentActions>();
        services.AddScoped<Planning.UnitPlanning>();
        services.AddScoped<GoalDocuments>().AddScoped<GoalEditing>().AddScoped<GoalOverview>().AddScoped<Agenda2030View>();
        services.AddScoped<UnitEditing>().AddScoped<AuditTrail>().AddScoped<ItemHistory>().AddScoped<Reorganisations>();
        services.AddSingleton<ReorganisationWorker>().AddHostedService(sp => sp.GetRequiredService<ReorganisationWorker>())
            .AddOptions<ReorganisationOptions>().BindConfiguration(ReorganisationOptions.Section);
        services.AddScoped<ModelEditing>();
        services.AddScoped<Periods.PeriodPublishing>().AddScoped<Periods.CalendarEditing>();
        services.AddScoped<Periods.Deadlines>().AddScoped<Periods.DeadlineSettings>();
        services.AddCalendarFeeds();
        services.AddScoped<IndicatorEditing>().AddScoped<OutcomeRecording>().AddScoped<AssessmentRecording>().AddScoped<ActivityEditing>();
        services.AddScoped<AssignmentEditing>();
        services.AddScoped<ProgramEditing>().AddScoped<ProgramOverview>().AddScoped<ActivityLinks>();
        services.AddScoped<TenantExporter>().AddScoped<TenantDirectory>().AddScoped<ToDo>().AddScoped<Search>();
        services.AddScoped<TenantImporter>();
        services.AddScoped<DocumentEditing>();
        services.AddScoped<BudgetEditing>();
        services.AddScoped<Forecasts.ForecastRecording>(); // full-year forecasts (issue 16, h143)
        services.AddScoped<Forecasts.ForecastSettings>(); // forecast settings of a model (issue 16, h160)
        services.AddScoped<Periods.PeriodWriteGuard>(); // who may write a period's value, as owned at its end (review 16, h157)
        InternalControl.RiskEndpoints.AddRisks(services);
        services.AddScoped<Reports.ReportTemplates>().AddScoped<Reports.ReportBuilder>();
        services.AddScoped<Reports.ReportOrdering>().AddSingleton<Reports.ReportQueue>().AddHostedService<Reports.ReportWorker>().AddOptions<Reports.ReportOptions>().BindConfiguration(Reports.ReportOptions.Section);
        services.AddScoped<OutcomeImports>().AddScoped<Imports.Finance.FinanceImports>().AddScoped<Imports.Finance.FinanceMappings>().AddScoped<ImportJobs>().AddScoped<ImportTemplates>().AddSingleton<ImportQueue>()
            .AddHostedService<ImportWorker>().AddOptions<ImportOptions>().BindConfiguration(ImportOptions.Section);
        services.AddKolada();
        InternalControl.ControlPlanEndpoints.AddControlPlans(services);
        Planning.PlanningYearEndpoints.AddPlanningYears(services);
        services.AddScoped<KoladaLinking>().AddScoped<KoladaFetching>().AddHostedService<KoladaScheduler>().AddOptions<KoladaFetchOptions>()
            .BindConfiguration(KoladaFetchOptions.Section).Check(o => o.Problems()).ValidateOnStart();
        services.AddKoladaBenchmarking();
        services.AddScoped<Tenants.TenantCreation>().AddScoped<Tenants.PortalSettings>();
        SingleSignOn.SsoSettingsEndpoints.AddSsoSettings(services);
        services.AddPublicReading();
        services.AddPortal();
        services.AddOpenData();
        services.AddScoped<Generation.TenantGenerator>();
        services.AddSingleton<Generation.TenantMix>();
        services.AddKedjaAccounts();
        services.AddKedjaTwoFactor();
        SingleSignOn.SsoSignInHosting.AddSsoSignIn(services);
        return services;
    }

    public static WebApplication UseKedja(this WebApplication app)
    {
        app.UseHttpHardening();
        app.UseMiddleware<ServerTimingMiddleware>();
        app.UseMiddleware<Observability.SlowRequestMiddleware>(); // the slowest requests, for the operations page (issue 18, h182)
        app.UseExceptionHandler();
        app.UseStatusCodePages(Ui.ErrorPage.StatusCodePages());
        app.UseMiddleware<RequestBodyLimitMiddleware>();
        app.UsePortal();
        // Kedja's own stylesheet and scripts, public like the sign-in page that needs them.
        app.UseStaticFiles(Infrastructure.StaticFileCharset.Options());
        app.UseRequestLocalization();
        app.UseSharedRateLimits();
        app.UseAuthentication();
        app.UseSignedInNoStore(); // ASVS 8.2.1 (issue 18, h192)
        app.UseAccessRefusalAudit(); // ASVS 7.1.3 / 7.2.2 (issue 18, h192)
        app.UseTwoFactorGate();
        app.UseAuthorization();
        app.UseTenantAccess();
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        app.MapHealthChecks("/health", new() { Predicate = c => !c.Tags.Contains(Observability.Health.ReadyTag) }).AllowAnonymous();
        app.MapKedjaHealth(); // /health/live and /health/ready (issue 18, h182)
        app.MapRazorPages();
        app.MapAuth();
        SingleSignOn.SsoSignInHosting.MapSsoSignIn(app);
        app.MapTenants();
        app.MapModel();
        app.MapOrganisation();
        app.MapGoals();
        app.MapIndicators();
        app.MapFollowUp();
        app.MapActivities();
        app.MapAssignments();
        app.MapPrograms();
        InternalControl.ControlPlanEndpoints.MapControlPlans(app);
        Forecasts.ForecastEndpoints.MapForecasts(app); // full-year forecasts (issue 16, h143)
        Planning.PlanningYearEndpoints.MapPlanningYears(app);
        app.MapPeriods();
        app.MapCorrections(); // closed years (h145)
        app.MapDeadlines();
        app.MapCalendarFeed();
        app.MapMembers();
        app.MapDocuments();
        app.MapBudget();
        InternalControl.RiskEndpoints.MapRisks(app);
        app.MapReportTemplates();
        app.MapReports();
        app.MapImports();
        Imports.Finance.FinanceEndpoints.MapFinance(app);
        app.MapKolada();
        app.MapBenchmarking();
        app.MapPublic();
        app.MapPortal();
        app.MapPortalSettings();
        SingleSignOn.SsoSettingsEndpoints.MapSsoSettings(app);
        app.MapOpenData();
        return app;
    }
}

public static class Startup
{
    /// <summary>Migrations (when configured), the first administrator, and the demo tenant on an empty database.</summary>
    public static async Task PrepareAsync(WebApplication app)
    {
        using var scope = app.Services.CreateScope();
        var services = scope.ServiceProvider;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("Kedja.Startup");
        if (services.GetRequiredService<IOptions<DatabaseOptions>>().Value.MigrateOnStartup)
        {
            var applied = await new Kedja.Data.Migrations.SchemaMigrator(services.GetRequiredService<KedjaDbContext>()).MigrateAsync();
            if (applied.Count > 0)
            {
                logger.LogInformation("Migreringar körda: {Migrations}", string.Join(", ", applied));
            }
        }

        await AdminBootstrap.EnsureAdminAsync(services, services.GetRequiredService<IOptions<AdminOptions>>().Value, logger);
        var mail = services.GetRequiredService<IOptions<Mail.MailOptions>>().Value;
        if (!app.Environment.IsDevelopment() && Uri.TryCreate(mail.PublicBaseUrl, UriKind.Absolute, out var publicBase) && publicBase.IsLoopback)
        {
            // Invitations and password links carry this address; on a server, people elsewhere cannot open localhost.
            logger.LogWarning("Kedja:Mail:PublicBaseUrl är {Address}: länkarna i inbjudningar och lösenordsbrev pekar på den här datorn. Ange adressen som användarna når Kedja på.", mail.PublicBaseUrl);
        }

        var db = services.GetRequiredService<KedjaDbContext>();
        var demo = services.GetRequiredService<IOptions<Demo.DemoOptions>>().Value;
        var empty = !await db.Tenants.AnyAsync();
        if (demo.SeedsIn(app.Environment) && empty)
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var result = await services.GetRequiredService<TenantImporter>().ImportAsync(Demo.DemoTenant.Build(), Demo.DemoTenant.Slug);
            if (!result.Succeeded)
            {
                throw new InvalidOperationException("Demodata är ogiltiga: " + string.Join("; ", result.Errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")));
            }

            var imported = watch.Elapsed.TotalSeconds;
            await Demo.DemoTenant.SeedPlanningYearAsync(services);
            logger.LogInformation("Skapade demokommunen {Slug} på {Seconds} s (planeringsåret {Planning} s).", Demo.DemoTenant.Slug,
                watch.Elapsed.TotalSeconds.ToString("0.0", Domain.SwedishFormat.Culture), (watch.Elapsed.TotalSeconds - imported).ToString("0.0", Domain.SwedishFormat.Culture));
        }

        if (demo.ExamplesIn(app.Environment) && empty)
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var created = await Demo.TemplateExamples.SeedAsync(services);
            logger.LogInformation("Skapade mallarnas exempelkommuner {Slugs} på {Seconds} s.", string.Join(", ", created),
                watch.Elapsed.TotalSeconds.ToString("0.0", Domain.SwedishFormat.Culture));
        }
    }
}

/// <summary>Start-up cannot go on because of the operator's configuration; the message says what to change.</summary>
public sealed class StartupException(string message) : Exception(message);
