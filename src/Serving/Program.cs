using SpeechServe.Serving;
using SpeechServe.Serving.Adaptation;
using SpeechServe.Serving.Admin;
using SpeechServe.Serving.Documentation;
using SpeechServe.Serving.Health;
using SpeechServe.Serving.Metrics;
using SpeechServe.Serving.Models;
using SpeechServe.Serving.Realtime;
using SpeechServe.Serving.SherpaOnnx;
using SpeechServe.Serving.Streaming;
using SpeechServe.Serving.Transcription;
using SpeechServe.Serving.Translation;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddSpeechServing(builder.Configuration);
builder.Services.AddServingOpenApi();
builder.Services.AddStreaming(builder.Configuration);
builder.Services.AddSherpaOnnxStreaming();

var app = builder.Build();
app.UseRequestMetrics();
app.UseWebSockets();
app.UseRateLimiter();
app.UseDefaultFiles();
app.UseStaticFiles();
app.MapOpenApi();
app.MapHealth();
app.MapMetrics();
app.MapModels();
app.MapTranscription();
app.MapTranslation();
app.MapAdmin();
app.MapAdaptations();
app.MapStreaming();
app.MapSherpaOnnxStreaming();
app.MapRealtime();
app.Run();

/// <summary>Entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
