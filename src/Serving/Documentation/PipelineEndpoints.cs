namespace SpeechServe.Serving.Documentation;

/// <summary>
/// Maps a library's terminal middleware (prometheus-net's exporter, ASP.NET Core's health check middleware) as
/// a described <c>GET</c> endpoint. The libraries' own <c>MapMetrics</c> and <c>MapHealthChecks</c> build the
/// same pipeline but map it as a bare <see cref="RequestDelegate"/>, which the API explorer skips
/// (dotnet/aspnetcore#5161), so those endpoints would be missing from the generated OpenAPI document that
/// openapi.yaml is checked against.
/// </summary>
internal static class PipelineEndpoints
{
    /// <summary>Builds a pipeline with <paramref name="configure"/> and serves it on <c>GET</c> <paramref name="pattern"/>.</summary>
    public static RouteHandlerBuilder MapGetPipeline(this IEndpointRouteBuilder endpoints, string pattern, Action<IApplicationBuilder> configure)
    {
        var app = endpoints.CreateApplicationBuilder();
        configure(app);
        var pipeline = app.Build();
        // A Func rather than a RequestDelegate makes this a route handler, which carries its method for the API explorer.
        Func<HttpContext, Task> handler = context => pipeline(context);
        return endpoints.MapGet(pattern, handler);
    }
}
