using System.Text.Json.Nodes;

namespace SpeechServe.Serving.Realtime;

/// <summary>Builds the server events of a Realtime session, each with its <c>type</c> and a fresh <c>event_id</c>.</summary>
internal static class RealtimeEvents
{
    /// <summary>An event of <paramref name="type"/> with the fields of <paramref name="body"/>.</summary>
    public static JsonObject Create(string type, JsonObject? body = null)
    {
        var result = new JsonObject { ["type"] = type, ["event_id"] = Id("event") };
        foreach (var (name, value) in body ?? [])
        {
            result[name] = value?.DeepClone();
        }

        return result;
    }

    /// <summary>The <c>error</c> event for <paramref name="error"/>, naming the client event that caused it.</summary>
    public static JsonObject Error(RealtimeError error, string? clientEventId) => Create("error", new JsonObject
    {
        ["error"] = new JsonObject
        {
            ["type"] = error.Type,
            ["code"] = error.Code,
            ["message"] = error.Message,
            ["param"] = error.Param,
            ["event_id"] = clientEventId,
        },
    });

    /// <summary>A new id with OpenAI's prefix convention, e.g. <c>item_3f2a...</c>.</summary>
    public static string Id(string prefix) => $"{prefix}_{Guid.NewGuid():N}";
}
