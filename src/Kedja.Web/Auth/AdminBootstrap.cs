using Kedja.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Auth;

public sealed class AdminOptions
{
    public const string Section = "Kedja:Admin";

    public string? Email { get; set; }

    public string? Password { get; set; }
}

/// <summary>When no user exists, creates the first system administrator from Kedja:Admin:Email and :Password.</summary>
public static class AdminBootstrap
{
    public static async Task EnsureAdminAsync(IServiceProvider services, AdminOptions options, ILogger logger)
    {
        var users = services.GetRequiredService<UserManager<KedjaUser>>();
        if (await users.Users.AnyAsync())
        {
            return;
        }

        if (string.IsNullOrWhiteSpace(options.Email) || string.IsNullOrWhiteSpace(options.Password))
        {
            logger.LogWarning("Ingen användare finns. Ange Kedja__Admin__Email och Kedja__Admin__Password för att skapa den första administratören.");
            return;
        }

        var admin = new KedjaUser { UserName = options.Email, Email = options.Email, EmailConfirmed = true, IsSystemAdmin = true, DisplayName = "Administratör" };
        var result = await users.CreateAsync(admin, options.Password);
        if (!result.Succeeded)
        {
            throw new StartupException("Kunde inte skapa den första administratören (Kedja:Admin): " + string.Join(" ", result.Errors.Select(e => e.Description)));
        }

        // Not the address itself: it is a person's, and the operator knows it (issue 18, ADR 51).
        logger.LogInformation("Skapade den första administratören med adressen i Kedja:Admin:Email.");
    }
}
