// Drives the streaming page in Debian's Chromium (headless) with a fake microphone that plays an
// espeak-ng WAV, against a server that requires an API key: enters the key, presses Start, waits for
// partial and final text, presses Stop, checks that the stream ended with "done", and saves a screenshot to
// docs/stream-page.png. The key reaches /v1/models as a bearer header and the WebSocket as ?api_key=.
//
// Needs a built solution (dotnet build SpeechServe.slnx), /usr/bin/chromium, espeak-ng and Debian's
// python3-torch. Run: cd tests/e2e && npm install && node stream-page.mjs
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const work = mkdtempSync(path.join(tmpdir(), 'speechserve-e2e-'));
const port = 18000 + Math.floor(Math.random() * 1000);
const base = `http://127.0.0.1:${port}`;
const modelId = 'speechfm-e2e';
const apiKey = 'sk-e2e-page-key';
const screenshot = process.env.SCREENSHOT ?? path.join(root, 'docs', 'stream-page.png');

function run(file, args, options = {}) {
  execFileSync(file, args, { stdio: ['ignore', 'ignore', 'inherit'], ...options });
}

async function waitForReady(deadline) {
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${base}/readyz`)).ok) return;
    } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('the server did not become ready');
}

let server;
let browser;
try {
  const checkpoint = path.join(work, 'random.safetensors');
  run('/usr/bin/python3', [path.join(root, 'training', 'make_random_checkpoint.py'), '--output', checkpoint]);
  run('dotnet', [path.join(root, 'src/Export/bin/Debug/net10.0/speechserve-export.dll'), 'export',
    '--checkpoint', checkpoint, '--config', path.join(root, 'training/configs/reference.json'),
    '--output', path.join(work, 'models', modelId), '--id', modelId]);
  const wav = path.join(work, 'speech.wav');
  run('espeak-ng', ['-s', '150', '-w', wav, 'hello from the streaming page. this is a test of live transcription.']);

  server = spawn('dotnet', [path.join(root, 'src/Serving/bin/Debug/net10.0/SpeechServe.Serving.dll'), '--urls', base], {
    cwd: path.join(root, 'src/Serving'),
    env: { ...process.env, ASPNETCORE_ENVIRONMENT: 'Development', Serving__ModelsPath: path.join(work, 'models'), Serving__ApiKeys__0: apiKey, Logging__LogLevel__Default: 'Warning' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  await waitForReady(Date.now() + 60_000);

  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-audio-capture=${wav}`,
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run',
    ],
  });
  const page = await browser.newPage({ viewport: { width: 900, height: 820 } });
  page.on('console', (m) => { if (m.type() === 'error') console.error(`page: ${m.text()}`); });
  await page.goto(base);
  // Without the key the model list is refused; with it, the models load.
  await page.waitForFunction(() => document.getElementById('model-status').textContent.includes('API key'), null, { timeout: 20_000 });
  await page.getByLabel('API key').fill(apiKey);
  await page.getByLabel('API key').dispatchEvent('change');
  await page.waitForSelector(`#model option[value="${modelId}"]`, { state: 'attached' });
  await page.getByRole('button', { name: 'Start' }).click();
  await page.waitForFunction(() => window.speechServeMessages.some((m) => m.type === 'partial' && m.text), null, { timeout: 20_000 });
  await page.waitForTimeout(6_000);
  await page.getByRole('button', { name: 'Stop' }).click();
  await page.waitForFunction(() => window.speechServeMessages.some((m) => m.type === 'done'), null, { timeout: 20_000 });

  const messages = await page.evaluate(() => window.speechServeMessages);
  const finals = messages.filter((m) => m.type === 'final');
  const partials = messages.filter((m) => m.type === 'partial');
  const shown = await page.locator('#finals li').allTextContents();
  if (finals.length === 0 || !finals.some((f) => f.text)) throw new Error('no final text arrived');
  if (shown.length !== finals.filter((f) => f.text).length) throw new Error('the page does not show every final');
  for (const [i, f] of finals.entries()) {
    if (f.segment !== i) throw new Error(`final ${i} has segment ${f.segment}`);
  }
  await page.screenshot({ path: screenshot, fullPage: true });
  console.log(`ok: ${partials.length} partials, ${finals.length} finals; first final: "${finals.find((f) => f.text).text}"; screenshot ${path.relative(root, screenshot)}`);
} finally {
  await browser?.close();
  server?.kill('SIGTERM');
  rmSync(work, { recursive: true, force: true });
}
