using System.CommandLine;
using SpeechServe.Export.Cli;

var root = new RootCommand("Converts SpeechServe checkpoints into ONNX model repositories and adapter packages.")
{
    ExportCommand.Create(),
    ExportAdapterCommand.Create(),
    AdaptCommand.Create(),
    ExportSherpaOnnxCommand.Create(),
    ExportGenAiCommand.Create(),
    MergeAttentionCommand.Create(),
};
return root.Parse(args).Invoke();
