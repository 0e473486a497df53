using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using Kedja.Data;

namespace Kedja.Web.Infrastructure;

/// <summary>
/// Reports the server's own time for each request in a Server-Timing header, which the performance figures are read
/// from. The time includes writing the response body: the body is held back (up to <see cref="HeldBytes"/>) until the
/// handler has finished, so serialising a large scorecard counts. A longer body (an export) is sent on once it passes
/// that size, and its header gives the time until then. Beside it, "db" is the part spent in database commands
/// (<see cref="DatabaseTime"/>), so that a figure can be read against its SQL floor.
/// </summary>
public sealed class ServerTimingMiddleware(RequestDelegate next)
{
    public const int HeldBytes = 4 * 1024 * 1024;

    public async Task InvokeAsync(HttpContext context)
    {
        var original = context.Response.Body;
        var body = new TimedBody(context.Response, original, Stopwatch.GetTimestamp(), DatabaseTime.Start());
        context.Response.Body = body;
        try
        {
            await next(context);
            await body.CompleteAsync(context.RequestAborted);
        }
        finally
        {
            context.Response.Body = original;
        }
    }

    private sealed class TimedBody(HttpResponse response, Stream inner, long started, StrongBox<long> database) : Stream
    {
        private MemoryStream? held = new();

        public override bool CanRead => false;

        /// <summary>While held, the body can be emptied (the exception handler clears a half-written answer).</summary>
        public override bool CanSeek => held is not null;

        public override bool CanWrite => true;

        public override long Length => held?.Length ?? throw new NotSupportedException();

        public override long Position { get => held?.Length ?? throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public async Task CompleteAsync(CancellationToken cancellationToken)
        {
            if (held is null)
            {
                return;
            }

            var bytes = held;
            Stamp();
            if (!response.HasStarted && response.ContentLength is null && bytes.Length > 0)
            {
                response.ContentLength = bytes.Length;
            }

            held = null;
            bytes.Position = 0;
            await bytes.CopyToAsync(inner, cancellationToken);
        }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (held is not null)
            {
                if (held.Length + buffer.Length <= HeldBytes)
                {
                    held.Write(buffer.Span);
                    return;
                }

                await SendOnAsync(cancellationToken);
            }

            await inner.WriteAsync(buffer, cancellationToken);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

        /// <summary>While the body is held, a flush has nothing to send; afterwards it reaches the client.</summary>
        public override Task FlushAsync(CancellationToken cancellationToken) => held is null ? inner.FlushAsync(cancellationToken) : Task.CompletedTask;

        public override void Flush() => FlushAsync(CancellationToken.None).GetAwaiter().GetResult();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value)
        {
            if (held is null || value > held.Length)
            {
                throw new NotSupportedException();
            }

            held.SetLength(value);
        }

        private async Task SendOnAsync(CancellationToken cancellationToken)
        {
            var bytes = held!;
            held = null;
            Stamp();
            bytes.Position = 0;
            await bytes.CopyToAsync(inner, cancellationToken);
        }

        private void Stamp()
        {
            if (!response.HasStarted)
            {
                var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                var db = TimeSpan.FromTicks(Interlocked.Read(ref database.Value)).TotalMilliseconds;
                response.Headers["Server-Timing"] = string.Create(CultureInfo.InvariantCulture, $"app;dur={ms:0.0}, db;dur={db:0.0}");
            }
        }
    }
}
