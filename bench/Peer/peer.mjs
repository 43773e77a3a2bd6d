// Peer comparison (docs/sherpa-onnx.md; a section of docs/benchmarks.md): the shipped model through sherpa-onnx's offline recognizer and
// through the SpeechServe REST server, same audio, same intra-op threads per decode, one at a time and at each
// level of --concurrency (a comma list) in flight. Progress goes to stderr; the markdown section to stdout.
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
    // The server's intra-op threads when they should differ from sherpa-onnx's (to weigh wide batches against narrow ones).
    'server-threads': { type: 'string' },
    concurrency: { type: 'string', default: '1,2,4,8' },
    rounds: { type: 'string', default: '3' },
  },
});
const threads = Number(options.threads);
const serverThreads = Number(options['server-threads'] ?? options.threads);
// One at a time always runs first: the sequential pass also gives the transcripts compared.
const levels = [...new Set([1, ...options.concurrency.split(',').map(Number)])].sort((a, b) => a - b);
const rounds = Number(options.rounds);
if (![threads, serverThreads, rounds, ...levels].every((n) => Number.isInteger(n) && n >= 1 && n <= 16)) {
  console.error('--threads, --server-threads, --rounds and each --concurrency level must be integers from 1 to 16');
  process.exit(2);
}

// The exporter's default --input-gain (SherpaOnnxExportRequest.DefaultInputGain).
const INPUT_GAIN = 0.09;
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const modelsPath = path.join(repoRoot, 'models');
const work = mkdtempSync(path.join(os.tmpdir(), 'speechserve-peer-'));
const log = (message) => console.error(`peer: ${message}`);
const loadAverage = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');
let server;
try {
  log('synthesising the audio set with espeak-ng');
  const files = synthesise(work).map((file) => ({ ...file, samples: readSamples(file.path) }));
  const audioSeconds = files.reduce((sum, file) => sum + file.samples.length / 16000, 0);
  const controlFiles = files.map((file) => levelled(file, INPUT_GAIN));

  log(`exporting ${options.model} for sherpa-onnx`);
  const exported = path.join(work, 'sherpa-model');
  execFileSync('dotnet', [
    path.join(repoRoot, 'src', 'Export', 'bin', 'Release', 'net10.0', 'speechserve-export.dll'),
    'export-sherpa-onnx', '--model', path.join(modelsPath, options.model), '--output', exported,
  ], { stdio: ['ignore', 'ignore', 'inherit'] });

  log(`starting the server with ${serverThreads} intra-op thread(s) per batch`);
  server = await startServer({ repoRoot, modelsPath, threads: serverThreads });
  const sides = {
    sherpa: createSherpaRecognizer(exported, threads).decode,
    ours: (file) => transcribe(server.baseUrl, options.model, file),
  };
  const startLoad = loadAverage();
  // A warm-up pass each; then, at every level, the sides take turns round by round, so that a change in the
  // machine's load (it may be shared) falls on both alike.
  for (const decode of Object.values(sides)) await timedPass(files, decode, { rounds: 1, concurrency: 1 });
  const byLevel = { sherpa: new Map(), ours: new Map() };
  for (const concurrency of levels) {
    log(`sherpa-onnx ${sherpaVersion} and the server, turn about: ${rounds} rounds at ${concurrency} in flight (load average ${loadAverage()})`);
    for (let round = 0; round < rounds; round++) {
      for (const [side, decode] of Object.entries(sides)) {
        const pass = await timedPass(files, decode, { rounds: 1, concurrency });
        byLevel[side].set(concurrency, combine(byLevel[side].get(concurrency), pass));
      }
    }
  }
  const control = {};
  for (const [side, decode] of Object.entries(sides)) control[side] = await timedPass(controlFiles, decode, { rounds: 1, concurrency: 1 });
  const [sherpa, ours] = ['sherpa', 'ours'].map((side) => ({ byLevel: byLevel[side], control: control[side] }));

  printSection({
    options: { ...options, threads, serverThreads, concurrency: levels.join(','), rounds },
    files,
    audioSeconds,
    sherpaVersion,
    loads: { start: startLoad, end: loadAverage() },
    rows: levels.map((concurrency) => ({
      label: concurrency === 1 ? 'one at a time' : `${concurrency} in flight`,
      sherpa: rates(sherpa.byLevel.get(concurrency), audioSeconds, rounds),
      ours: rates(ours.byLevel.get(concurrency), audioSeconds, rounds),
    })),
    agreement: agreement(sherpa.byLevel.get(1).texts, ours.byLevel.get(1).texts),
    controlAgreement: agreement(sherpa.control.texts, ours.control.texts),
    texts: files.map((file, i) => ({ name: file.name, sentence: file.sentence, sherpa: sherpa.byLevel.get(1).texts[i], ours: ours.byLevel.get(1).texts[i] })),
  });
} finally {
  await server?.stop();
  rmSync(work, { recursive: true, force: true });
}

/** Two timed passes as one: their times and decodes summed, the later one's texts. */
function combine(earlier, later) {
  return earlier ? { seconds: earlier.seconds + later.seconds, decodes: earlier.decodes + later.decodes, texts: later.texts } : later;
}
