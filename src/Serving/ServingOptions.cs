using SpeechServe.Runtime.Onnx;
using SpeechServe.Serving.Resilience;
using SpeechServe.Serving.Translation;

namespace SpeechServe.Serving;

/// <summary>Configuration of the server (section <c>Serving</c>; environment variables <c>Serving__Key</c>).</summary>
public sealed class ServingOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Serving";

    /// <summary>The most <see cref="IntraOpThreads"/> and <see cref="BatchWorkers"/> accepted.</summary>
    public const int MaxThreads = 256;

    /// <summary>
    /// Directory of model repositories, relative to the content root (the project directory under
    /// <c>dotnet run</c>): every subdirectory holding a model.json is served.
    /// </summary>
    public string ModelsPath { get; set; } = "models";

    /// <summary>Serve the int8 encoder of repositories that have one.</summary>
    public bool UseInt8 { get; set; }

    /// <summary>
    /// Threads of ONNX Runtime's intra-op pool, which every model shares; 0 lets ONNX Runtime choose (one per core).
    /// Each encoder run uses them; <see cref="BatchWorkers"/> runs go at once. The default, 1, runs each batch on one
    /// core with a worker per core: on CPUs narrow batches measured ahead of one wide one at every load (docs/api.md,
    /// "Batch workers"), and the int8 encoder's gain is larger on one thread (docs/benchmarks.md).
    /// </summary>
    public int IntraOpThreads { get; set; } = 1;

    /// <summary>
    /// Encoder batches of transcriptions that run at once, each model (docs/api.md, "Batch workers"); 0 sizes them
    /// to the machine (<see cref="ResolveBatchWorkers"/>).
    /// </summary>
    public int BatchWorkers { get; set; }

    /// <summary>
    /// Execution provider of every model (<c>cpu</c> or <c>cuda</c>) unless <see cref="Models"/> says otherwise. CUDA
    /// falls back to the CPU, with a logged reason, where it cannot load; <c>/readyz</c> and <c>/v1/models</c> say
    /// which provider each model runs on.
    /// </summary>
    public OnnxExecutionProvider ExecutionProvider { get; set; } = OnnxExecutionProvider.Cpu;

    /// <summary>CUDA device ordinal of the models on <see cref="OnnxExecutionProvider.Cuda"/>.</summary>
    public int CudaDeviceId { get; set; }

    /// <summary>Settings of single models by model id (<c>Serving:Models:ID:ExecutionProvider</c>).</summary>
    public Dictionary<string, ModelServingOptions> Models { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Largest accepted request body in bytes (OpenAI's limit is 25 MB).</summary>
    public long MaxBodyBytes { get; set; } = 25 * 1024 * 1024;

    /// <summary>Longest accepted audio in seconds.</summary>
    public double MaxAudioSeconds { get; set; } = 1800;

    /// <summary>The boost of each hotword or prompt word that gives no <c>:score</c>, in natural-log units (docs/decoding.md, "Hotwords").</summary>
    public double HotwordScore { get; set; } = 8;

    /// <summary>
    /// Transcriptions of audio longer than this many seconds are decoded segment by segment through the streaming
    /// recognizer, cut at pauses by its endpointing, while the audio itself is decoded, so that their memory stays
    /// bounded; this much audio is decoded before the path is chosen (docs/api.md, "Long audio").
    /// </summary>
    public double LongAudioSeconds { get; set; } = 30;

    /// <summary>ffmpeg executable for compressed formats.</summary>
    public string FfmpegPath { get; set; } = "ffmpeg";

    /// <summary>
    /// Longest time a request may wait for ffmpeg to decode one upload, in seconds (the time long audio spends being
    /// recognised between reads of ffmpeg's output does not count).
    /// </summary>
    public double DecodeTimeoutSeconds { get; set; } = 60;

    /// <summary>CTC beam width; 1 decodes greedily.</summary>
    public int BeamWidth { get; set; } = 1;

    /// <summary>
    /// Decode with a model's word language model when its repository has one (docs/decoding.md); off, decoding
    /// is greedy or plain beam search by <see cref="BeamWidth"/>.
    /// </summary>
    public bool LanguageModel { get; set; } = true;

    /// <summary>Most utterances per encoder run.</summary>
    public int MaxBatchSize { get; set; } = 8;

    /// <summary>
    /// How long the first request of a batch waits for others, in milliseconds; requests that queue while the
    /// encoder is busy share its next run without it (docs/api.md weighs 0 against the default).
    /// </summary>
    public double MaxBatchWaitMilliseconds { get; set; } = 5;

    /// <summary>Most requests waiting for the encoder before new ones get 503.</summary>
    public int MaxQueueLength { get; set; } = 256;

    /// <summary>
    /// The batch workers to run: <see cref="BatchWorkers"/> when set, else the processor count over the intra-op
    /// threads, at least 1, so that workers times intra-op threads fill the cores: with one intra-op thread a
    /// worker per core, with ONNX Runtime's default (one thread per core) a single worker.
    /// </summary>
    public int ResolveBatchWorkers(int processorCount) =>
        BatchWorkers > 0 ? BatchWorkers : Math.Max(1, processorCount / (IntraOpThreads > 0 ? IntraOpThreads : processorCount));

    /// <summary>How translations are decoded when a request does not say.</summary>
    public TranslationDefaults Translation { get; set; } = new();

    /// <summary>When repeated encoder failures make recognition answer 503 for a while.</summary>
    public InferenceBreakerOptions InferenceBreaker { get; set; } = new();
}
