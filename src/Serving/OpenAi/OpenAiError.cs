namespace SpeechServe.Serving.OpenAi;

/// <summary>OpenAI's error envelope: <c>{"error": {"message", "type", "param", "code"}}</c>.</summary>
public sealed record OpenAiErrorResponse(OpenAiError Error);

/// <summary>The body of an OpenAI-style error.</summary>
/// <param name="Message">What went wrong and what to change.</param>
/// <param name="Type">OpenAI's error type, e.g. <c>invalid_request_error</c>.</param>
/// <param name="Param">The request field at fault, when one is.</param>
/// <param name="Code">A stable machine-readable code.</param>
public sealed record OpenAiError(string Message, string Type, string? Param, string? Code);
