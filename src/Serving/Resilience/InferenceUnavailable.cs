using System.Globalization;
using SpeechServe.Serving.OpenAi;

namespace SpeechServe.Serving.Resilience;

/// <summary>
/// The 503 answered to recognition requests (REST and new streams) while a model's inference breaker is open;
/// its message also ends the streams that were open.
/// </summary>
public static class InferenceUnavailable
{
    /// <summary>The OpenAI-style error code.</summary>
    public const string Code = "inference_unavailable";

    /// <summary>Sets <c>Retry-After</c> on the response and returns the error body.</summary>
    public static IResult Create(HttpContext context, string modelId, TimeSpan retryAfter)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.Headers.RetryAfter = Seconds(retryAfter).ToString(CultureInfo.InvariantCulture);
        return OpenAiErrors.Create(StatusCodes.Status503ServiceUnavailable, Message(modelId, retryAfter), null, Code);
    }

    /// <summary>The error message: recognition with <paramref name="modelId"/> is paused, retry after whole seconds.</summary>
    public static string Message(string modelId, TimeSpan retryAfter) =>
        string.Create(CultureInfo.InvariantCulture, $"Recognition with '{modelId}' is paused after repeated encoder failures; retry after {Seconds(retryAfter)} s.");

    private static int Seconds(TimeSpan retryAfter) => Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
}
