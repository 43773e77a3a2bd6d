using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace SpeechServe.Runtime.Audio;

/// <summary>
/// Decodes compressed audio (FLAC, MP3, Ogg, WebM, MP4 ...) by running ffmpeg, input on stdin, output on stdout as
/// f32le mono 16 kHz, read as the caller asks for samples: ffmpeg blocks on the full pipe while the caller works, so
/// the output is never held whole. stdin and stderr are served concurrently so that neither side can block the
/// other. <see cref="AudioLimits.DecodeTimeout"/> bounds the time spent waiting for ffmpeg (not the caller's time
/// between reads): past it the whole process tree is killed; <see cref="AudioLimits.EffectiveMaxDecodedBytes"/>
/// bounds its output.
/// </summary>
internal sealed class FfmpegSampleReader : AudioSampleReader
{
    private const int StderrLinesKept = 16;
    private const int SignalExitBase = 128;
    private const int ReadBytes = 64 * 1024;

    private readonly Process _process;
    private readonly AudioContainer _container;
    private readonly AudioLimits _limits;
    private readonly string? _tempFile;
    private readonly Stream _stdout;
    private readonly FfmpegErrorReader _errors;
    private readonly Task _errorTask;
    private readonly Task _inputTask;
    private readonly CancellationTokenSource _inputCancellation = new();
    private readonly byte[] _bytes = new byte[ReadBytes];
    private int _carry;
    private long _bytesRead;
    private TimeSpan _waited;
    private bool _ended;
    private bool _disposed;

    private FfmpegSampleReader(ReadOnlyMemory<byte> input, string? tempFile, AudioContainer container, FfmpegOptions options, AudioLimits limits)
    {
        _container = container;
        _limits = limits;
        _tempFile = tempFile;
        _process = new Process { StartInfo = StartInfo(options.ExecutablePath, tempFile) };
        try
        {
            _process.Start();
        }
        catch (Win32Exception ex)
        {
            _process.Dispose();
            throw new AudioFormatException(
                AudioErrorCode.UnsupportedMediaType,
                $"{container} audio needs ffmpeg, which is not installed on this server (could not start '{options.ExecutablePath}'). Send WAV audio (PCM, float, mu-law or A-law), or install ffmpeg.",
                ex);
        }

        _stdout = _process.StandardOutput.BaseStream;
        _errors = new FfmpegErrorReader(_process.StandardError, StderrLinesKept);
        _errorTask = _errors.ReadAsync();
        _inputTask = WriteInputAsync(_process.StandardInput.BaseStream, tempFile is null ? input : ReadOnlyMemory<byte>.Empty, _inputCancellation.Token);
    }

    public override AudioContainer Container => _container;

    public override string OriginalFormat => _errors.InputStream?.Codec ?? _container.ToString().ToLowerInvariant();

    public override int? OriginalSampleRate => _errors.InputStream?.SampleRate;

    public override int? OriginalChannels => _errors.InputStream?.Channels;

    /// <summary>Starts ffmpeg on <paramref name="input"/>.</summary>
    /// <exception cref="AudioFormatException">ffmpeg is not installed.</exception>
    public static async Task<FfmpegSampleReader> StartAsync(
        ReadOnlyMemory<byte> input, AudioContainer container, FfmpegOptions options, AudioLimits limits, CancellationToken cancellationToken)
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

            return new FfmpegSampleReader(input, tempFile, container, options, limits);
        }
        catch
        {
            if (tempFile is not null)
            {
                File.Delete(tempFile);
            }

            throw;
        }
    }

    public override async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (!_process.HasExited)
        {
            Kill();
        }

        await _inputCancellation.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_errorTask, _inputTask).ConfigureAwait(false);
        _inputCancellation.Dispose();
        _process.Dispose();
        if (_tempFile is not null)
        {
            File.Delete(_tempFile);
        }

        await base.DisposeAsync().ConfigureAwait(false);
    }

    protected override async ValueTask<int> ReadCoreAsync(Memory<float> destination, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        while (!_ended)
        {
            // Never more bytes than the destination takes as whole samples, with the partial sample kept from the last read.
            var room = Math.Min(_bytes.Length, destination.Length * sizeof(float)) - _carry;
            var read = await WithinTimeoutAsync(_stdout.ReadAsync(_bytes.AsMemory(_carry, room), CancellationToken.None).AsTask(), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                await EndAsync(cancellationToken).ConfigureAwait(false);
                break;
            }

            _bytesRead += read;
            if (_bytesRead > _limits.EffectiveMaxDecodedBytes)
            {
                _ended = true;
                Kill();
                throw new AudioFormatException(
                    AudioErrorCode.AudioTooLong,
                    $"The decoded audio exceeds the limit of {_limits.MaxDuration.TotalSeconds:0.##} s ({_limits.EffectiveMaxDecodedBytes} bytes of 16 kHz float samples). Split it into shorter files.");
            }

            var available = _carry + read;
            var count = available / sizeof(float);
            if (count > 0)
            {
                var samples = MemoryMarshal.Cast<byte, float>(_bytes.AsSpan(0, count * sizeof(float)));
                EnsureFinite(samples);
                samples.CopyTo(destination.Span);
            }

            _carry = available - (count * sizeof(float));
            _bytes.AsSpan(count * sizeof(float), _carry).CopyTo(_bytes);
            if (count > 0)
            {
                return count;
            }
        }

        return 0;
    }

    // ffmpeg closed its output: it has ended; its exit status and the whole output decide whether the audio was good.
    // A partial last sample is dropped.
    private async Task EndAsync(CancellationToken cancellationToken)
    {
        _ended = true;
        await WithinTimeoutAsync(_process.WaitForExitAsync(CancellationToken.None).ContinueWith(_ => 0, TaskScheduler.Default), cancellationToken).ConfigureAwait(false);
        await Task.WhenAll(_errorTask, _inputTask).ConfigureAwait(false);

        // On Unix, .NET reports a process ended by signal N as exit code 128 + N; ffmpeg itself exits with 0 to 255 but never above 128 by choice.
        var exitCode = _process.ExitCode;
        if (!OperatingSystem.IsWindows() && exitCode > SignalExitBase && exitCode <= SignalExitBase + 64)
        {
            throw new AudioFormatException(
                AudioErrorCode.DecoderCrashed,
                $"ffmpeg crashed while decoding the {_container} audio (it was killed by signal {exitCode - SignalExitBase}); the server could not decode it. Retry, or send WAV audio, which needs no ffmpeg.");
        }

        if (exitCode != 0)
        {
            throw new AudioFormatException(
                AudioErrorCode.DecodeFailed,
                $"The {_container} audio could not be decoded: ffmpeg said \"{_errors.LastMessage ?? $"exit code {exitCode}"}\". Check that the file is complete and valid audio.");
        }

        if (SamplesRead == 0)
        {
            throw new AudioFormatException(AudioErrorCode.EmptyAudio, $"The {_container} file holds no audio samples. Send a file that contains audio.");
        }

        _limits.EnsureDuration(SamplesRead, AudioDecoder.TargetSampleRate);
    }

    // Waits for ffmpeg, counting the wait against the decode timeout; at the timeout or on cancellation the process
    // tree is killed (which also ends the wait's pipe read).
    private async Task<T> WithinTimeoutAsync<T>(Task<T> wait, CancellationToken cancellationToken)
    {
        var remaining = _limits.DecodeTimeout - _waited;
        var started = Stopwatch.GetTimestamp();
        try
        {
            return await wait.WaitAsync(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
            _ended = true;
            Kill();
            _ = wait.ContinueWith(t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            cancellationToken.ThrowIfCancellationRequested();
            throw new AudioFormatException(
                AudioErrorCode.DecodeTimeout,
                $"Decoding the {_container} audio took longer than {_limits.DecodeTimeout.TotalSeconds:0.#} s and was stopped. Send a shorter file or WAV audio.",
                ex);
        }
        finally
        {
            _waited += Stopwatch.GetElapsedTime(started);
        }
    }

    private static void EnsureFinite(ReadOnlySpan<float> samples)
    {
        foreach (var sample in samples)
        {
            if (!float.IsFinite(sample))
            {
                throw new AudioFormatException(AudioErrorCode.NonFiniteSample, "The decoded audio holds NaN or infinite samples. Re-encode the file.");
            }
        }
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

    private void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
    }
}
