// The real SpeechServe server, started from its Release build on a free loopback port.
import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/** Starts the server on `modelsPath` with `threads` intra-op threads; resolves once GET /readyz answers 200. */
export async function startServer({ repoRoot, modelsPath, threads, readyTimeoutMs = 120_000 }) {
  const port = await freePort();
  const dll = path.join(repoRoot, 'src', 'Serving', 'bin', 'Release', 'net10.0', 'SpeechServe.Serving.dll');
  const child = spawn('dotnet', [dll, '--urls', `http://127.0.0.1:${port}`], {
    cwd: path.dirname(dll),
    env: {
      ...process.env,
      DOTNET_ENVIRONMENT: 'Production',
      ASPNETCORE_ENVIRONMENT: 'Production',
      Serving__ModelsPath: modelsPath,
      Serving__IntraOpThreads: String(threads),
      // sherpa-onnx decodes greedily; so does the server here, without the model's word language model.
      Serving__LanguageModel: 'false',
      Logging__LogLevel__Default: 'Warning',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => { stderr = (stderr + chunk).slice(-4000); });
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + readyTimeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}: ${stderr}`);
    try {
      if ((await fetch(`${baseUrl}/readyz`)).status === 200) {
        return { baseUrl, stop: () => new Promise((resolve) => { child.once('exit', resolve); child.kill('SIGTERM'); }) };
      }
    } catch { /* not listening yet */ }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  child.kill('SIGKILL');
  throw new Error(`server not ready within ${readyTimeoutMs} ms: ${stderr}`);
}

/** POST /v1/audio/transcriptions with one WAV; returns the text. */
export async function transcribe(baseUrl, model, file) {
  const form = new FormData();
  form.append('file', new Blob([file.bytes], { type: 'audio/wav' }), `${file.name}.wav`);
  form.append('model', model);
  form.append('response_format', 'json');
  const response = await fetch(`${baseUrl}/v1/audio/transcriptions`, { method: 'POST', body: form, signal: AbortSignal.timeout(60_000) });
  if (response.status !== 200) throw new Error(`${file.name}: HTTP ${response.status} ${await response.text()}`);
  return (await response.json()).text;
}
