// The control set: each file scaled the way sherpa-onnx feeds an omnilingual CTC model (zero mean, unit
// variance + 1e-5) and then by the export's input gain, as 32-bit float WAV. Given these, both stacks
// compute the same features, so their transcripts must match (docs/sherpa-onnx.md).

function floatWav(samples, sampleRate) {
  const header = Buffer.alloc(44);
  const dataBytes = samples.length * 4;
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + dataBytes, 4);
  header.write('WAVEfmt ', 8);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(3, 20); // IEEE float
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * 4, 28);
  header.writeUInt16LE(4, 32);
  header.writeUInt16LE(32, 34);
  header.write('data', 36);
  header.writeUInt32LE(dataBytes, 40);
  return Buffer.concat([header, Buffer.from(samples.buffer, samples.byteOffset, dataBytes)]);
}

export function levelled(file, gain) {
  const x = file.samples;
  let mean = 0;
  let square = 0;
  for (const v of x) { mean += v; square += v * v; }
  mean /= x.length;
  const scale = gain / Math.sqrt(Math.max(square / x.length - mean * mean, 0) + 1e-5);
  const samples = Float32Array.from(x, (v) => (v - mean) * scale);
  return { ...file, name: `${file.name}-levelled`, samples, bytes: floatWav(samples, 16000) };
}
