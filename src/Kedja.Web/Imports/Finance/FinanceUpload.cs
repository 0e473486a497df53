namespace Kedja.Web.Imports.Finance;

/// <summary>
/// Reads an uploaded finance file once, into one array of its own size (review 16, finding 18): no MemoryStream that
/// doubles its buffer up to 128 MiB and is then copied by ToArray. A file of unknown length (a chunked body) is first
/// streamed to a temporary file that is deleted on close, so that its length is known before the array is made. The
/// request's size limit (<see cref="Infrastructure.ImportBodyLimit"/>) still applies; a file above
/// <see cref="FinanceImports.MaxBytes"/> is not read at all and gets an empty array back with <c>TooLarge</c>.
/// </summary>
public static class FinanceUpload
{
    public static async Task<(byte[] Content, bool TooLarge)> ReadAsync(Stream source, long? length, CancellationToken cancellationToken)
    {
        if (length is { } known)
        {
            return known > FinanceImports.MaxBytes ? ([], true) : (await ReadExactlyAsync(source, known, cancellationToken), false);
        }

        var path = Path.Combine(Path.GetTempPath(), $"kedja-finance-{Guid.NewGuid():N}.upload");
        await using var temp = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        var buffer = new byte[81920];
        int read;
        while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
        {
            if (temp.Length + read > FinanceImports.MaxBytes)
            {
                return ([], true);
            }

            await temp.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
        }

        temp.Position = 0;
        return (await ReadExactlyAsync(temp, temp.Length, cancellationToken), false);
    }

    private static async Task<byte[]> ReadExactlyAsync(Stream source, long length, CancellationToken cancellationToken)
    {
        var content = new byte[length];
        var at = 0;
        int read;
        while (at < content.Length && (read = await source.ReadAsync(content.AsMemory(at), cancellationToken)) > 0)
        {
            at += read;
        }

        // A body shorter than it said is taken as what arrived; one longer is cut by the declared length and refused by the limit.
        return at == content.Length ? content : content[..at];
    }
}
