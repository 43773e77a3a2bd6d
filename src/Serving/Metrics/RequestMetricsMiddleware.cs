using System.Diagnostics;

namespace SpeechServe.Serving.Metrics;

/// <summary>
/// Counts and times every request by route template, method, status code and model. It runs first, so the
/// time covers the whole pipeline; the route is read from the matched endpoint once the request is done.
/// </summary>
public sealed class RequestMetricsMiddleware(RequestDelegate next, ServingMetrics metrics)
{
    /// <summary>Runs the rest of the pipeline and records the request, also when it throws (as a 500 unless the response had started).</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var started = Stopwatch.GetTimestamp();
        var tags = new RequestMetricsTags();
        context.Features.Set(tags);
        var threw = false;
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch
        {
            threw = true;
            throw;
        }
        finally
        {
            var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? string.Empty;
            var status = threw && !context.Response.HasStarted ? StatusCodes.Status500InternalServerError : context.Response.StatusCode;
            metrics.RecordRequest(route, context.Request.Method, status, tags.Model, Stopwatch.GetElapsedTime(started));
        }
    }
}

/// <summary>What an endpoint tells the request metrics about its request.</summary>
public sealed class RequestMetricsTags
{
    /// <summary>The model id the request ran on (a base model or an adapter name); empty until one is resolved.</summary>
    public string Model { get; set; } = string.Empty;
}

/// <summary>Wiring of the request metrics.</summary>
public static class RequestMetricsExtensions
{
    /// <summary>Adds <see cref="RequestMetricsMiddleware"/>; call it before any other middleware.</summary>
    public static IApplicationBuilder UseRequestMetrics(this IApplicationBuilder app) => app.UseMiddleware<RequestMetricsMiddleware>();

    /// <summary>
    /// Labels the request's metrics with the model it runs on. Pass only a resolved model id, never the
    /// client's text: an unknown <c>model</c> must not become a label value.
    /// </summary>
    public static void SetMetricsModel(this HttpContext context, string model)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Features.Get<RequestMetricsTags>()?.Model = model;
    }
}
