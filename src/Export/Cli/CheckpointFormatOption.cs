using System.CommandLine;
using SpeechServe.Export.Checkpoints;

namespace SpeechServe.Export.Cli;

/// <summary>The shared <c>--format torchsharp|safetensors|auto</c> option.</summary>
internal static class CheckpointFormatOption
{
    public static Option<string> Create()
    {
        var option = new Option<string>("--format")
        {
            Description = "Checkpoint format; auto detects it from the file's first bytes.",
            DefaultValueFactory = _ => "auto",
        };
        option.AcceptOnlyFromAmong("auto", "torchsharp", "safetensors");
        return option;
    }

    public static CheckpointFormat? Parse(string value) => value switch
    {
        "torchsharp" => CheckpointFormat.TorchSharp,
        "safetensors" => CheckpointFormat.Safetensors,
        _ => null,
    };
}
