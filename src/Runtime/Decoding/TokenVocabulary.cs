using System.Globalization;
using System.Text;

namespace SpeechServe.Runtime.Decoding;

/// <summary>
/// The CTC output vocabulary of a model (<c>tokens.txt</c>): one token per line, id = 0-based line number,
/// <c>&lt;blank&gt;</c> at id 0, <c>▁</c> (U+2581) marks a word boundary. Lines of the form <c>token id</c>
/// (the sherpa-onnx layout) are accepted when the id equals the line number.
/// </summary>
public sealed class TokenVocabulary
{
    /// <summary>The CTC blank token, always id 0.</summary>
    public const string BlankToken = "<blank>";

    /// <summary>The word-boundary marker (U+2581 LOWER ONE EIGHTH BLOCK).</summary>
    public const string WordBoundary = "\u2581";

    private readonly string[] _tokens;
    private readonly Dictionary<string, int> _ids;

    private TokenVocabulary(string[] tokens, Dictionary<string, int> ids)
    {
        _tokens = tokens;
        _ids = ids;
        WordBoundaryId = ids.TryGetValue(WordBoundary, out var boundary) ? boundary : null;
    }

    /// <summary>Number of tokens, the CTC output width V.</summary>
    public int Count => _tokens.Length;

    /// <summary>The blank id (0).</summary>
    public int BlankId { get; }

    /// <summary>The id of <see cref="WordBoundary"/>, or null when the vocabulary has none.</summary>
    public int? WordBoundaryId { get; }

    /// <summary>The token with id <paramref name="id"/>.</summary>
    public string this[int id] => _tokens[id];

    /// <summary>Loads <c>tokens.txt</c>.</summary>
    /// <exception cref="InvalidDataException">The file is empty, has an empty or duplicate token, or id 0 is not <c>&lt;blank&gt;</c>.</exception>
    public static TokenVocabulary Load(string path)
    {
        using var reader = new StreamReader(path, Encoding.UTF8);
        return Parse(reader);
    }

    /// <summary>Reads a vocabulary, one token per line.</summary>
    /// <exception cref="InvalidDataException">The text is empty, has an empty or duplicate token, or id 0 is not <c>&lt;blank&gt;</c>.</exception>
    public static TokenVocabulary Parse(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var tokens = new List<string>();
        while (reader.ReadLine() is { } line)
        {
            tokens.Add(TokenOf(line, tokens.Count));
        }

        return FromTokens(tokens);
    }

    /// <summary>Builds a vocabulary from tokens in id order.</summary>
    /// <exception cref="InvalidDataException">The list is empty, has an empty or duplicate token, or id 0 is not <c>&lt;blank&gt;</c>.</exception>
    public static TokenVocabulary FromTokens(IEnumerable<string> tokens)
    {
        var list = tokens.ToArray();
        if (list.Length == 0 || list[0] != BlankToken)
        {
            throw new InvalidDataException($"The vocabulary must start with '{BlankToken}' at id 0 (line 1).");
        }

        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var id = 0; id < list.Length; id++)
        {
            if (string.IsNullOrEmpty(list[id]))
            {
                throw new InvalidDataException($"Token {id} (line {id + 1}) is empty.");
            }

            if (!ids.TryAdd(list[id], id))
            {
                throw new InvalidDataException($"Token '{list[id]}' appears twice (ids {ids[list[id]]} and {id}).");
            }
        }

        return new TokenVocabulary(list, ids);
    }

    /// <summary>The id of <paramref name="token"/>, if it is in the vocabulary.</summary>
    public bool TryGetId(string token, out int id) => _ids.TryGetValue(token, out id);

    /// <summary>Text of a token sequence: tokens joined, <c>▁</c> as a space, trimmed, runs of spaces collapsed.</summary>
    public string Detokenize(IEnumerable<int> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var builder = new StringBuilder();
        foreach (var id in ids)
        {
            if (id != BlankId)
            {
                builder.Append(_tokens[id]);
            }
        }

        builder.Replace(WordBoundary, " ");
        return string.Join(' ', builder.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    private static string TokenOf(string line, int lineIndex)
    {
        var space = line.LastIndexOf(' ');
        if (space > 0
            && int.TryParse(line.AsSpan(space + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            && id == lineIndex)
        {
            return line[..space];
        }

        return line;
    }
}
