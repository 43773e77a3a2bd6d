using SpeechServe.Export.Repository;
using Spectre.Console;

namespace SpeechServe.Export.Cli;

/// <summary>
/// Runs a command's work with a Spectre.Console status line on standard output, and turns a refused
/// export into a red message on standard error and exit code 1.
/// </summary>
internal static class ConsoleReporter
{
    private static readonly IAnsiConsole Error = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });

    /// <summary>Runs <paramref name="work"/>, which reports each step it starts; returns the exit code.</summary>
    public static int Run(string title, Action<Action<string>> work)
    {
        if (Console.IsOutputRedirected)
        {
            // Logs and pipes get plain text: no escape codes, no spinner, no wrapping at 80 columns.
            AnsiConsole.Console = AnsiConsole.Create(new AnsiConsoleSettings
            {
                Ansi = AnsiSupport.No,
                ColorSystem = ColorSystemSupport.NoColors,
                Interactive = InteractionSupport.No,
            });
            AnsiConsole.Profile.Width = 200;
        }

        try
        {
            static void Print(string step) => AnsiConsole.MarkupLine($"[grey]-[/] {Markup.Escape(step)}");
            if (AnsiConsole.Profile.Capabilities.Interactive)
            {
                AnsiConsole.Status().Start(title, context => work(step =>
                {
                    context.Status(Markup.Escape(step));
                    Print(step);
                }));
            }
            else
            {
                // Redirected output (CI, logs): one plain line per step, no spinner.
                work(Print);
            }

            return 0;
        }
        catch (Exception ex) when (ex is ExportException or InvalidDataException or IOException or UnauthorizedAccessException)
        {
            if (Console.IsErrorRedirected)
            {
                // Unwrapped, uncoloured: logs and callers match on the text.
                Console.Error.WriteLine($"error: {ex.Message}");
            }
            else
            {
                Error.MarkupLine($"[red]error:[/] {Markup.Escape(ex.Message)}");
            }

            return 1;
        }
    }

    /// <summary>Prints the files written, with their sizes and SHA-256 digests.</summary>
    public static void PrintFiles(string root, IReadOnlyDictionary<string, string> files)
    {
        var table = new Table().AddColumns("file", "bytes", "sha256");
        foreach (var (path, sha256) in files)
        {
            var bytes = new FileInfo(Path.Combine(root, path)).Length;
            table.AddRow(Markup.Escape(path), bytes.ToString("N0", System.Globalization.CultureInfo.InvariantCulture), sha256[..16] + "…");
        }

        AnsiConsole.Write(table);
    }
}
