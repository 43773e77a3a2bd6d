namespace SpeechServe.Export.Tests.Encoder;

/// <summary>The encoder export tests share one <see cref="EncoderExportFixture"/>: its checkpoints, golden vectors and export.</summary>
[CollectionDefinition(Name)]
public sealed class EncoderExportGroup : ICollectionFixture<EncoderExportFixture>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "encoder export";
}
