using System.Globalization;
using SpeechServe.Serving.OpenAi;

namespace SpeechServe.Serving.Resilience;

/// <summary>The 503 answered to recognition requests (REST and new streams) while a model's inference breaker is open.</summary>
public static class InferenceUnavailable
{
    /// <summary>The OpenAI-style error code.</summary>
    public const string Code = "inference_unavailable";

    /// <summary>Sets <c>Retry-After</c> on the response and returns the error body.</summary>
    public static IResult Create(HttpContext context, string modelId, TimeSpan retryAfter)
    {
        ArgumentNullException.ThrowIfNull(context);
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        context.Response.Headers.RetryAfter = seconds;
        return OpenAiErrors.Create(
            StatusCodes.Status503ServiceUnavailable,
            $"Recognition with '{modelId}' is paused after repeated encoder failures; retry after {seconds} s.",
            null,
            Code);
    }
}
