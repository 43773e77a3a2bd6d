using System.Globalization;
using System.Text;

namespace SpeechServe.Bench.Load;

/// <summary>A markdown table written row by row; numbers are formatted with the invariant culture.</summary>
internal sealed class MarkdownTable
{
    private readonly StringBuilder _text = new();

    public MarkdownTable(params string[] headers)
    {
        _text.Append("| ").AppendJoin(" | ", headers).Append(" |\n|");
        foreach (var header in headers)
        {
            _text.Append(header == headers[0] ? " --- |" : " ---: |");
        }

        _text.Append('\n');
    }

    public void Row(params object[] cells) =>
        _text.Append("| ").AppendJoin(" | ", cells.Select(c => Convert.ToString(c, CultureInfo.InvariantCulture))).Append(" |\n");

    public override string ToString() => _text.ToString();

    /// <summary>A number with <paramref name="decimals"/> decimals, or "-" when there is none.</summary>
    public static string Format(double value, int decimals) =>
        double.IsNaN(value) || double.IsInfinity(value) ? "-" : value.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    /// <summary>A ratio such as <c>1.85x</c>.</summary>
    public static string Ratio(double value) => Format(value, 2) is "-" ? "-" : Format(value, 2) + "x";
}
