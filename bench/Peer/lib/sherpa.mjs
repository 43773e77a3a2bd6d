// sherpa-onnx's offline recognizer on the exported model (config field `omnilingual`: raw samples in).
import { createRequire } from 'node:module';
import path from 'node:path';

const sherpa = createRequire(import.meta.url)('sherpa-onnx-node');

/** A greedy-CTC recognizer with `threads` intra-op threads; decode(file) -> text of file.samples, asynchronously on libuv's pool. */
export function createSherpaRecognizer(exportDirectory, threads) {
  const recognizer = new sherpa.OfflineRecognizer({
    featConfig: { sampleRate: 16000, featureDim: 80 },
    modelConfig: {
      omnilingual: { model: path.join(exportDirectory, 'model.onnx') },
      tokens: path.join(exportDirectory, 'tokens.txt'),
      numThreads: threads,
      provider: 'cpu',
      debug: 0,
    },
    decodingMethod: 'greedy_search',
  });
  return {
    async decode(file) {
      const stream = recognizer.createStream();
      stream.acceptWaveform({ samples: file.samples, sampleRate: 16000 });
      return (await recognizer.decodeAsync(stream)).text;
    },
  };
}

/** The samples of a 16 kHz WAV file in [-1, 1], as sherpa-onnx's reader returns them. */
export function readSamples(wavPath) {
  const wave = sherpa.readWave(wavPath);
  if (wave.sampleRate !== 16000) throw new Error(`${wavPath}: ${wave.sampleRate} Hz, expected 16000`);
  return wave.samples;
}

export const sherpaVersion = createRequire(import.meta.url)('sherpa-onnx-node/package.json').version;
