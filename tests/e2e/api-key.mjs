// The official openai client against a server that requires API keys: with a configured key it lists the
// models and transcribes; with a wrong key it raises AuthenticationError. Prints one JSON object.
//
// Usage: node api-key.mjs <base URL ending in /v1> <audio file> <model> <key>
import fs from 'node:fs';
import OpenAI from 'openai';

const [baseURL, file, model, apiKey] = process.argv.slice(2);
if (!baseURL || !file || !model || !apiKey) {
  console.error('usage: node api-key.mjs <base URL ending in /v1> <audio file> <model> <key>');
  process.exit(2);
}

const client = new OpenAI({ baseURL, apiKey, maxRetries: 0, timeout: 60_000 });
const models = (await client.models.list()).data.map((m) => m.id);
const transcription = await client.audio.transcriptions.create({ file: fs.createReadStream(file), model });

let refused = null;
try {
  await new OpenAI({ baseURL, apiKey: 'sk-wrong', maxRetries: 0 }).models.list();
} catch (error) {
  if (!(error instanceof OpenAI.APIError)) {
    throw error;
  }
  refused = { name: error.constructor.name, status: error.status, code: error.code, type: error.type };
}

process.stdout.write(`${JSON.stringify({ models, text: transcription.text, refused })}\n`);
