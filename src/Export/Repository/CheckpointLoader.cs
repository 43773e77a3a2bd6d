using System.Text.RegularExpressions;
using SpeechServe.Export.Checkpoints;
using SpeechServe.Runtime.Models;
using SpeechServe.Runtime.Tensors;

namespace SpeechServe.Export.Repository;

/// <summary>
/// Reads a checkpoint for export and refuses it, naming the tensor and the problem, unless it is
/// well-formed, matches the architecture's layout exactly (names, shapes, float32) and holds only
/// finite values.
/// </summary>
public static partial class CheckpointLoader
{
    /// <summary>Reads a checkpoint file; format errors become <see cref="ExportException"/>s.</summary>
    /// <param name="path">The checkpoint file.</param>
    /// <param name="format">The format, or null to detect it.</param>
    /// <exception cref="ExportException">The file is missing, truncated or malformed.</exception>
    public static Checkpoint Read(string path, CheckpointFormat? format)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new ExportException($"checkpoint {path} does not exist.");
        }

        try
        {
            return CheckpointReader.ReadFile(path, format);
        }
        catch (CheckpointFormatException ex)
        {
            // Detection reads a truncated safetensors file (header longer than the file) as TorchSharp;
            // the safetensors reader then says what is really wrong.
            var resolved = format ?? (LooksLikeSafetensors(path) ? CheckpointFormat.Safetensors : CheckpointFormat.TorchSharp);
            var message = ex.Message;
            if (format is null && resolved == CheckpointFormat.Safetensors)
            {
                message = SafetensorsError(path) ?? message;
            }

            throw new ExportException($"{resolved} checkpoint {Path.GetFileName(path)} is malformed: {message}", ex);
        }
    }

    /// <summary>The names of the domain adapters in a checkpoint, each checked to be usable as a directory and model name.</summary>
    /// <exception cref="ExportException">A domain name is not made of letters, digits, <c>_</c> and <c>-</c>.</exception>
    public static IReadOnlyList<string> Domains(TensorMap tensors)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        var domains = ReferenceCheckpointSchema.AdapterDomainsIn(tensors.Names);
        foreach (var domain in domains)
        {
            RequireAdapterName(domain);
        }

        return domains;
    }

    /// <summary>Checks that <paramref name="name"/> can name an adapter: 1 to 64 letters, digits, <c>_</c> or <c>-</c>.</summary>
    /// <exception cref="ExportException">It cannot.</exception>
    public static void RequireAdapterName(string name)
    {
        if (!AdapterName().IsMatch(name))
        {
            throw new ExportException($"adapter name '{name}' must be 1 to 64 letters, digits, '_' or '-'.");
        }
    }

    /// <summary>Checks the tensors against <paramref name="schema"/> and for non-finite values.</summary>
    /// <exception cref="ExportException">Lists every mismatch, or the first non-finite value.</exception>
    public static void Validate(TensorMap tensors, CheckpointSchema schema)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        ArgumentNullException.ThrowIfNull(schema);
        var problems = schema.Validate(tensors);
        if (problems.Count > 0)
        {
            var lines = string.Join(Environment.NewLine, problems.Select(p => "  " + p.Message));
            throw new ExportException($"the checkpoint does not match the architecture ({problems.Count} problem(s)):{Environment.NewLine}{lines}");
        }

        foreach (var tensor in tensors)
        {
            var index = tensor.IndexOfNonFinite();
            if (index >= 0)
            {
                throw new ExportException($"tensor '{tensor.Name}': element {index} is NaN or infinite.");
            }
        }
    }

    /// <summary>Checks a full checkpoint (base model plus any domain adapters) against <paramref name="architecture"/>.</summary>
    /// <exception cref="ExportException">As <see cref="Validate"/>.</exception>
    public static IReadOnlyList<string> ValidateFull(TensorMap tensors, EncoderArchitecture architecture)
    {
        var domains = Domains(tensors);
        Validate(tensors, ReferenceCheckpointSchema.For(architecture, domains));
        return domains;
    }

    private static bool LooksLikeSafetensors(string path)
    {
        Span<byte> head = stackalloc byte[9];
        using var stream = File.OpenRead(path);
        return stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false) == head.Length && head[8] == (byte)'{';
    }

    private static string? SafetensorsError(string path)
    {
        try
        {
            CheckpointReader.ReadFile(path, CheckpointFormat.Safetensors);
            return null;
        }
        catch (CheckpointFormatException ex)
        {
            return ex.Message;
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex AdapterName();
}
