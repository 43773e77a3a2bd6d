// Translates one file with the official openai client against a SpeechServe server and prints what the
// client returned as one JSON object: the json, verbose_json and text responses, and the error the client
// raises for a model that does not translate.
//
// Usage: node translate.mjs <base URL ending in /v1> <audio file> <translation model> <recognition model>
import fs from 'node:fs';
import OpenAI from 'openai';

const [baseURL, file, model, recognitionModel] = process.argv.slice(2);
if (!baseURL || !file || !model || !recognitionModel) {
  console.error('usage: node translate.mjs <base URL ending in /v1> <audio file> <translation model> <recognition model>');
  process.exit(2);
}

const client = new OpenAI({ baseURL, apiKey: 'sk-not-checked', maxRetries: 0, timeout: 60_000 });

const json = await client.audio.translations.create({ file: fs.createReadStream(file), model });

const verbose = await client.audio.translations.create({
  file: fs.createReadStream(file),
  model,
  response_format: 'verbose_json',
});

const text = await client.audio.translations.create({
  file: fs.createReadStream(file),
  model,
  response_format: 'text',
});

let notTranslation = null;
try {
  await client.audio.translations.create({ file: fs.createReadStream(file), model: recognitionModel });
} catch (error) {
  if (!(error instanceof OpenAI.APIError)) {
    throw error;
  }
  notTranslation = { name: error.constructor.name, status: error.status, code: error.code, param: error.param, type: error.type, message: error.message };
}

process.stdout.write(`${JSON.stringify({ json, verbose, text, notTranslation })}\n`);
