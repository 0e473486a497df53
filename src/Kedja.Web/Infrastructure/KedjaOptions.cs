using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;
using Kedja.Data;
using Kedja.Web.Auth;
using Kedja.Web.Demo;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Kedja.Web.Infrastructure;

/// <summary>
/// Kedja's settings are bound once from their section, checked when the app (or a verb) starts, and read through
/// <see cref="IOptions{TOptions}"/>. A bad value stops the start with one Swedish line per problem (ADR 16).
/// </summary>
public static partial class KedjaOptions
{
    /// <summary>The database, the first administrator and the demo tenant. Other features bind their own sections.</summary>
    public static IServiceCollection AddKedjaOptions(this IServiceCollection services)
    {
        services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.Section)
            .Configure<IConfiguration, IHostEnvironment>((o, configuration, environment) =>
            {
                var connectionString = configuration.GetConnectionString("Kedja");
                if (!string.IsNullOrWhiteSpace(connectionString))
                {
                    o.ConnectionString = connectionString;
                }
                else if (o.Provider == DatabaseProvider.Sqlite && string.IsNullOrWhiteSpace(o.ConnectionString))
                {
                    o.ConnectionString = DatabaseOptions.DefaultSqliteConnectionString(environment.ContentRootPath);
                }

                if (configuration.GetConnectionString("KedjaReadOnly") is { Length: > 0 } readOnly && !string.IsNullOrWhiteSpace(readOnly))
                {
                    o.ReadOnlyConnectionString = readOnly;
                }
            })
            .Check(CheckDatabase)
            .ValidateOnStart();
        services.AddOptions<AdminOptions>().BindConfiguration(AdminOptions.Section)
            .Check<AdminOptions, IHostEnvironment>(CheckAdmin)
            .ValidateOnStart();
        services.AddOptions<DemoOptions>().BindConfiguration(DemoOptions.Section).ValidateOnStart();
        return services;
    }

    /// <summary>Registers a check that names each problem in Swedish; the options are valid when it names none.</summary>
    public static OptionsBuilder<T> Check<T>(this OptionsBuilder<T> builder, Func<T, IEnumerable<string>> problems)
        where T : class
    {
        builder.Services.AddSingleton<IValidateOptions<T>>(new Checker<T>(builder.Name, problems));
        return builder;
    }

    /// <inheritdoc cref="Check{T}(OptionsBuilder{T}, Func{T, IEnumerable{string}})"/>
    public static OptionsBuilder<T> Check<T, TDependency>(this OptionsBuilder<T> builder, Func<T, TDependency, IEnumerable<string>> problems)
        where T : class
        where TDependency : notnull
    {
        builder.Services.AddSingleton<IValidateOptions<T>>(sp =>
        {
            var dependency = sp.GetRequiredService<TDependency>();
            return new Checker<T>(builder.Name, o => problems(o, dependency));
        });
        return builder;
    }

    /// <summary>
    /// Binds and checks every option registered with ValidateOnStart, as the host would on starting, but before the
    /// migrations and the first administrator, so that nothing is written with a configuration that is refused.
    /// </summary>
    /// <exception cref="StartupException">A setting is missing or wrong; the message says which, one line each.</exception>
    public static void Validate(IServiceProvider services) => Checked(() => services.GetService<IStartupValidator>()?.Validate());

    /// <summary>Builds the app; Kestrel reads its options while being built, so a bad value can stop it here already.</summary>
    /// <exception cref="StartupException">A setting is missing or wrong; the message says which, one line each.</exception>
    public static WebApplication Build(WebApplicationBuilder builder)
    {
        WebApplication? app = null;
        Checked(() => app = builder.Build());
        return app!;
    }

    private static void Checked(Action action)
    {
        try
        {
            action();
        }
        catch (Exception e) when (Describe(e) is { Count: > 0 } lines)
        {
            throw new StartupException(string.Join(Environment.NewLine, lines));
        }
    }

    private static List<string> Describe(Exception e) => e switch
    {
        AggregateException all => [.. all.InnerExceptions.SelectMany(Describe)],
        OptionsValidationException invalid => [.. invalid.Failures],
        InvalidOperationException unreadable when BindingFailure().Match(unreadable.Message) is { Success: true } m =>
            [$"Inställningen {m.Groups["path"].Value} har värdet '{m.Groups["value"].Value}', som inte går att läsa som {Kind(m.Groups["type"].Value)}."],
        _ => [],
    };

    /// <summary>The configuration binder's message for a value it cannot convert (Microsoft.Extensions.Configuration.Binder).</summary>
    [GeneratedRegex(@"^Failed to convert configuration value '(?<value>.*)' at '(?<path>[^']*)' to type '(?<type>[^']*)'", RegexOptions.Singleline)]
    private static partial Regex BindingFailure();

    private static string Kind(string typeName) => typeName switch
    {
        "System.TimeSpan" => "en tid (t.ex. 00:15:00 för en kvart eller 7.00:00:00 för en vecka)",
        "System.Int32" or "System.Int64" => "ett heltal",
        "System.Boolean" => "true eller false",
        "System.Uri" => "en adress",
        _ when AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetType(typeName)).FirstOrDefault(t => t is { IsEnum: true }) is { } type =>
            "ett av " + string.Join(", ", Enum.GetNames(type)),
        _ => typeName,
    };

    private static IEnumerable<string> CheckDatabase(DatabaseOptions o)
    {
        if (string.IsNullOrWhiteSpace(o.ConnectionString))
        {
            yield return "ConnectionStrings:Kedja (ConnectionStrings__Kedja) måste anges när Kedja:Database:Provider är Postgres.";
            yield break;
        }

        string? wrong = null;
        try
        {
            _ = o.Provider == DatabaseProvider.Postgres
                ? new Npgsql.NpgsqlConnectionStringBuilder(o.ConnectionString).ConnectionString
                : new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(o.ConnectionString).ConnectionString;
        }
        catch (ArgumentException e)
        {
            wrong = e.ParamName ?? "";
        }
        catch (Exception e) when (e is FormatException or KeyNotFoundException)
        {
            wrong = "";
        }

        if (wrong is not null)
        {
            yield return $"ConnectionStrings:Kedja går inte att läsa som en anslutningssträng för {o.Provider}" + (string.IsNullOrEmpty(wrong) ? "." : $" (nyckeln '{wrong}').");
        }
    }

    private static IEnumerable<string> CheckAdmin(AdminOptions o, IHostEnvironment environment)
    {
        var email = o.Email?.Trim();
        if (string.IsNullOrEmpty(email) != string.IsNullOrEmpty(o.Password))
        {
            yield return "Kedja:Admin: ange både Email och Password för den första administratören (Kedja__Admin__Email, Kedja__Admin__Password), eller ingen av dem.";
            yield break;
        }

        if (string.IsNullOrEmpty(email))
        {
            yield break;
        }

        if (!new EmailAddressAttribute().IsValid(email))
        {
            yield return $"Kedja:Admin:Email: '{email}' är ingen e-postadress.";
            yield break;
        }

        // The same rules as every other password (ADR 11); the demo password only in Development.
        var validator = new KedjaPasswordValidator(environment, new Members.SwedishIdentityErrors());
        var result = validator.ValidateAsync(null!, new KedjaUser { UserName = email, Email = email }, o.Password).GetAwaiter().GetResult();
        if (!result.Succeeded)
        {
            yield return "Kedja:Admin:Password duger inte: " + string.Join(" ", result.Errors.Select(e => e.Description));
        }
    }

    private sealed class Checker<T>(string? name, Func<T, IEnumerable<string>> problems) : IValidateOptions<T>
        where T : class
    {
        public ValidateOptionsResult Validate(string? optionsName, T options)
        {
            if (name is not null && name != optionsName)
            {
                return ValidateOptionsResult.Skip;
            }

            var found = problems(options).ToList();
            return found.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(found);
        }
    }
}
