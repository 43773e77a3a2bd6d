using SpeechServe.Bench.Load;
using SpeechServe.Bench.Load.Accuracy;
using SpeechServe.Bench.Load.Adapters;
using SpeechServe.Bench.Load.Profile;
using SpeechServe.Bench.Load.Rest;
using SpeechServe.Bench.Load.Streaming;
using SpeechServe.Runtime.Onnx;

// End-to-end load harness against a running server; each subcommand prints a markdown table and notes
// for docs/benchmarks.md (bench/run.sh starts the servers and assembles the document).
//   rest       --target "label;model;url[;transcriptions|translations]" (repeatable; the first is the baseline) --wavs DIR
//              [--concurrency 1,2,4,8] [--requests 32] [--seconds 20]
//   streaming  --target "label;model;url" (repeatable; levels interleaved) --wav FILE [--clients 1,2,4,8,16,32,64] [--threshold-ms 500]
//   adapters   --url URL --pid PID --admin-key KEY --model-dir DIR --adapter NAME --wav FILE
//              [--counts 8,32,64] [--activations 40]
//   accuracy   --target "label;url" (repeatable; the first is the baseline) --set "name;model;SET.jsonl" (repeatable)
//              [--concurrency 4] [--limit N: the first N utterances of each set; 0, the default, all]
//   profile    --url URL --model ID --wavs DIR [--requests 40]: where one request's time goes, stage by stage (one at a time)
//   onnx-version   prints the ONNX Runtime version this build loads
if (args.Length == 0)
{
    Console.Error.WriteLine("usage: speechserve-bench-load rest|streaming|adapters|accuracy|profile|onnx-version [--option value ...]");
    return 2;
}

var options = new BenchArguments(args[1..]);
switch (args[0])
{
    case "rest":
        Console.Write(await RestSection.RunAsync(options));
        return 0;
    case "streaming":
        Console.Write(await StreamingSection.RunAsync(options));
        return 0;
    case "adapters":
        Console.Write(await AdapterSection.RunAsync(options));
        return 0;
    case "accuracy":
        Console.Write(await AccuracySection.RunAsync(options));
        return 0;
    case "profile":
        Console.Write(await ProfileSection.RunAsync(options));
        return 0;
    case "onnx-version":
        Console.WriteLine(OnnxRuntimeEnvironment.Version);
        return 0;
    default:
        Console.Error.WriteLine($"unknown subcommand '{args[0]}'");
        return 2;
}
