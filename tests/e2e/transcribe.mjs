// Transcribes one file with the official openai client against a SpeechServe server and prints what the
// client returned as one JSON object: the json, verbose_json (word timestamps) and text responses, and the
// error the client raises for an unknown model.
//
// Usage: node transcribe.mjs <base URL ending in /v1> <audio file> <model>
import fs from 'node:fs';
import OpenAI from 'openai';

const [baseURL, file, model] = process.argv.slice(2);
if (!baseURL || !file || !model) {
  console.error('usage: node transcribe.mjs <base URL ending in /v1> <audio file> <model>');
  process.exit(2);
}

const client = new OpenAI({ baseURL, apiKey: 'sk-not-checked', maxRetries: 0, timeout: 60_000 });

const json = await client.audio.transcriptions.create({ file: fs.createReadStream(file), model });

const verbose = await client.audio.transcriptions.create({
  file: fs.createReadStream(file),
  model,
  response_format: 'verbose_json',
  timestamp_granularities: ['word'],
});

const text = await client.audio.transcriptions.create({
  file: fs.createReadStream(file),
  model,
  response_format: 'text',
});

let notFound = null;
try {
  await client.audio.transcriptions.create({ file: fs.createReadStream(file), model: 'no-such-model' });
} catch (error) {
  if (!(error instanceof OpenAI.APIError)) {
    throw error;
  }
  notFound = { name: error.constructor.name, status: error.status, code: error.code, param: error.param, type: error.type };
}

process.stdout.write(`${JSON.stringify({ json, verbose, text, notFound })}\n`);
