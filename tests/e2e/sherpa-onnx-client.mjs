// A client of sherpa-onnx's online WebSocket server protocol, written from its published examples
// (python-api-examples/online-websocket-client-decode-file.py and sherpa-onnx/csrc/online-websocket-server-impl.cc):
// binary frames of float32 samples at 16 kHz, the text "Done" after the last one, one JSON result per text frame
// until the text "Done!". Prints one JSON object: the results, whether "Done!" came, other text frames (errors),
// and the close code and reason.
//
// Usage: node sherpa-onnx-client.mjs <ws URL> <16 kHz 16-bit mono WAV> [mode]
// mode: "normal" (default); "text" sends a text frame other than Done; "ragged" sends a frame that is not whole
// float32 samples.
import fs from 'node:fs';
import WebSocket from 'ws';

const [url, file, mode = 'normal'] = process.argv.slice(2);
if (!url || !file) {
  console.error('usage: node sherpa-onnx-client.mjs <ws URL> <16 kHz 16-bit mono WAV> [normal|text|ragged]');
  process.exit(2);
}

// The samples of a canonical PCM WAV (the "data" chunk), as float32 in [-1, 1).
function readWave(path) {
  const bytes = fs.readFileSync(path);
  let offset = 12;
  while (offset + 8 <= bytes.length) {
    const id = bytes.toString('ascii', offset, offset + 4);
    const size = bytes.readUInt32LE(offset + 4);
    if (id === 'data') {
      const count = Math.floor(Math.min(size, bytes.length - offset - 8) / 2);
      const samples = new Float32Array(count);
      for (let i = 0; i < count; i++) {
        samples[i] = bytes.readInt16LE(offset + 8 + 2 * i) / 32768;
      }
      return samples;
    }
    offset += 8 + size + (size % 2);
  }
  throw new Error(`${path} has no data chunk`);
}

const samples = readWave(file);
const samplesPerMessage = 8000;
const results = [];
const otherText = [];
let doneReceived = false;

const socket = new WebSocket(url);
const closed = new Promise((resolve) => socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
socket.on('message', (data, isBinary) => {
  const text = data.toString();
  if (isBinary) {
    otherText.push(`binary: ${text}`);
  } else if (text === 'Done!') {
    doneReceived = true;
    socket.close(1000);
  } else {
    try {
      const message = JSON.parse(text);
      (message.type === 'error' ? otherText : results).push(message);
    } catch {
      otherText.push(text);
    }
  }
});
socket.on('error', (error) => otherText.push(`socket error: ${error.message}`));

await new Promise((resolve, reject) => {
  socket.once('open', resolve);
  socket.once('close', resolve);
  socket.once('error', reject);
}).catch(() => {});

if (socket.readyState === WebSocket.OPEN) {
  if (mode === 'text') {
    socket.send('{"type":"end"}');
  } else if (mode === 'ragged') {
    socket.send(Buffer.alloc(6));
  } else {
    for (let start = 0; start < samples.length; start += samplesPerMessage) {
      const chunk = samples.subarray(start, Math.min(start + samplesPerMessage, samples.length));
      socket.send(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    }
    socket.send('Done');
  }
}

const timer = setTimeout(() => socket.terminate(), 60_000);
const close = await closed;
clearTimeout(timer);
process.stdout.write(`${JSON.stringify({ results, doneReceived, otherText, close })}\n`);
