using System.Security.Cryptography;

namespace Kedja.Web.Backups;

/// <summary>Thrown for a backup or restore the verb refuses; the message is Swedish and says what was (not) done.</summary>
public sealed class BackupRefusedException(string message, bool usage = false) : Exception(message)
{
    /// <summary>A mistake on the command line (a file that does not exist), exit code 2 rather than 1.</summary>
    public bool Usage { get; } = usage;
}

/// <summary>
/// The SHA-256 of a backup, kept beside it as <c>{file}.sha256</c> in the format of <c>sha256sum</c>
/// ("hash, two spaces, file name"), so that an operator can check a copied backup with <c>sha256sum -c</c> as well.
/// </summary>
public static class BackupHash
{
    public const string Suffix = ".sha256";

    public static string PathFor(string file) => file + Suffix;

    public static async Task<string> ComputeAsync(string file, CancellationToken cancellationToken = default)
    {
        await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
    }

    /// <summary>Computes the file's hash and writes it beside the file. Returns the hash.</summary>
    public static async Task<string> WriteAsync(string file, CancellationToken cancellationToken = default)
    {
        var hash = await ComputeAsync(file, cancellationToken);
        await File.WriteAllTextAsync(PathFor(file), $"{hash}  {Path.GetFileName(file)}\n", cancellationToken);
        return hash;
    }

    /// <summary>Refuses a file without its hash file or whose content no longer has the hash written when it was made.</summary>
    public static async Task<string> VerifyAsync(string file, CancellationToken cancellationToken = default)
    {
        var hashFile = PathFor(file);
        if (!File.Exists(hashFile))
        {
            throw new BackupRefusedException(
                $"Kontrollsumman {hashFile} saknas, så det går inte att se att säkerhetskopian är hel. Kopiera den tillsammans med säkerhetskopian. Inget återställdes.");
        }

        var expected = (await File.ReadAllTextAsync(hashFile, cancellationToken)).Split([' ', '\t', '\n', '\r'], 2, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "";
        var actual = await ComputeAsync(file, cancellationToken);
        if (!string.Equals(expected, actual, StringComparison.OrdinalIgnoreCase))
        {
            throw new BackupRefusedException(
                $"Säkerhetskopian {file} är ändrad eller skadad: dess SHA-256 är {actual}, men {hashFile} säger {expected}. Inget återställdes.");
        }

        return actual;
    }
}
