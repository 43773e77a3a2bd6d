using System.Text;

namespace SpeechServe.Export.Repository;

/// <summary>The CTC vocabulary written as <c>tokens.txt</c>: one token per line, id = line number.</summary>
public static class Vocabulary
{
    /// <summary>
    /// The reference vocabulary of docs/model.md: <c>&lt;blank&gt;</c>, <c>▁</c> (word boundary),
    /// <c>a</c> ... <c>z</c>, <c>'</c>.
    /// </summary>
    public static IReadOnlyList<string> Reference { get; } =
        ["<blank>", "\u2581", .. Enumerable.Range('a', 26).Select(c => ((char)c).ToString()), "'"];

    /// <summary>Reads a tokens file and checks it against the vocabulary size of the architecture.</summary>
    /// <param name="path">UTF-8 text, one token per line; a final newline is optional, CR LF is accepted.</param>
    /// <param name="vocabSize">The architecture's <c>vocab_size</c>.</param>
    /// <exception cref="ExportException">The file has the wrong number of tokens, an empty line or a duplicate.</exception>
    public static IReadOnlyList<string> Load(string path, int vocabSize)
    {
        var text = File.ReadAllText(path, Encoding.UTF8);
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var tokens = text.EndsWith('\n') ? lines[..^1] : lines;
        var name = Path.GetFileName(path);
        for (var i = 0; i < tokens.Length; i++)
        {
            if (tokens[i].Length == 0)
            {
                throw new ExportException($"{name}: line {i + 1} is empty; every line must hold one token.");
            }

            var first = Array.IndexOf(tokens, tokens[i]);
            if (first != i)
            {
                throw new ExportException($"{name}: token '{tokens[i]}' appears on lines {first + 1} and {i + 1}.");
            }
        }

        if (tokens.Length != vocabSize)
        {
            throw new ExportException($"{name}: {tokens.Length} tokens, but the architecture's vocab_size is {vocabSize}.");
        }

        return tokens;
    }

    /// <summary>The vocabulary for an export: the file given, or the reference vocabulary when it fits.</summary>
    /// <exception cref="ExportException">No file was given and <paramref name="vocabSize"/> is not the reference size.</exception>
    public static IReadOnlyList<string> Resolve(string? path, int vocabSize)
    {
        if (path is not null)
        {
            return Load(path, vocabSize);
        }

        if (vocabSize != Reference.Count)
        {
            throw new ExportException(
                $"vocab_size is {vocabSize}, not the reference vocabulary's {Reference.Count} tokens; pass --tokens FILE.");
        }

        return Reference;
    }

    /// <summary>The tokens as <c>tokens.txt</c> bytes: UTF-8 without a byte-order mark, one per line, LF endings.</summary>
    public static byte[] ToFileBytes(IEnumerable<string> tokens) =>
        new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(string.Concat(tokens.Select(t => t + "\n")));
}
