using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace SpeechServe.Runtime.Decoding;

/// <summary>
/// Reads a word n-gram model in ARPA text format (KenLM, SRILM): lines before <c>\data\</c> are ignored, then
/// the counts <c>ngram n=count</c> for n = 1..N, the sections <c>\1-grams:</c> .. <c>\N-grams:</c> in order,
/// each holding exactly its declared count of <c>log10prob w1 .. wn [log10backoff]</c> lines (fields separated
/// by spaces or tabs, blank lines ignored), and <c>\end\</c>. Scores become natural logarithms; <c>-inf</c> is
/// accepted. Every word of a longer n-gram must have a 1-gram, no n-gram may appear twice, and the 1-grams must
/// hold <c>&lt;s&gt;</c> and <c>&lt;/s&gt;</c>. Errors are <see cref="InvalidDataException"/>s naming the line.
/// A file whose name ends in <c>.gz</c> is read through gzip decompression.
/// </summary>
public static class ArpaReader
{
    private static readonly double Ln10 = Math.Log(10);

    /// <summary>Reads the ARPA file at <paramref name="path"/>, gzip-compressed when its name ends in <c>.gz</c>.</summary>
    /// <exception cref="InvalidDataException">The file is malformed or over <paramref name="limits"/>; the message names the line.</exception>
    public static NgramLanguageModel Load(string path, ArpaReadLimits? limits = null)
    {
        limits ??= new ArpaReadLimits();
        var length = new FileInfo(path).Length;
        if (length > limits.MaxBytes)
        {
            throw new InvalidDataException($"{Path.GetFileName(path)} is {length} bytes; an ARPA language model may have at most {limits.MaxBytes}.");
        }

        using var file = File.OpenRead(path);
        using var text = IsCompressed(path) ? new GZipStream(file, CompressionMode.Decompress) : (Stream)file;
        using var reader = new StreamReader(text, Encoding.UTF8);
        try
        {
            return Read(reader, limits, Path.GetFileName(path));
        }
        catch (InvalidDataException ex) when (ex.Source == typeof(GZipStream).Assembly.GetName().Name)
        {
            throw new InvalidDataException($"{Path.GetFileName(path)} is not valid gzip data ({ex.Message}); re-compress the ARPA file with gzip.", ex);
        }
    }

    /// <summary>Whether <paramref name="path"/> names a gzip-compressed ARPA file (<c>.gz</c>).</summary>
    public static bool IsCompressed(string path) => path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase);

    /// <summary>Reads ARPA text.</summary>
    /// <param name="reader">The text.</param>
    /// <param name="limits">Bounds on the text; null for the defaults.</param>
    /// <param name="name">What to call the text in error messages.</param>
    /// <exception cref="InvalidDataException">The text is malformed or over <paramref name="limits"/>; the message names the line.</exception>
    public static NgramLanguageModel Read(TextReader reader, ArpaReadLimits? limits = null, string name = "ARPA file")
    {
        ArgumentNullException.ThrowIfNull(reader);
        var lines = new LineSource(reader, limits ?? new ArpaReadLimits(), name);
        while (lines.Next() is { } line && line.Trim() != "\\data\\")
        {
        }

        if (lines.Current is null)
        {
            throw new InvalidDataException($"{name} has no \\data\\ header: it is not an ARPA language model.");
        }

        var counts = ReadCounts(lines);
        var builder = new NgramTrieBuilder();
        for (var order = 1; order <= counts.Count; order++)
        {
            var header = lines.NextNonBlank();
            var expected = $"\\{order}-grams:";
            if (header?.Trim() != expected)
            {
                throw lines.Error($"expected '{expected}' but found {Describe(header)}.");
            }

            for (var i = 0; i < counts[order - 1]; i++)
            {
                var entry = lines.NextNonBlank();
                if (entry is null || entry.TrimStart().StartsWith('\\'))
                {
                    throw lines.Error($"the {order}-grams section has {i} entries but \\data\\ declares {counts[order - 1]} (found {Describe(entry)}).");
                }

                AddEntry(builder, entry, order, lines);
            }
        }

        var end = lines.NextNonBlank();
        if (end?.Trim() != "\\end\\")
        {
            throw lines.Error($"expected '\\end\\' after the {counts.Count}-grams but found {Describe(end)} (more entries than \\data\\ declares?).");
        }

        return builder.Build(counts.Count, name);
    }

    private static List<long> ReadCounts(LineSource lines)
    {
        var counts = new List<long>();
        long total = 0;
        while (lines.NextNonBlank() is { } line && line.StartsWith("ngram ", StringComparison.Ordinal))
        {
            var parts = line["ngram ".Length..].Split('=');
            if (parts.Length != 2
                || !int.TryParse(parts[0].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var order)
                || !long.TryParse(parts[1].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var count))
            {
                throw lines.Error($"'{line}' is not of the form 'ngram <order>=<count>'.");
            }

            if (order != counts.Count + 1)
            {
                throw lines.Error($"expected the count of {counts.Count + 1}-grams but found {order}-grams.");
            }

            if (order > lines.Limits.MaxOrder)
            {
                throw lines.Error($"order {order} is over the limit of {lines.Limits.MaxOrder}.");
            }

            total += count;
            if (total > lines.Limits.MaxNgrams)
            {
                throw lines.Error($"the model declares {total} n-grams or more; the limit is {lines.Limits.MaxNgrams}.");
            }

            counts.Add(count);
        }

        if (counts.Count == 0 || counts[0] == 0)
        {
            throw lines.Error("\\data\\ declares no 1-grams ('ngram 1=<count>').");
        }

        lines.PushBack();
        return counts;
    }

    private static void AddEntry(NgramTrieBuilder builder, string line, int order, LineSource lines)
    {
        var fields = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length != order + 1 && fields.Length != order + 2)
        {
            throw lines.Error($"a {order}-gram line needs a log10 probability, {order} word(s) and an optional back-off weight, but has {fields.Length} field(s).");
        }

        var logProb = Number(fields[0], "probability", lines);
        var backOff = fields.Length == order + 2 ? Number(fields[^1], "back-off weight", lines) : 0;
        var error = builder.Add(fields.AsSpan(1, order), logProb * Ln10, backOff * Ln10);
        if (error is not null)
        {
            throw lines.Error(error);
        }
    }

    private static double Number(string field, string what, LineSource lines)
    {
        var value = field.ToLowerInvariant() switch
        {
            "-inf" or "-infinity" => double.NegativeInfinity,
            _ when double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
            _ => double.NaN,
        };
        if (double.IsNaN(value) || double.IsPositiveInfinity(value))
        {
            throw lines.Error($"the {what} '{field}' is not a number (log10, at most +inf excluded).");
        }

        return value;
    }

    private static string Describe(string? line) => line is null ? "the end of the file" : $"'{(line.Length > 60 ? line[..60] + "…" : line)}'";

    /// <summary>Lines with their numbers, a one-line push-back and the size limit.</summary>
    private sealed class LineSource(TextReader reader, ArpaReadLimits limits, string name)
    {
        private long _characters;
        private bool _pushedBack;

        public ArpaReadLimits Limits => limits;

        public string? Current { get; private set; }

        public int Number { get; private set; }

        public string? Next()
        {
            if (_pushedBack)
            {
                _pushedBack = false;
                return Current;
            }

            Current = reader.ReadLine();
            if (Current is not null)
            {
                Number++;
                _characters += Current.Length + 1;
                if (_characters > limits.MaxBytes)
                {
                    throw Error($"the text is longer than the limit of {limits.MaxBytes} bytes.");
                }
            }

            return Current;
        }

        public string? NextNonBlank()
        {
            while (Next() is { } line)
            {
                if (!string.IsNullOrWhiteSpace(line))
                {
                    return line;
                }
            }

            return null;
        }

        public void PushBack() => _pushedBack = true;

        public InvalidDataException Error(string message) =>
            new(Current is null ? $"{name}, at the end (line {Number + 1}): {message}" : $"{name} line {Number}: {message}");
    }
}
