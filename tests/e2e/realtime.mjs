// A Realtime transcription session through the official openai client's OpenAIRealtimeWS (wss://, ?model=ID,
// bearer key) against a SpeechServe server with a self-signed certificate. It updates the session in the current
// form (pcm16 at 24 kHz, server_vad) and sends bad events, streams one file and commits, then updates it in the
// earlier form (g711_ulaw, manual turns), streams the same speech and commits, then clears a buffer and commits
// the empty one. Prints one JSON object: every server event in order, and each error the client raised.
//
// Usage: node realtime.mjs <https base URL ending in /v1> <24 kHz s16le raw file> <8 kHz mu-law raw file> <model>
import fs from 'node:fs';
import OpenAI from 'openai';
import { OpenAIRealtimeWS } from 'openai/realtime/ws';

const [baseURL, pcmFile, ulawFile, model] = process.argv.slice(2);
if (!baseURL || !pcmFile || !ulawFile || !model) {
  console.error('usage: node realtime.mjs <https base URL ending in /v1> <24 kHz s16le raw> <8 kHz mu-law raw> <model>');
  process.exit(2);
}

const client = new OpenAI({ baseURL, apiKey: 'sk-not-checked' });
const realtime = new OpenAIRealtimeWS({ model, options: { rejectUnauthorized: false } }, client);
const events = [];
const errors = [];
const waiters = [];
realtime.on('event', (event) => {
  events.push(event);
  for (const waiter of [...waiters]) {
    if (waiter.match(event)) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve(event);
    }
  }
});
realtime.on('error', (error) => errors.push({ message: error.message, error: error.error ?? null }));
const closed = new Promise((resolve) => realtime.socket.on('close', (code) => resolve(code)));

const waitFor = (match) => new Promise((resolve, reject) => {
  const waiter = { match, resolve };
  waiters.push(waiter);
  setTimeout(() => reject(new Error(`no matching event within 60 s; events so far: ${JSON.stringify(events.map((e) => e.type))}`)), 60_000).unref();
});
const errorFor = (eventId) => waitFor((e) => e.type === 'error' && e.error?.event_id === eventId);

// Sends audio in 100 ms appends, then commits; resolves once every event of the commit arrived (the error of a
// sentinel event sent after it, since the server answers events in order).
async function streamAndCommit(bytes, bytesPer100Ms, sentinel) {
  for (let start = 0; start < bytes.length; start += bytesPer100Ms) {
    realtime.send({ type: 'input_audio_buffer.append', audio: bytes.subarray(start, start + bytesPer100Ms).toString('base64') });
  }
  realtime.send({ type: 'input_audio_buffer.commit', event_id: `${sentinel}_commit` });
  realtime.send({ type: 'sentinel.event', event_id: sentinel });
  await errorFor(sentinel);
}

await waitFor((e) => e.type === 'session.created');

realtime.send({
  type: 'session.update',
  session: { type: 'transcription', audio: { input: { format: { type: 'audio/pcm', rate: 24000 }, transcription: { model }, turn_detection: { type: 'server_vad' } } } },
});
await waitFor((e) => e.type === 'session.updated');

const bad = [
  { type: 'input_audio_buffer.commit' },
  { type: 'response.create' },
  { type: 'input_audio_buffer.append', audio: 'not*base64!' },
  { type: 'input_audio_buffer.append', audio: Buffer.alloc(3).toString('base64') },
  { type: 'session.update', session: { type: 'transcription', audio: { input: { transcription: { model: 'no-such-model' } } } } },
  { type: 'session.update', session: { type: 'transcription', audio: { input: { format: { type: 'audio/opus' } } } } },
  { type: 'session.update', session: { type: 'transcription', audio: { input: { transcription: { language: 'de' } } } } },
];
for (const [index, event] of bad.entries()) {
  realtime.send({ ...event, event_id: `bad_${index}` });
  await errorFor(`bad_${index}`);
}
realtime.send({ type: 'input_audio_buffer.append', audio: Buffer.alloc(96 * 1024).toString('base64') });
await waitFor((e) => e.type === 'error' && e.error?.code === 'event_too_large');

await streamAndCommit(fs.readFileSync(pcmFile), 4800, 'after_pcm16');

realtime.send({
  type: 'transcription_session.update',
  session: { input_audio_format: 'g711_ulaw', input_audio_transcription: { model }, turn_detection: null },
});
await waitFor((e) => e.type === 'transcription_session.updated');
await streamAndCommit(fs.readFileSync(ulawFile), 800, 'after_ulaw');

realtime.send({ type: 'input_audio_buffer.append', audio: fs.readFileSync(ulawFile).subarray(0, 800).toString('base64') });
realtime.send({ type: 'input_audio_buffer.clear' });
await waitFor((e) => e.type === 'input_audio_buffer.cleared');
realtime.send({ type: 'input_audio_buffer.commit', event_id: 'after_clear' });
await errorFor('after_clear');

realtime.close();
const closeCode = await closed;
process.stdout.write(`${JSON.stringify({ events, errors, closeCode })}\n`);
