using System.Globalization;
using System.Text.Json;
using CsvHelper;
using CsvHelper.Configuration;

namespace SpeechServe.Export.Adaptation;

/// <summary>
/// Reads a dataset's rows from <c>metadata.csv</c> (header <c>file_name,transcription</c>, RFC 4180 quoting: the
/// Hugging Face audiofolder convention) or <c>metadata.jsonl</c> (one <c>{"file_name","transcription"}</c>
/// object per line). Rows that cannot be read are reported with their line numbers, not thrown.
/// </summary>
public static class DatasetMetadata
{
    /// <summary>The CSV metadata file name.</summary>
    public const string CsvFileName = "metadata.csv";

    /// <summary>The JSON Lines metadata file name.</summary>
    public const string JsonLinesFileName = "metadata.jsonl";

    private const string FileNameColumn = "file_name";
    private const string TranscriptionColumn = "transcription";

    /// <summary>Reads the rows of the metadata file in <paramref name="directory"/>.</summary>
    /// <exception cref="DatasetException">There is no metadata file, or its header is wrong.</exception>
    public static (IReadOnlyList<DatasetRow> Rows, IReadOnlyList<RowProblem> Problems) Read(string directory)
    {
        var csv = Path.Combine(directory, CsvFileName);
        var jsonl = Path.Combine(directory, JsonLinesFileName);
        if (File.Exists(csv))
        {
            try
            {
                return ReadCsv(csv);
            }
            catch (CsvHelperException ex)
            {
                throw new DatasetException($"{CsvFileName} cannot be read as CSV: {ex.Message.Split('\n')[0]}");
            }
        }

        if (File.Exists(jsonl))
        {
            return ReadJsonLines(jsonl);
        }

        throw new DatasetException(
            $"the dataset has neither {CsvFileName} nor {JsonLinesFileName} at its top level; add {CsvFileName} with the header '{FileNameColumn},{TranscriptionColumn}' and one row per audio file.");
    }

    private static (IReadOnlyList<DatasetRow>, IReadOnlyList<RowProblem>) ReadCsv(string path)
    {
        var rows = new List<DatasetRow>();
        var problems = new List<RowProblem>();
        var configuration = new CsvConfiguration(CultureInfo.InvariantCulture) { BadDataFound = null, MissingFieldFound = null };
        using var reader = new StreamReader(path);
        using var csv = new CsvReader(reader, configuration);
        if (!csv.Read() || !csv.ReadHeader() || csv.HeaderRecord is null
            || !csv.HeaderRecord.Contains(FileNameColumn) || !csv.HeaderRecord.Contains(TranscriptionColumn))
        {
            throw new DatasetException($"{CsvFileName} must start with the header '{FileNameColumn},{TranscriptionColumn}'.");
        }

        while (csv.Read())
        {
            var line = csv.Parser.RawRow;
            var fileName = csv.GetField(FileNameColumn);
            var transcription = csv.GetField(TranscriptionColumn);
            if (fileName is null || transcription is null)
            {
                problems.Add(new RowProblem(line, fileName ?? string.Empty, $"the row has {csv.Parser.Count} fields; it needs {FileNameColumn} and {TranscriptionColumn}."));
                continue;
            }

            rows.Add(new DatasetRow(line, fileName.Trim(), transcription));
        }

        return (rows, problems);
    }

    private static (IReadOnlyList<DatasetRow>, IReadOnlyList<RowProblem>) ReadJsonLines(string path)
    {
        var rows = new List<DatasetRow>();
        var problems = new List<RowProblem>();
        var line = 0;
        foreach (var text in File.ReadLines(path))
        {
            line++;
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }

            try
            {
                using var document = JsonDocument.Parse(text);
                var root = document.RootElement;
                if (root.ValueKind == JsonValueKind.Object
                    && root.TryGetProperty(FileNameColumn, out var fileName) && fileName.ValueKind == JsonValueKind.String
                    && root.TryGetProperty(TranscriptionColumn, out var transcription) && transcription.ValueKind == JsonValueKind.String)
                {
                    rows.Add(new DatasetRow(line, fileName.GetString()!.Trim(), transcription.GetString()!));
                }
                else
                {
                    problems.Add(new RowProblem(line, string.Empty, $"the line needs string fields \"{FileNameColumn}\" and \"{TranscriptionColumn}\"."));
                }
            }
            catch (JsonException ex)
            {
                problems.Add(new RowProblem(line, string.Empty, $"the line is not a JSON object: {ex.Message}"));
            }
        }

        return (rows, problems);
    }
}
