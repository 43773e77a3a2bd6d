using Microsoft.AspNetCore.Http.Features;
using SpeechServe.Serving.OpenAi;

namespace SpeechServe.Serving.AudioApi;

/// <summary>
/// Reads the multipart body of a <c>/v1/audio</c> request (transcription or translation) under the body limit. Every failure is an OpenAI-shaped
/// error: 415 for another content type, 413 only when the body is over <c>Serving:MaxBodyBytes</c>, and 400
/// (<c>invalid_multipart</c>, with the reader's reason) for any other malformed or over-limit multipart detail.
/// </summary>
public static class AudioFormReader
{
    // The multipart reader reports MultipartBodyLengthLimit only as InvalidDataException("Multipart body length
    // limit ... exceeded"); the message is all that tells it from its other limits (boundary length, header
    // count and size, value count and length), which are malformed requests, not large ones.
    private const string BodyLimitMessage = "Multipart body length limit";

    // A file part up to this size is buffered in memory rather than in a temporary file (the framework's default
    // threshold is 64 KB): about 30 s of 16 kHz 16-bit WAV, so the common short clip never touches the disk.
    private const int MemoryBufferBytes = 1024 * 1024;

    /// <summary>The form, or the error to answer.</summary>
    public static async Task<(IFormCollection? Form, IResult? Error)> ReadAsync(HttpContext context, long maxBodyBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!context.Request.HasFormContentType)
        {
            return (null, OpenAiErrors.Create(
                StatusCodes.Status415UnsupportedMediaType,
                "Send the request as multipart/form-data with the audio in a 'file' part and a 'model' field.",
                null,
                "invalid_content_type"));
        }

        if (context.Request.ContentLength > maxBodyBytes)
        {
            return (null, TooLarge(maxBodyBytes));
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            sizeFeature.MaxRequestBodySize = maxBodyBytes;
        }

        try
        {
            var limits = new FormOptions { MultipartBodyLengthLimit = maxBodyBytes, ValueLengthLimit = 1024 * 1024, MemoryBufferThreshold = MemoryBufferBytes };
            var form = await context.Request.ReadFormAsync(limits, cancellationToken).ConfigureAwait(false);
            return (form, null);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, TooLarge(maxBodyBytes));
        }
        catch (InvalidDataException ex) when (ex.Message.StartsWith(BodyLimitMessage, StringComparison.Ordinal))
        {
            return (null, TooLarge(maxBodyBytes));
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or BadHttpRequestException)
        {
            return (null, OpenAiErrors.BadRequest($"The multipart body could not be read: {ex.Message}", null, "invalid_multipart"));
        }
    }

    private static IResult TooLarge(long maxBodyBytes) => OpenAiErrors.Create(
        StatusCodes.Status413PayloadTooLarge,
        $"The request body is larger than the limit of {maxBodyBytes} bytes; send a shorter or compressed file.",
        "file",
        "request_too_large");
}
