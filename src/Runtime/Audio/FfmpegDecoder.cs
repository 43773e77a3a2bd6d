using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace SpeechServe.Runtime.Audio;

/// <summary>
/// Decodes compressed audio (FLAC, MP3, Ogg, WebM, MP4 ...) by running ffmpeg, input on stdin, output on
/// stdout as f32le mono 16 kHz. stdin, stdout and stderr are served concurrently so that neither side can
/// block the other; the run is bounded by <see cref="AudioLimits.DecodeTimeout"/> (the whole process tree is
/// killed) and by <see cref="AudioLimits.EffectiveMaxDecodedBytes"/>.
/// </summary>
internal static class FfmpegDecoder
{
    private const int StderrLinesKept = 16;
    private const int SignalExitBase = 128;

    public static async Task<DecodedAudio> DecodeAsync(
        ReadOnlyMemory<byte> input,
        AudioContainer container,
        FfmpegOptions options,
        AudioLimits limits,
        CancellationToken cancellationToken)
    {
        // An MP4 whose index (moov) follows the media data cannot be demuxed from a pipe, so MP4 goes
        // through a temporary file; every other container streams through stdin.
        string? tempFile = null;
        try
        {
            if (container == AudioContainer.Mp4)
            {
                tempFile = Path.Combine(Path.GetTempPath(), $"speechserve-{Guid.NewGuid():N}.m4a");
                await File.WriteAllBytesAsync(tempFile, input, cancellationToken).ConfigureAwait(false);
            }

            return await RunAsync(input, tempFile, container, options, limits, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (tempFile is not null)
            {
                File.Delete(tempFile);
            }
        }
    }

    private static async Task<DecodedAudio> RunAsync(
        ReadOnlyMemory<byte> input,
        string? inputFile,
        AudioContainer container,
        FfmpegOptions options,
        AudioLimits limits,
        CancellationToken cancellationToken)
    {
        using var process = new Process { StartInfo = StartInfo(options.ExecutablePath, inputFile) };
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            throw new AudioFormatException(
                AudioErrorCode.UnsupportedMediaType,
                $"{container} audio needs ffmpeg, which is not installed on this server (could not start '{options.ExecutablePath}'). Send WAV audio (PCM, float, mu-law or A-law), or install ffmpeg.",
                ex);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(limits.DecodeTimeout);
        var output = new FfmpegOutputReader(process.StandardOutput.BaseStream, limits.EffectiveMaxDecodedBytes, () => Kill(process));
        var errors = new FfmpegErrorReader(process.StandardError, StderrLinesKept);
        var outputTask = output.ReadAsync();
        var errorTask = errors.ReadAsync();
        var inputTask = WriteInputAsync(process.StandardInput.BaseStream, inputFile is null ? input : ReadOnlyMemory<byte>.Empty, timeout.Token);

        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Kill(process);
            await Task.WhenAll(outputTask, errorTask, inputTask).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            throw new AudioFormatException(
                AudioErrorCode.DecodeTimeout,
                $"Decoding the {container} audio took longer than {limits.DecodeTimeout.TotalSeconds:0.#} s and was stopped. Send a shorter file or WAV audio.");
        }

        await Task.WhenAll(outputTask, errorTask, inputTask).ConfigureAwait(false);
        if (output.CapExceeded)
        {
            throw new AudioFormatException(
                AudioErrorCode.AudioTooLong,
                $"The decoded audio exceeds the limit of {limits.MaxDuration.TotalSeconds:0.##} s ({limits.EffectiveMaxDecodedBytes} bytes of 16 kHz float samples). Split it into shorter files.");
        }

        // On Unix, .NET reports a process ended by signal N as exit code 128 + N; ffmpeg itself exits with 0 to 255 but never above 128 by choice.
        if (!OperatingSystem.IsWindows() && process.ExitCode > SignalExitBase && process.ExitCode <= SignalExitBase + 64)
        {
            throw new AudioFormatException(
                AudioErrorCode.DecoderCrashed,
                $"ffmpeg crashed while decoding the {container} audio (it was killed by signal {process.ExitCode - SignalExitBase}); the server could not decode it. Retry, or send WAV audio, which needs no ffmpeg.");
        }

        if (process.ExitCode != 0)
        {
            throw new AudioFormatException(
                AudioErrorCode.DecodeFailed,
                $"The {container} audio could not be decoded: ffmpeg said \"{errors.LastMessage ?? $"exit code {process.ExitCode}"}\". Check that the file is complete and valid audio.");
        }

        var samples = ToSamples(output.Bytes);
        if (samples.Length == 0)
        {
            throw new AudioFormatException(AudioErrorCode.EmptyAudio, $"The {container} file holds no audio samples. Send a file that contains audio.");
        }

        limits.EnsureDuration(samples.Length, AudioDecoder.TargetSampleRate);
        var stream = errors.InputStream;
        return new DecodedAudio(samples, container, stream?.Codec ?? container.ToString().ToLowerInvariant(), stream?.SampleRate, stream?.Channels);
    }

    private static ProcessStartInfo StartInfo(string executable, string? inputFile)
    {
        var info = new ProcessStartInfo(executable)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string[] arguments =
        [
            "-hide_banner", "-nostats", "-loglevel", "info",
            "-i", inputFile ?? "pipe:0",
            "-map", "0:a:0", "-vn", "-sn", "-dn",
            "-ac", "1", "-ar", "16000", "-c:a", "pcm_f32le", "-f", "f32le", "pipe:1",
        ];
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        return info;
    }

    private static async Task WriteInputAsync(Stream stdin, ReadOnlyMemory<byte> input, CancellationToken cancellationToken)
    {
        try
        {
            if (!input.IsEmpty)
            {
                await stdin.WriteAsync(input, cancellationToken).ConfigureAwait(false);
            }

            await stdin.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // ffmpeg stopped reading (it failed, finished early or was killed); its exit status tells why.
        }
    }

    private static float[] ToSamples(ReadOnlySpan<byte> bytes)
    {
        var samples = MemoryMarshal.Cast<byte, float>(bytes[..(bytes.Length - (bytes.Length % sizeof(float)))]).ToArray();
        foreach (var sample in samples)
        {
            if (!float.IsFinite(sample))
            {
                throw new AudioFormatException(AudioErrorCode.NonFiniteSample, "The decoded audio holds NaN or infinite samples. Re-encode the file.");
            }
        }

        return samples;
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
    }
}
