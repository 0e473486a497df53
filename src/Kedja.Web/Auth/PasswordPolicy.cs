using System.Globalization;
using System.Text;
using Kedja.Data;
using Kedja.Web.Members;
using Microsoft.AspNetCore.Identity;

namespace Kedja.Web.Auth;

/// <summary>
/// Kedja's password rules (ADR 11), in place of Identity's ASCII-only character checks: at least 12 characters
/// (letters of any alphabet, å, ä and ö included, each count as one) and at most 128 (ASVS 2.1.2), at least one letter and one character that is
/// not a letter, nothing built on the e-mail address, and nothing from a short list of known passwords. The demo
/// password is accepted only in Development.
/// </summary>
public sealed class KedjaPasswordValidator(IHostEnvironment environment, SwedishIdentityErrors describer) : IPasswordValidator<KedjaUser>
{
    public const int MinimumLength = 12;

    public const int MinimumDistinct = 5;

    /// <summary>ASVS 2.1.2: longer is refused, so that no entry point hashes (or stores a field of) megabytes.</summary>
    public const int MaximumLength = 128;

    public Task<IdentityResult> ValidateAsync(UserManager<KedjaUser> manager, KedjaUser user, string? password)
    {
        var errors = new List<IdentityError>();
        var text = (password ?? "").Normalize(NormalizationForm.FormC);
        var length = new StringInfo(text).LengthInTextElements;
        if (length < MinimumLength)
        {
            errors.Add(describer.PasswordTooShort(MinimumLength));
        }
        else if (length > MaximumLength)
        {
            errors.Add(describer.PasswordTooLong(MaximumLength));
        }

        if (!text.Any(char.IsLetter) || text.All(char.IsLetter))
        {
            errors.Add(describer.PasswordNeedsLetterAndOther());
        }

        // Length made of one repeated character ("aaaaaaaaaaa1", "a" and eleven spaces) is no length at all.
        if (text.Distinct().Count() < MinimumDistinct)
        {
            errors.Add(describer.PasswordRequiresUniqueChars(MinimumDistinct));
        }

        if (ContainsEmail(text, user.Email))
        {
            errors.Add(describer.PasswordContainsEmail());
        }

        if (KnownPasswords.Contains(text, includeDemo: !environment.IsDevelopment()))
        {
            errors.Add(describer.PasswordKnown());
        }

        return Task.FromResult(errors.Count == 0 ? IdentityResult.Success : IdentityResult.Failed([.. errors]));
    }

    /// <summary>The whole local part, and each longer piece of it ("anna.larsson" → "larsson"), case-insensitively.</summary>
    internal static bool ContainsEmail(string password, string? email)
    {
        var at = email?.IndexOf('@', StringComparison.Ordinal) ?? -1;
        if (at <= 0)
        {
            return false;
        }

        var local = email![..at].Normalize(NormalizationForm.FormC);
        var pieces = local.Split(['.', '-', '_', '+'], StringSplitOptions.RemoveEmptyEntries).Where(p => p.Length >= 4);
        return local.Length >= 3 && password.Contains(local, StringComparison.OrdinalIgnoreCase)
            || pieces.Any(p => password.Contains(p, StringComparison.OrdinalIgnoreCase));
    }
}

/// <summary>
/// Passwords that are tried first by anyone guessing. A password is refused when it is one of them, or one of the
/// words with only digits and signs around or between its letters ("Sommar2026!", "Lösenord-123", "KedjaDemo2026").
/// </summary>
public static class KnownPasswords
{
    /// <summary>Kedja's own demo password from the README and appsettings.Development.json.</summary>
    public const string Demo = "Kedja-demo-2026!";

    private static readonly HashSet<string> Whole = new(StringComparer.OrdinalIgnoreCase)
    {
        "123456789012", "1234567890ab", "qwerty123456", "password1234", "password123!", "abc123456789", "111111111111",
        "000000000000", "1q2w3e4r5t6y", "zaq12wsxcde3", "qwertyuiopå", "asdfghjklöä", "iloveyou1234", "letmein12345",
        "welcome12345", "changeme1234", "administrator1",
    };

    private static readonly HashSet<string> Words = new(StringComparer.OrdinalIgnoreCase)
    {
        "password", "passw0rd", "lösenord", "losenord", "lösen", "välkommen", "valkommen", "welcome", "hemligt", "hemlig",
        "sommar", "vinter", "våren", "hösten", "sommaren", "vintern", "januari", "februari", "augusti", "september",
        "oktober", "november", "december", "qwerty", "qwertyuiop", "asdfghjkl", "abcdefgh", "abcdef", "admin",
        "administrator", "letmein", "iloveyou", "jagälskardig", "dragon", "monkey", "football", "fotboll", "hockey",
        "sunshine", "princess", "master", "changeme", "kommun", "kommunen", "kedja", "sverige", "sweden", "stockholm",
        "göteborg", "malmö", "uppsala", "test", "testtest", "user", "användare", "kalle", "kalleanka",
    };

    private static readonly HashSet<string> DemoWords = new(StringComparer.OrdinalIgnoreCase) { Demo, "kedja-demo" };

    public static bool Contains(string password, bool includeDemo)
    {
        var core = password.Trim(Signs);

        // The letters alone, so that "KedjaDemo2026!", "Kedja demo 2026" and "Sommar_2026" are the words they spell.
        var letters = new string([.. password.Where(char.IsLetter).Select(char.ToLowerInvariant)]);
        return Whole.Contains(password) || Words.Contains(core) || Words.Contains(letters)
            || (includeDemo && (DemoWords.Contains(password) || DemoWords.Contains(core) || letters == DemoLetters));
    }

    private const string DemoLetters = "kedjademo";

    private static readonly char[] Signs = [.. "0123456789!\"#¤%&/()=?@£$€{[]}\\+*'^~¨-_.:,;<>|§½ "];
}

/// <summary>
/// Hashes and verifies passwords in Unicode NFC, the form the rules check, so that "å" typed as one character or as "a"
/// and a ring (as some keyboards and phones send it) is the same password.
/// </summary>
public sealed class NormalizingPasswordHasher(Microsoft.Extensions.Options.IOptions<PasswordHasherOptions> options) : IPasswordHasher<KedjaUser>
{
    private readonly PasswordHasher<KedjaUser> inner = new(options);

    public string HashPassword(KedjaUser user, string password) => inner.HashPassword(user, password.Normalize(NormalizationForm.FormC));

    public PasswordVerificationResult VerifyHashedPassword(KedjaUser user, string hashedPassword, string providedPassword) =>
        inner.VerifyHashedPassword(user, hashedPassword, providedPassword.Normalize(NormalizationForm.FormC));
}
