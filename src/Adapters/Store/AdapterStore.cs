using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using SpeechServe.Adapters.Packages;
using SpeechServe.Runtime.Models;

namespace SpeechServe.Adapters.Store;

/// <summary>
/// The on-disk adapter store of one base model (docs/adapters.md, "Store layout"):
/// <c>&lt;root&gt;/&lt;name&gt;/&lt;version&gt;/</c> holds an immutable version (its package files and
/// <c>SHA256SUMS</c>), <c>&lt;root&gt;/&lt;name&gt;/active</c> names the active version. Every change is
/// written to a temporary name, flushed to the disk and renamed into place, so a crash at any point leaves
/// either the previous state or the new one; <see cref="Recover"/> removes the leftovers. Not thread-safe
/// for writers: callers serialise changes.
/// </summary>
public sealed class AdapterStore
{
    /// <summary>The file naming the active version.</summary>
    public const string ActiveFileName = "active";

    /// <summary>The checksum file of a version, in <c>sha256sum</c>'s format.</summary>
    public const string ChecksumFileName = "SHA256SUMS";

    /// <summary>Marks a name as not yet renamed into place; never part of an adapter or version name.</summary>
    internal const string TemporaryMarker = ".tmp-";

    private const string DeletedPrefix = ".deleted-";

    /// <summary>Opens (without creating) the store in <paramref name="root"/>.</summary>
    public AdapterStore(string root)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        Root = Path.GetFullPath(root);
    }

    /// <summary>The store's directory.</summary>
    public string Root { get; }

    /// <summary>The directory of one version.</summary>
    public string VersionDirectory(string name, int version) =>
        Path.Combine(Root, name, version.ToString(CultureInfo.InvariantCulture));

    /// <summary>Removes what an interrupted change left behind: temporary directories and files, half-deleted adapters, adapters without a version.</summary>
    /// <returns>The paths removed.</returns>
    public IReadOnlyList<string> Recover()
    {
        var removed = new List<string>();
        if (!Directory.Exists(Root))
        {
            return removed;
        }

        foreach (var directory in Directory.GetDirectories(Root))
        {
            var name = Path.GetFileName(directory);
            if (name.StartsWith(DeletedPrefix, StringComparison.Ordinal) || name.Contains(TemporaryMarker, StringComparison.Ordinal))
            {
                Directory.Delete(directory, recursive: true);
                removed.Add(directory);
                continue;
            }

            foreach (var entry in Directory.EnumerateFileSystemEntries(directory).Where(e => Path.GetFileName(e).Contains(TemporaryMarker, StringComparison.Ordinal)).ToList())
            {
                if (Directory.Exists(entry))
                {
                    Directory.Delete(entry, recursive: true);
                }
                else
                {
                    File.Delete(entry);
                }

                removed.Add(entry);
            }

            // The first upload of an adapter writes its inactive pointer before the version: a crash between leaves no version.
            if (AdapterPackageReader.IsValidName(name) && Find(name) is null)
            {
                Directory.Delete(directory, recursive: true);
                removed.Add(directory);
            }
        }

        return removed;
    }

    /// <summary>Every adapter with at least one version, by name.</summary>
    public IReadOnlyList<StoredAdapter> List() => Directory.Exists(Root)
        ? Directory.GetDirectories(Root)
            .Select(Path.GetFileName)
            .Where(n => n is not null && AdapterPackageReader.IsValidName(n))
            .Order(StringComparer.Ordinal)
            .Select(n => Find(n!))
            .OfType<StoredAdapter>()
            .ToList()
        : [];

    /// <summary>The adapter called <paramref name="name"/>, or null when the store has no version of it.</summary>
    public StoredAdapter? Find(string name)
    {
        var directory = Path.Combine(Root, name);
        if (!AdapterPackageReader.IsValidName(name) || !Directory.Exists(directory))
        {
            return null;
        }

        var versions = Directory.GetDirectories(directory)
            .Select(d => (Path: d, Number: ParseVersion(Path.GetFileName(d))))
            .Where(v => v.Number > 0)
            .OrderBy(v => v.Number)
            .Select(v => new StoredVersion(v.Number, Directory.EnumerateFiles(v.Path).Sum(f => new FileInfo(f).Length)))
            .ToList();
        if (versions.Count == 0)
        {
            return null;
        }

        return new StoredAdapter(name, versions, ReadActive(directory, versions));
    }

    /// <summary>Stores <paramref name="files"/> as the next version of <paramref name="name"/>, not yet active.</summary>
    /// <returns>The new version's number.</returns>
    public int AddVersion(string name, IReadOnlyDictionary<string, byte[]> files)
    {
        var version = (Find(name)?.Versions[^1].Version ?? 0) + 1;
        StoreVersion(name, version, files);
        return version;
    }

    /// <summary>
    /// Stores <paramref name="files"/> as version <paramref name="version"/> of <paramref name="name"/>, not yet
    /// active: a cache of a shared store keeps the shared store's numbers.
    /// </summary>
    /// <exception cref="IOException">The version exists already, or the files cannot be written.</exception>
    public void StoreVersion(string name, int version, IReadOnlyDictionary<string, byte[]> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentOutOfRangeException.ThrowIfLessThan(version, 1);
        RequireName(name);
        var adapterDirectory = Path.Combine(Root, name);
        var existing = Find(name);
        var staging = Path.Combine(adapterDirectory, $"{TemporaryMarker}{Guid.NewGuid():N}");
        try
        {
            if (!Directory.Exists(adapterDirectory))
            {
                Directory.CreateDirectory(adapterDirectory);
                DurableFiles.SyncDirectory(Root);
            }

            if (existing is null)
            {
                // A new adapter starts inactive, so a crash before activation cannot make the upload serve.
                DurableFiles.ReplaceAtomically(Path.Combine(adapterDirectory, ActiveFileName), "0\n"u8);
            }

            Directory.CreateDirectory(staging);
            foreach (var (file, content) in files)
            {
                DurableFiles.WriteNew(Path.Combine(staging, file), content);
            }

            DurableFiles.WriteNew(Path.Combine(staging, ChecksumFileName), Encoding.UTF8.GetBytes(AdapterChecksums.Manifest(files)));
            DurableFiles.SyncDirectory(staging);
            Directory.Move(staging, VersionDirectory(name, version));
        }
        catch
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }

            // A first version that could not be written (a full disk, say) leaves no empty adapter behind.
            if (existing is null && Directory.Exists(adapterDirectory) && Find(name) is null)
            {
                Directory.Delete(adapterDirectory, recursive: true);
            }

            throw;
        }

        DurableFiles.SyncDirectory(adapterDirectory);
    }

    /// <summary>The package files of a stored version (its checksum file left out).</summary>
    public IReadOnlyDictionary<string, byte[]> ReadFiles(string name, int version) =>
        AdapterPackageFiles.All
            .Select(file => Path.Combine(VersionDirectory(name, version), file))
            .Where(File.Exists)
            .ToDictionary(path => Path.GetFileName(path), File.ReadAllBytes, StringComparer.Ordinal);

    /// <summary>The content address of a stored version: the digest of its checksum file, or of its files where the exporter wrote none.</summary>
    public string Digest(string name, int version)
    {
        var sums = Path.Combine(VersionDirectory(name, version), ChecksumFileName);
        return File.Exists(sums) ? AdapterChecksums.Digest(File.ReadAllText(sums)) : AdapterChecksums.Digest(ReadFiles(name, version));
    }

    /// <summary>Points <paramref name="name"/>'s active pointer at <paramref name="version"/> (0: none), atomically.</summary>
    public void SetActive(string name, int version)
    {
        RequireName(name);
        DurableFiles.ReplaceAtomically(Path.Combine(Root, name, ActiveFileName), Encoding.ASCII.GetBytes($"{version.ToString(CultureInfo.InvariantCulture)}\n"));
    }

    /// <summary>
    /// Removes version <paramref name="version"/> of <paramref name="name"/> (an upload that could not be
    /// completed), and the adapter when it was its only version: a rename out of sight, then the deletion.
    /// </summary>
    public void RemoveVersion(string name, int version)
    {
        RequireName(name);
        var adapterDirectory = Path.Combine(Root, name);
        var removed = Path.Combine(adapterDirectory, $"{TemporaryMarker}{Guid.NewGuid():N}");
        Directory.Move(VersionDirectory(name, version), removed);
        DurableFiles.SyncDirectory(adapterDirectory);
        Directory.Delete(removed, recursive: true);
        if (Find(name) is null)
        {
            Delete(name);
        }
    }

    /// <summary>Removes <paramref name="name"/> and all its versions: one atomic rename out of sight, then the deletion.</summary>
    /// <returns>False when the store has no such adapter.</returns>
    public bool Delete(string name)
    {
        var directory = Path.Combine(Root, name);
        if (!AdapterPackageReader.IsValidName(name) || !Directory.Exists(directory))
        {
            return false;
        }

        var graveyard = Path.Combine(Root, $"{DeletedPrefix}{name}-{Guid.NewGuid():N}");
        Directory.Move(directory, graveyard);
        DurableFiles.SyncDirectory(Root);
        Directory.Delete(graveyard, recursive: true);
        return true;
    }

    /// <summary>Reads and checks version <paramref name="version"/> of <paramref name="name"/> against its checksums and <paramref name="baseModel"/>.</summary>
    /// <exception cref="AdapterPackageException">The version is damaged or does not fit the base model.</exception>
    /// <exception cref="IOException">The files cannot be read.</exception>
    public LoadedAdapterPackage Read(string name, int version, ModelManifest baseModel, CancellationToken cancellationToken = default)
    {
        var directory = VersionDirectory(name, version);
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"adapter '{name}' has no version {version} in {Root}.");
        }

        VerifyChecksums(directory, cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();
        var package = AdapterPackageReader.ReadDirectory(directory, baseModel);
        if (package.Config.Name != name)
        {
            throw new AdapterPackageException(AdapterPackageRules.NameMismatch, $"{directory} holds adapter '{package.Config.Name}', not '{name}'.");
        }

        return package;
    }

    private static void VerifyChecksums(string directory, CancellationToken cancellationToken)
    {
        var sums = Path.Combine(directory, ChecksumFileName);
        if (!File.Exists(sums))
        {
            return; // Versions written by the exporter carry no checksums; the strict reader still checks them.
        }

        foreach (var line in File.ReadAllLines(sums).Where(l => l.Length > 0))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var parts = line.Split("  ", 2);
            var file = parts.Length == 2 ? parts[1] : string.Empty;
            if (!AdapterPackageFiles.All.Contains(file, StringComparer.Ordinal))
            {
                throw new AdapterPackageException(AdapterPackageRules.Checksum, $"{sums} names '{file}', which is not a package file.");
            }

            var path = Path.Combine(directory, file);
            if (!File.Exists(path) || !string.Equals(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path))), parts[0], StringComparison.Ordinal))
            {
                throw new AdapterPackageException(AdapterPackageRules.Checksum, $"{path} is missing or does not match its SHA-256 in {ChecksumFileName}.");
            }
        }
    }

    private static int? ReadActive(string adapterDirectory, List<StoredVersion> versions)
    {
        var pointer = Path.Combine(adapterDirectory, ActiveFileName);
        if (!File.Exists(pointer))
        {
            return versions[^1].Version; // The exporter's layout: the highest version serves.
        }

        var version = ParseVersion(File.ReadAllText(pointer).Trim());
        return version > 0 && versions.Any(v => v.Version == version) ? version : null;
    }

    private static int ParseVersion(string? text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var version) && version.ToString(CultureInfo.InvariantCulture) == text ? version : -1;

    private static void RequireName(string name)
    {
        if (!AdapterPackageReader.IsValidName(name))
        {
            throw new ArgumentException($"adapter name '{name}' must match [a-z0-9][a-z0-9_-]{{0,63}}.", nameof(name));
        }
    }
}
