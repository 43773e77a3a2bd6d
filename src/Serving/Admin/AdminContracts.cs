using System.Text.Json.Serialization;

namespace SpeechServe.Serving.Admin;

/// <summary>Body of <c>GET /admin/adapters</c>.</summary>
public sealed record AdapterListResponse([property: JsonPropertyName("adapters")] IReadOnlyList<AdapterResponse> Adapters);

/// <summary>One adapter in the admin API.</summary>
public sealed record AdapterResponse(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("base_model")] string BaseModel,
    [property: JsonPropertyName("active_version")] int? ActiveVersion,
    [property: JsonPropertyName("desired_version")] int? DesiredVersion,
    [property: JsonPropertyName("served_version")] int? ServedVersion,
    [property: JsonPropertyName("versions")] IReadOnlyList<int> Versions,
    [property: JsonPropertyName("bytes")] long Bytes,
    [property: JsonPropertyName("resident_bytes")] long ResidentBytes,
    [property: JsonPropertyName("in_flight")] int InFlight,
    [property: JsonPropertyName("state")] string State,
    [property: JsonPropertyName("detail"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Detail);

/// <summary>Body of <c>POST /admin/adapters/{name}/activate</c>.</summary>
public sealed record ActivateRequest([property: JsonPropertyName("version")] int? Version);

/// <summary>The outcome of an upload, activation, rollback or delete.</summary>
public sealed record AdapterChangeResponse(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("base_model")] string BaseModel,
    [property: JsonPropertyName("version"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Version,
    [property: JsonPropertyName("active_version")] int? ActiveVersion,
    [property: JsonPropertyName("in_flight"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? InFlight);
