namespace SpeechServe.Serving.OpenAi;

/// <summary>Builds <c>/v1/*</c> error responses in OpenAI's shape with the right status.</summary>
public static class OpenAiErrors
{
    /// <summary>OpenAI's type for client mistakes.</summary>
    public const string InvalidRequest = "invalid_request_error";

    /// <summary>OpenAI's type for server-side failures.</summary>
    public const string ServerError = "server_error";

    /// <summary>An error response with <paramref name="status"/>.</summary>
    public static IResult Create(int status, string message, string? param = null, string? code = null, string? type = null) =>
        TypedResults.Json(
            new OpenAiErrorResponse(new OpenAiError(message, type ?? (status >= 500 ? ServerError : InvalidRequest), param, code)),
            statusCode: status);

    /// <summary>400: a parameter is missing or has a bad value.</summary>
    public static IResult BadRequest(string message, string? param, string code) =>
        Create(StatusCodes.Status400BadRequest, message, param, code);
}
