using Microsoft.Extensions.Options;
using SpeechServe.Serving.Metrics;
using SpeechServe.Serving.Models;

namespace SpeechServe.Serving.Streaming;

/// <summary>What every WebSocket streaming endpoint needs, whatever its protocol.</summary>
internal sealed class StreamingServices(
    ModelCatalog catalog,
    StreamingRecognizers recognizers,
    ActiveStreams streams,
    ServingMetrics metrics,
    IOptions<StreamingServerOptions> options,
    IOptions<ServingOptions> serving,
    ILogger<StreamingConnection> logger)
{
    /// <summary>The loaded models.</summary>
    public ModelCatalog Catalog => catalog;

    /// <summary>The streaming recognizer of each model.</summary>
    public StreamingRecognizers Recognizers => recognizers;

    /// <summary>The open streams and their limit.</summary>
    public ActiveStreams Streams => streams;

    /// <summary>Where streams are counted.</summary>
    public ServingMetrics Metrics => metrics;

    /// <summary>The streaming settings.</summary>
    public IOptions<StreamingServerOptions> Options => options;

    /// <summary>The server's settings (the default hotword score).</summary>
    public IOptions<ServingOptions> Serving => serving;

    /// <summary>The connections' logger.</summary>
    public ILogger<StreamingConnection> Logger => logger;
}

/// <summary>A streaming protocol: its sample encoding when the query names none, and its wire format for a model.</summary>
/// <param name="DefaultEncoding">The encoding of binary frames without <c>encoding</c> in the query.</param>
/// <param name="Format">The wire format of one connection on the model.</param>
internal sealed record StreamProtocol(Runtime.Audio.SampleEncoding DefaultEncoding, Func<ServedModel, IStreamWireFormat> Format);
