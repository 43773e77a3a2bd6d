namespace SpeechServe.Export.Repository;

/// <summary>
/// A hidden directory beside the final output where an export is assembled. <see cref="Commit"/> renames
/// it into place (one rename on the same file system); disposing without committing deletes it, so a
/// failed export leaves nothing behind.
/// </summary>
public sealed class StagingDirectory : IDisposable
{
    private readonly string _target;
    private bool _committed;

    /// <summary>Creates the staging directory for <paramref name="target"/>.</summary>
    /// <param name="target">The directory the export will become.</param>
    /// <param name="replace">Whether an existing <paramref name="target"/> may be replaced.</param>
    /// <exception cref="ExportException"><paramref name="target"/> exists and <paramref name="replace"/> is false.</exception>
    public StagingDirectory(string target, bool replace)
    {
        _target = System.IO.Path.GetFullPath(target);
        if (!replace && (Directory.Exists(_target) || System.IO.File.Exists(_target)))
        {
            throw new ExportException($"{target} already exists; choose another --output or pass --force to replace it.");
        }

        var parent = System.IO.Path.GetDirectoryName(_target)!;
        Directory.CreateDirectory(parent);
        Path = System.IO.Path.Combine(parent, $".{System.IO.Path.GetFileName(_target)}.staging-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path);
    }

    /// <summary>The staging directory's full path.</summary>
    public string Path { get; }

    /// <summary>A path inside the staging directory, creating its parent directories.</summary>
    /// <param name="relativePath">Relative path with <c>/</c> separators.</param>
    public string File(string relativePath)
    {
        var path = System.IO.Path.Combine(Path, relativePath.Replace('/', System.IO.Path.DirectorySeparatorChar));
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        return path;
    }

    /// <summary>Moves the staged files into place, replacing an earlier output if allowed.</summary>
    public void Commit()
    {
        ObjectDisposedException.ThrowIf(_committed, this);
        string? old = null;
        if (Directory.Exists(_target))
        {
            old = Path + ".old";
            Directory.Move(_target, old);
        }

        Directory.Move(Path, _target);
        _committed = true;
        if (old is not null)
        {
            Directory.Delete(old, recursive: true);
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (!_committed && Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}
