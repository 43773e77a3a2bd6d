// Streams one transcription with the official openai client (stream: true) against a SpeechServe server and
// prints what the client saw as one JSON object: the events it iterated, the error it raised while iterating
// (null when none), whether that error came after the stream had started, the same file's non-streamed
// text, and the error the client raises for a streamed request with response_format srt.
//
// Usage: node transcribe-stream.mjs <base URL ending in /v1> <audio file> <model>
import fs from 'node:fs';
import OpenAI from 'openai';

const [baseURL, file, model] = process.argv.slice(2);
if (!baseURL || !file || !model) {
  console.error('usage: node transcribe-stream.mjs <base URL ending in /v1> <audio file> <model>');
  process.exit(2);
}

const client = new OpenAI({ baseURL, apiKey: 'sk-not-checked', maxRetries: 0, timeout: 120_000 });

const describe = (error) => {
  if (!(error instanceof OpenAI.APIError)) {
    throw error;
  }
  return { name: error.constructor.name, status: error.status ?? null, code: error.code, param: error.param, type: error.type, message: error.message };
};

const events = [];
let started = false;
let error = null;
try {
  const stream = await client.audio.transcriptions.create({ file: fs.createReadStream(file), model, stream: true });
  started = true;
  for await (const event of stream) {
    events.push(event);
  }
} catch (caught) {
  error = describe(caught);
}

let text = null;
try {
  ({ text } = await client.audio.transcriptions.create({ file: fs.createReadStream(file), model }));
} catch (caught) {
  text = describe(caught);
}

let srtRefusal = null;
try {
  await client.audio.transcriptions.create({ file: fs.createReadStream(file), model, stream: true, response_format: 'srt' });
} catch (caught) {
  srtRefusal = describe(caught);
}

process.stdout.write(`${JSON.stringify({ events, error, started, text, srtRefusal })}\n`);
