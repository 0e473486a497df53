using Microsoft.AspNetCore.Identity;

namespace Kedja.Web.Members;

/// <summary>ASP.NET Core Identity's messages in Swedish, for the ones a controller adding users can meet.</summary>
public sealed class SwedishIdentityErrors : IdentityErrorDescriber
{
    public override IdentityError PasswordTooShort(int length) => new() { Code = nameof(PasswordTooShort), Description = $"Lösenordet måste ha minst {length} tecken." };

    public override IdentityError PasswordRequiresNonAlphanumeric() =>
        new() { Code = nameof(PasswordRequiresNonAlphanumeric), Description = "Lösenordet måste innehålla minst ett tecken som inte är en bokstav eller siffra." };

    public override IdentityError PasswordRequiresDigit() => new() { Code = nameof(PasswordRequiresDigit), Description = "Lösenordet måste innehålla minst en siffra." };

    public override IdentityError PasswordRequiresLower() => new() { Code = nameof(PasswordRequiresLower), Description = "Lösenordet måste innehålla minst en liten bokstav." };

    public override IdentityError PasswordRequiresUpper() => new() { Code = nameof(PasswordRequiresUpper), Description = "Lösenordet måste innehålla minst en stor bokstav." };

    public override IdentityError PasswordRequiresUniqueChars(int uniqueChars) =>
        new() { Code = nameof(PasswordRequiresUniqueChars), Description = $"Lösenordet måste innehålla minst {uniqueChars} olika tecken." };

    public override IdentityError InvalidEmail(string? email) => new() { Code = nameof(InvalidEmail), Description = $"E-postadressen '{email}' är ogiltig." };

    public override IdentityError DuplicateEmail(string email) => new() { Code = nameof(DuplicateEmail), Description = $"E-postadressen '{email}' används redan." };

    public override IdentityError InvalidUserName(string? userName) => new() { Code = nameof(InvalidUserName), Description = $"Användarnamnet '{userName}' är ogiltigt." };

    public override IdentityError DuplicateUserName(string userName) => new() { Code = nameof(DuplicateUserName), Description = $"Användarnamnet '{userName}' används redan." };

    public override IdentityError PasswordMismatch() => new() { Code = nameof(PasswordMismatch), Description = "Lösenordet stämmer inte." };

    public override IdentityError UserAlreadyHasPassword() => new() { Code = nameof(UserAlreadyHasPassword), Description = "Kontot har redan ett lösenord." };

    public override IdentityError InvalidToken() => new() { Code = nameof(InvalidToken), Description = "Koden är ogiltig." };

    public IdentityError PasswordNeedsLetterAndOther() => new()
    {
        Code = nameof(PasswordNeedsLetterAndOther),
        Description = "Lösenordet måste innehålla minst en bokstav (å, ä och ö räknas) och minst ett tecken som inte är en bokstav, till exempel en siffra, ett mellanslag eller ett skiljetecken.",
    };

    public IdentityError PasswordContainsEmail() =>
        new() { Code = nameof(PasswordContainsEmail), Description = "Lösenordet får inte innehålla din e-postadress eller delar av den." };

    public IdentityError PasswordTooLong(int length) =>
        new() { Code = nameof(PasswordTooLong), Description = $"Lösenordet får ha högst {length} tecken." };

    public IdentityError PasswordKnown() =>
        new() { Code = nameof(PasswordKnown), Description = "Lösenordet är för vanligt och gissas lätt. Välj ett annat." };
}
