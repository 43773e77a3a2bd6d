using System.Text.Json.Nodes;
using SpeechServe.Runtime.Decoding;
using SpeechServe.Runtime.Streaming;
using SpeechServe.Serving.Models;
using SpeechServe.Serving.Streaming;

namespace SpeechServe.Serving.Realtime;

/// <summary>
/// The input audio buffer of a Realtime transcription session and the conversation items cut from it. The audio
/// runs through a streaming session as it arrives. With <c>server_vad</c>, the session's endpointing cuts the
/// turns: the first text of a segment starts an item (<c>speech_started</c>), its text grows by
/// <c>.delta</c> events, and its endpoint sends <c>speech_stopped</c>, <c>committed</c> and <c>.completed</c>. Without
/// it, a commit ends the turn. The prompt's rare words are hotwords of the finals' search. Not thread-safe: one connection drives it.
/// </summary>
internal sealed class RealtimeTurns(StreamingRecognizers recognizers, ModelSelection selection, RealtimeSessionConfig config, HotwordBoosts? hotwords)
{
    private StreamingSession _session = Open(recognizers, selection, config, hotwords);
    private double _offsetSeconds;
    private long _uncommittedSamples;
    private string? _itemId;
    private string? _previousItemId;
    private string _sentText = string.Empty;

    /// <summary>Seconds of audio appended in the whole session.</summary>
    public double AudioSeconds => _offsetSeconds + _session.AudioSeconds;

    /// <summary>Feeds audio in the session's format; returns the events it caused.</summary>
    public async Task<List<JsonObject>> AppendAsync(float[] samples)
    {
        _uncommittedSamples += samples.Length;
        var events = new List<JsonObject>();
        foreach (var result in await _session.AcceptAsync(samples, CancellationToken.None).ConfigureAwait(false))
        {
            if (result.Kind == StreamingResultKind.Final)
            {
                EndItem(result, events);
            }
            else if (config.ServerVad)
            {
                StartItem(result.Start, events);
                Delta(result.Text, events);
            }
        }

        return events;
    }

    /// <summary>Ends the turn: its final transcript, or null when nothing was appended since the last turn.</summary>
    public async Task<List<JsonObject>?> CommitAsync()
    {
        if (_uncommittedSamples == 0)
        {
            return null;
        }

        var events = new List<JsonObject>();
        var finals = (await _session.FinishAsync(CancellationToken.None).ConfigureAwait(false)).Where(r => r.Kind == StreamingResultKind.Final).ToList();
        if (finals.Count == 0)
        {
            // The audio since the last endpoint held no speech: the committed item has an empty transcript.
            finals.Add(new StreamingResult(StreamingResultKind.Final, string.Empty, 0, _session.AudioSeconds, _session.AudioSeconds));
        }

        finals.ForEach(final => EndItem(final, events));
        Restart();
        return events;
    }

    /// <summary>Drops the audio not yet committed (and an item in progress).</summary>
    public void Clear()
    {
        _itemId = null;
        _sentText = string.Empty;
        Restart();
    }

    private void Restart()
    {
        _offsetSeconds += _session.AudioSeconds;
        _uncommittedSamples = 0;
        _session = Open(recognizers, selection, config, hotwords);
    }

    private void StartItem(double start, List<JsonObject> events)
    {
        if (_itemId is not null)
        {
            return;
        }

        _itemId = RealtimeEvents.Id("item");
        if (config.ServerVad)
        {
            events.Add(RealtimeEvents.Create("input_audio_buffer.speech_started", new JsonObject { ["audio_start_ms"] = Milliseconds(start), ["item_id"] = _itemId }));
        }
    }

    private void EndItem(StreamingResult final, List<JsonObject> events)
    {
        StartItem(final.Start, events);
        var item = _itemId!;
        if (config.ServerVad)
        {
            events.Add(RealtimeEvents.Create("input_audio_buffer.speech_stopped", new JsonObject { ["audio_end_ms"] = Milliseconds(final.End), ["item_id"] = item }));
        }

        events.Add(RealtimeEvents.Create("input_audio_buffer.committed", new JsonObject { ["previous_item_id"] = _previousItemId, ["item_id"] = item }));
        Delta(final.Text, events);
        events.Add(RealtimeEvents.Create("conversation.item.input_audio_transcription.completed", new JsonObject
        {
            ["item_id"] = item,
            ["content_index"] = 0,
            ["transcript"] = final.Text,
        }));
        (_previousItemId, _itemId, _sentText, _uncommittedSamples) = (item, null, string.Empty, 0);
    }

    // Deltas only ever append: a text that does not extend what was sent (a language-model final) comes whole in .completed.
    private void Delta(string text, List<JsonObject> events)
    {
        if (text.Length <= _sentText.Length || !text.StartsWith(_sentText, StringComparison.Ordinal))
        {
            return;
        }

        events.Add(RealtimeEvents.Create("conversation.item.input_audio_transcription.delta", new JsonObject
        {
            ["item_id"] = _itemId,
            ["content_index"] = 0,
            ["delta"] = text[_sentText.Length..],
        }));
        _sentText = text;
    }

    private long Milliseconds(double sessionSeconds) => (long)Math.Round((_offsetSeconds + sessionSeconds) * 1000);

    private static StreamingSession Open(StreamingRecognizers recognizers, ModelSelection selection, RealtimeSessionConfig config, HotwordBoosts? hotwords) =>
        recognizers.For(selection.Served, endpointing: config.ServerVad).Open(selection.Weights, config.Format.SampleRate, selection.Served.Breaker, hotwords);
}
