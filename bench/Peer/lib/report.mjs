// The markdown section printed to stdout, for docs/benchmarks.md.

const f = (x, digits) => x.toFixed(digits);

export function printSection({ options, files, audioSeconds, sherpaVersion, loads, rows, agreement, controlAgreement, texts }) {
  const out = [];
  out.push('## Peer comparison: sherpa-onnx vs SpeechServe (`bench/Peer`)', '');
  out.push(
    `The shipped model \`${options.model}\` (base model, float32) decodes the same ${files.length} espeak-ng WAVs `
      + `(16 kHz, ${f(audioSeconds, 1)} s in all) (a) in-process with sherpa-onnx ${sherpaVersion}'s \`OfflineRecognizer\` `
      + '(greedy CTC) on the model as `export-sherpa-onnx` writes it, and (b) over HTTP with `POST /v1/audio/transcriptions` '
      + 'to the SpeechServe server (Release build, `Serving:LanguageModel=false`: greedy CTC too) on a loopback port. ONNX Runtime intra-op '
      + `threads: sherpa-onnx ${options.threads} per decode, each decode in flight on its own libuv thread; SpeechServe `
      + `${options.serverThreads}${options.serverThreads === options.threads ? '' : ' (`--server-threads`)'} per encoder batch, `
      + 'with its default batch workers (docs/api.md, "Batch workers"). One warm-up '
      + `pass each, then at each load ${options.rounds} timed rounds over all files, the two taking turns round by round. `
      + `Load average (1, 5, 15 min) at the start: ${loads.start}; at the end: ${loads.end}.`,
    '',
  );
  const serverThreads = options.serverThreads === options.threads ? '' : ` --server-threads ${options.serverThreads}`;
  out.push('```sh', `bench/Peer/run.sh --threads ${options.threads}${serverThreads} --concurrency ${options.concurrency} --rounds ${options.rounds}`, '```', '');
  out.push('| load | sherpa-onnx files/s | SpeechServe files/s | sherpa-onnx audio s/s | SpeechServe audio s/s | sherpa-onnx RTF | SpeechServe RTF | SpeechServe / sherpa-onnx throughput |');
  out.push('| --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const row of rows) {
    out.push(`| ${row.label} | ${f(row.sherpa.filesPerSecond, 2)} | ${f(row.ours.filesPerSecond, 2)} | ${f(row.sherpa.audioPerSecond, 1)} | ${f(row.ours.audioPerSecond, 1)} `
      + `| ${f(row.sherpa.rtf, 4)} | ${f(row.ours.rtf, 4)} | ${f(row.ours.filesPerSecond / row.sherpa.filesPerSecond, 2)}x |`);
  }
  out.push('');
  out.push(`Text agreement: ${agreement.identical} of ${agreement.total} transcripts identical; character error rate of SpeechServe's `
    + `transcripts against sherpa-onnx's: ${f(100 * agreement.cer, 2)} %. Control, the same files levelled beforehand as `
    + 'sherpa-onnx levels them (zero mean, unit variance, times the export\'s input gain) and sent to both as float WAV: '
    + `${controlAgreement.identical} of ${controlAgreement.total} identical, character error rate ${f(100 * controlAgreement.cer, 2)} %.`, '');
  const differing = texts.filter((t) => t.sherpa.trim() !== t.ours.trim());
  if (differing.length > 0) {
    out.push('| file | spoken | sherpa-onnx | SpeechServe |', '| --- | --- | --- | --- |');
    for (const t of differing) out.push(`| ${t.name} | ${t.sentence} | ${t.sherpa} | ${t.ours} |`);
    out.push('');
  }
  out.push(
    'How to read: files/s and audio s/s are throughput over the timed rounds (higher is better); RTF is wall time per '
      + 'second of audio (lower is better); the last column is SpeechServe\'s files/s over sherpa-onnx\'s. sherpa-onnx runs '
      + 'in the benchmark process; SpeechServe\'s figures include HTTP, multipart parsing, WAV decoding, its dynamic '
      + 'batcher and the JSON response. sherpa-onnx normalises each utterance to unit variance before the model, so its '
      + 'log-mel features differ from SpeechServe\'s by a per-file level offset (docs/sherpa-onnx.md); that, not the '
      + 'decoder, is where differing transcripts come from.',
    '',
  );
  process.stdout.write(out.join('\n'));
}
