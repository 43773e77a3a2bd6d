namespace SpeechServe.Adapters.Store;

/// <summary>An adapter as the store holds it.</summary>
/// <param name="Name">The adapter's name.</param>
/// <param name="Versions">Its versions, ascending, with their size on disk.</param>
/// <param name="ActiveVersion">The version the active pointer names, or null when none is active.</param>
public sealed record StoredAdapter(string Name, IReadOnlyList<StoredVersion> Versions, int? ActiveVersion)
{
    /// <summary>Whether <paramref name="version"/> is stored.</summary>
    public bool HasVersion(int version) => Versions.Any(v => v.Version == version);
}

/// <summary>One immutable version of an adapter in the store.</summary>
/// <param name="Version">Its number, from 1.</param>
/// <param name="Bytes">Its files' total size.</param>
public sealed record StoredVersion(int Version, long Bytes);
