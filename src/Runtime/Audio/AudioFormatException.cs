namespace SpeechServe.Runtime.Audio;

/// <summary>
/// Audio input that cannot be decoded. <see cref="ErrorCode"/> says why (machine-readable),
/// <see cref="Exception.Message"/> says what the caller should fix, and <see cref="Param"/> names
/// the request field at fault (always <c>file</c> for audio bodies).
/// </summary>
public sealed class AudioFormatException : FormatException
{
    /// <summary>Creates an exception for <paramref name="errorCode"/> with a message that says what to fix.</summary>
    public AudioFormatException(AudioErrorCode errorCode, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        ErrorCode = errorCode;
    }

    /// <summary>Why the input was rejected.</summary>
    public AudioErrorCode ErrorCode { get; }

    /// <summary>The stable snake_case name of <see cref="ErrorCode"/>, e.g. <c>truncated_header</c>.</summary>
    public string Code => ToWireName(ErrorCode);

    /// <summary>The request parameter at fault.</summary>
    public string Param { get; } = "file";

    /// <summary>True when the error means "this media type cannot be handled here" (HTTP 415).</summary>
    public bool IsUnsupportedMediaType => ErrorCode is AudioErrorCode.UnsupportedMediaType
        or AudioErrorCode.UnsupportedEncoding or AudioErrorCode.UnsupportedBitsPerSample;

    /// <summary>Converts a code to its snake_case wire name.</summary>
    public static string ToWireName(AudioErrorCode code)
    {
        var name = code.ToString();
        var builder = new System.Text.StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                if (i > 0)
                {
                    builder.Append('_');
                }

                builder.Append(char.ToLowerInvariant(c));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }
}
