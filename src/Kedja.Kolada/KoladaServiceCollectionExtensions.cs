using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace Kedja.Kolada;

public static class KoladaServiceCollectionExtensions
{
    /// <summary>Registers <see cref="KoladaClient"/> with settings bound from a configuration section (default <c>Kedja:Kolada</c>).</summary>
    public static IServiceCollection AddKolada(this IServiceCollection services, string configSectionPath = KoladaOptions.Section)
    {
        services.AddOptions<KoladaOptions>().BindConfiguration(configSectionPath);
        return AddClient(services);
    }

    /// <summary>Registers <see cref="KoladaClient"/> with settings set in code.</summary>
    public static IServiceCollection AddKolada(this IServiceCollection services, Action<KoladaOptions> configure)
    {
        services.AddOptions<KoladaOptions>().Configure(configure);
        return AddClient(services);
    }

    private static IServiceCollection AddClient(IServiceCollection services)
    {
        // A wrong setting should stop the start with a sentence, not fail the first fetch; Kolada itself being
        // unreachable never stops Kedja from starting.
        services.AddOptions<KoladaOptions>()
            .Validate(o => !o.Problems().Any(), "Inställningarna för Kolada (Kedja:Kolada) är ogiltiga.")
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<KoladaOptions>, ExplainProblems>();

        var client = services.AddHttpClient<KoladaClient>(client =>
            {
                // The pipeline bounds each attempt and the number of attempts; HttpClient's own 100 s would cut
                // a legitimate run of retries short.
                client.Timeout = Timeout.InfiniteTimeSpan;
                client.DefaultRequestHeaders.Accept.ParseAdd("application/json");
                client.DefaultRequestHeaders.UserAgent.ParseAdd("Kedja");
            });
        client.AddResilienceHandler("kolada", (pipeline, context) =>
            {
                var options = context.ServiceProvider.GetRequiredService<IOptions<KoladaOptions>>().Value;
                var clock = context.ServiceProvider.GetService<TimeProvider>() ?? TimeProvider.System;

                // Outermost: the whole request, retries and waits included, within a bound a person can wait for.
                pipeline.AddTimeout(TimeSpan.FromSeconds(options.TotalTimeoutSeconds));
                if (options.MaxRetries > 0)
                {
                    pipeline.AddRetry(Retry(options, clock));
                }
                pipeline.AddTimeout(TimeSpan.FromSeconds(options.TimeoutSeconds));
            });
        // Added after the resilience handler, so inside it: a body that stalls halfway counts as a failed attempt.
        client.AddHttpMessageHandler(() => new ReadWholeBody());
        return services;
    }

    private static HttpRetryStrategyOptions Retry(KoladaOptions options, TimeProvider clock)
    {
        var retry = new HttpRetryStrategyOptions
        {
            // 429, 5xx, 408, network errors and attempt timeouts; never 400 or 404.
            MaxRetryAttempts = options.MaxRetries,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = TimeSpan.FromSeconds(options.RetryBaseDelaySeconds),
            ShouldRetryAfterHeader = false,
        };
        var cap = TimeSpan.FromSeconds(options.MaxRetryAfterSeconds);
        retry.DelayGenerator = args =>
        {
            var header = args.Outcome.Result?.Headers.RetryAfter;
            TimeSpan? wait = header?.Delta ?? (header?.Date is { } date ? date - clock.GetUtcNow() : null);
            return ValueTask.FromResult(wait is { } w ? (TimeSpan?)(w < TimeSpan.Zero ? TimeSpan.Zero : w > cap ? cap : w) : null);
        };
        return retry;
    }

    private sealed class ReadWholeBody : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            try
            {
                await response.Content.LoadIntoBufferAsync(cancellationToken);
            }
            catch
            {
                response.Dispose();
                throw;
            }
            return response;
        }
    }

    private sealed class ExplainProblems : IValidateOptions<KoladaOptions>
    {
        public ValidateOptionsResult Validate(string? name, KoladaOptions options)
        {
            var problems = options.Problems().ToList();
            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }
    }
}
