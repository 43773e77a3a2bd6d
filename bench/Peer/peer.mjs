// Peer comparison (docs/sherpa-onnx.md; a section of docs/benchmarks.md): the shipped model through sherpa-onnx's offline recognizer and
// through the SpeechServe REST server, same audio, same intra-op threads. Progress goes to stderr; the
// markdown section to stdout.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { synthesise } from './lib/speech.mjs';
import { createSherpaRecognizer, readSamples, sherpaVersion } from './lib/sherpa.mjs';
import { levelled } from './lib/levelled.mjs';
import { startServer, transcribe } from './lib/server.mjs';
import { timedPass, rates } from './lib/timing.mjs';
import { agreement } from './lib/text.mjs';
import { printSection } from './lib/report.mjs';

const { values: options } = parseArgs({
  options: {
    model: { type: 'string', default: 'speechfm-en-small' },
    threads: { type: 'string', default: '1' },
    concurrency: { type: 'string', default: '2' },
    rounds: { type: 'string', default: '3' },
  },
});
const threads = Number(options.threads);
const concurrency = Number(options.concurrency);
const rounds = Number(options.rounds);
if (![threads, concurrency, rounds].every((n) => Number.isInteger(n) && n >= 1 && n <= 16)) {
  console.error('--threads, --concurrency and --rounds must be integers from 1 to 16');
  process.exit(2);
}

// The exporter's default --input-gain (SherpaOnnxExportRequest.DefaultInputGain).
const INPUT_GAIN = 0.09;
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const modelsPath = path.join(repoRoot, 'models');
const work = mkdtempSync(path.join(os.tmpdir(), 'speechserve-peer-'));
const log = (message) => console.error(`peer: ${message}`);
let server;
try {
  log('synthesising the audio set with espeak-ng');
  const files = synthesise(work).map((file) => ({ ...file, samples: readSamples(file.path) }));
  const audioSeconds = files.reduce((sum, file) => sum + file.samples.length / 16000, 0);
  const control = files.map((file) => levelled(file, INPUT_GAIN));

  log(`exporting ${options.model} for sherpa-onnx`);
  const exported = path.join(work, 'sherpa-model');
  execFileSync('dotnet', [
    path.join(repoRoot, 'src', 'Export', 'bin', 'Release', 'net10.0', 'speechserve-export.dll'),
    'export-sherpa-onnx', '--model', path.join(modelsPath, options.model), '--output', exported,
  ], { stdio: ['ignore', 'ignore', 'inherit'] });

  const passes = {};
  const sherpa = createSherpaRecognizer(exported, threads);
  log(`sherpa-onnx ${sherpaVersion}: warm-up, then ${rounds} rounds sequential and at concurrency ${concurrency}`);
  await timedPass(files, sherpa.decode, { rounds: 1, concurrency: 1 });
  passes.sherpaSequential = await timedPass(files, sherpa.decode, { rounds, concurrency: 1 });
  passes.sherpaConcurrent = await timedPass(files, sherpa.decode, { rounds, concurrency });
  passes.sherpaControl = await timedPass(control, sherpa.decode, { rounds: 1, concurrency: 1 });

  log(`starting the server with ${threads} intra-op thread(s)`);
  server = await startServer({ repoRoot, modelsPath, threads });
  const ours = (file) => transcribe(server.baseUrl, options.model, file);
  log(`server: warm-up, then ${rounds} rounds sequential and at concurrency ${concurrency}`);
  await timedPass(files, ours, { rounds: 1, concurrency: 1 });
  passes.oursSequential = await timedPass(files, ours, { rounds, concurrency: 1 });
  passes.oursConcurrent = await timedPass(files, ours, { rounds, concurrency });
  passes.oursControl = await timedPass(control, ours, { rounds: 1, concurrency: 1 });

  printSection({
    options: { ...options, threads, concurrency, rounds },
    files,
    audioSeconds,
    sherpaVersion,
    rows: [
      { label: 'one at a time', sherpa: rates(passes.sherpaSequential, audioSeconds, rounds), ours: rates(passes.oursSequential, audioSeconds, rounds) },
      { label: `${concurrency} in flight`, sherpa: rates(passes.sherpaConcurrent, audioSeconds, rounds), ours: rates(passes.oursConcurrent, audioSeconds, rounds) },
    ],
    agreement: agreement(passes.sherpaSequential.texts, passes.oursSequential.texts),
    controlAgreement: agreement(passes.sherpaControl.texts, passes.oursControl.texts),
    texts: files.map((file, i) => ({ name: file.name, sentence: file.sentence, sherpa: passes.sherpaSequential.texts[i], ours: passes.oursSequential.texts[i] })),
  });
} finally {
  await server?.stop();
  rmSync(work, { recursive: true, force: true });
}
