namespace SpeechServe.Export.Encoder;

/// <summary>Choices for <see cref="EncoderGraph.Build"/>.</summary>
public sealed record EncoderGraphOptions
{
    /// <summary>How the weight MatMuls are computed: float32 (default) or <see cref="Int8LinearEmitter"/>.</summary>
    public LinearEmitter Linear { get; init; } = LinearEmitter.FullPrecision;

    /// <summary>Extra <c>metadata_props</c> entries, e.g. the model id and the checkpoint's SHA-256.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    /// <summary>The exporter's version, written as the model's producer version.</summary>
    public string ProducerVersion { get; init; } = string.Empty;
}
