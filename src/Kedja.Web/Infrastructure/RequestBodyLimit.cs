using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Kedja.Web.Infrastructure;

/// <summary>How large a request body may be (README, "Limits"). Larger bodies answer 413 and nothing is read further.</summary>
public sealed class RequestLimitOptions
{
    public const string Section = "Kedja:Limits";

    /// <summary>Every endpoint but the tenant import. Kestrel's own default, 30,000,000 bytes.</summary>
    public long MaxRequestBodyBytes { get; set; } = 30_000_000;

    /// <summary>
    /// The tenant import (<c>POST /tenants/import</c>), whose body is a whole municipality. Larger documents (a generated
    /// L tenant) are imported from a file with the <c>import</c> verb, which has no limit.
    /// </summary>
    public long MaxImportBodyBytes { get; set; } = 100_000_000;
}

/// <summary>Marks an endpoint whose body may be as large as <see cref="RequestLimitOptions.MaxImportBodyBytes"/>.</summary>
public sealed class ImportBodyLimit
{
    public static ImportBodyLimit Instance { get; } = new();
}

/// <summary>The same for a page that takes a file (the outcome import's upload).</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class ImportBodyLimitAttribute : Attribute;

/// <summary>
/// Enforces the body limit of the endpoint: by the declared Content-Length before anything is read, and by counting
/// what is actually read when there is none (chunked). Kestrel gets the same limit for the request; the test server
/// and other hosts that have no limit of their own are held to it by the count.
/// </summary>
public sealed class RequestBodyLimitMiddleware(RequestDelegate next, IOptions<RequestLimitOptions> options)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var metadata = context.GetEndpoint()?.Metadata;
        var limit = metadata?.GetMetadata<ImportBodyLimit>() is null && metadata?.GetMetadata<ImportBodyLimitAttribute>() is null
            ? options.Value.MaxRequestBodyBytes
            : options.Value.MaxImportBodyBytes;
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } server)
        {
            server.MaxRequestBodySize = limit;
        }

        if (context.Request.ContentLength > limit)
        {
            throw TooLarge(limit);
        }

        var original = context.Request.Body;
        var counted = new CountedBody(original, limit);
        context.Request.Body = counted;
        try
        {
            await next(context);
        }
        finally
        {
            context.Request.Body = original;
        }

        // Model binding treats a failed read like a client that went away and answers nothing; the limit still says 413.
        if (counted.Exceeded && !context.Response.HasStarted)
        {
            throw TooLarge(limit);
        }
    }

    private static BadHttpRequestException TooLarge(long limit) =>
        new($"Begäran är större än gränsen {limit} byte.", StatusCodes.Status413PayloadTooLarge);

    private sealed class CountedBody(Stream inner, long limit) : Stream
    {
        private long read;

        public bool Exceeded { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => read;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await inner.ReadAsync(buffer, cancellationToken));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        private int Count(int bytes)
        {
            read += bytes;
            if (read > limit)
            {
                Exceeded = true;
                throw TooLarge(limit);
            }

            return bytes;
        }
    }
}
