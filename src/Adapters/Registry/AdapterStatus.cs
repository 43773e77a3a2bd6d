namespace SpeechServe.Adapters.Registry;

/// <summary>An adapter as the admin API lists it.</summary>
/// <param name="Name">Its name.</param>
/// <param name="BaseModel">The base model it belongs to.</param>
/// <param name="ActiveVersion">The version new requests get, or null.</param>
/// <param name="DesiredVersion">The version the store's active pointer names (in a cluster, the database's desired version), or null.</param>
/// <param name="ServedVersion">The version this process serves to new requests, or null.</param>
/// <param name="Versions">Stored versions, ascending.</param>
/// <param name="Bytes">Size of the stored versions on disk.</param>
/// <param name="ResidentBytes">Bytes of weights held in memory for it.</param>
/// <param name="InFlight">Requests running on it now (any version).</param>
/// <param name="State"><c>active</c>, <c>inactive</c> (no active version) or <c>failed</c> (the active version could not be loaded).</param>
/// <param name="Detail">Why it failed, when it did.</param>
public sealed record AdapterStatus(
    string Name,
    string BaseModel,
    int? ActiveVersion,
    int? DesiredVersion,
    int? ServedVersion,
    IReadOnlyList<int> Versions,
    long Bytes,
    long ResidentBytes,
    int InFlight,
    string State,
    string? Detail);
