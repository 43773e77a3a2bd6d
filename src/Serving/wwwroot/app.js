// SpeechServe page: live microphone transcription over /v1/audio/stream and file upload over
// /v1/audio/transcriptions. The audio context runs at the device rate; the page sends that rate as
// sample_rate and the server resamples to 16 kHz.
const $ = (id) => document.getElementById(id);
const modelSelect = $('model');
const startButton = $('start');
const stopButton = $('stop');
const streamStatus = $('stream-status');
const finals = $('finals');
const partial = $('partial');

let socket = null;
let audio = null;
let modelsRetry = null;

// The API key, when the server has keys (Serving:ApiKeys): a bearer header on fetch; the WebSocket cannot
// carry headers from a browser, so the stream gets it as the api_key query parameter.
function apiKey() {
  return $('api-key').value.trim();
}

function authorization() {
  return apiKey() ? { Authorization: `Bearer ${apiKey()}` } : {};
}

async function loadModels() {
  clearTimeout(modelsRetry);
  try {
    const response = await fetch('/v1/models', { headers: authorization() });
    const body = await response.json();
    if (!response.ok) throw new Error(body.error ? body.error.message : response.statusText);
    modelSelect.replaceChildren(...body.data.map((m) => {
      const option = document.createElement('option');
      option.value = m.id;
      option.textContent = m.parent ? `${m.id} (adapter of ${m.parent}, v${m.version})` : m.id;
      return option;
    }));
    $('model-status').textContent = `${body.data.length} model(s) available.`;
  } catch (error) {
    $('model-status').textContent = `Could not list the models: ${error.message}. Retrying…`;
    modelsRetry = setTimeout(loadModels, 2000);
  }
}

function formatTime(seconds) {
  return `${seconds.toFixed(2)} s`;
}

// Every server message of the current stream, for scripts that drive the page.
window.speechServeMessages = [];

function showMessage(message) {
  window.speechServeMessages.push(message);
  if (message.type === 'partial') {
    partial.textContent = message.text;
  } else if (message.type === 'final') {
    partial.textContent = '';
    if (message.text) {
      const item = document.createElement('li');
      const time = document.createElement('span');
      time.className = 'time';
      time.textContent = `${formatTime(message.start)}–${formatTime(message.end)}`;
      item.append(time, document.createTextNode(message.text));
      item.dataset.segment = message.segment;
      finals.append(item);
    }
  } else if (message.type === 'error') {
    streamStatus.textContent = `Error (${message.code}): ${message.message}`;
  } else if (message.type === 'done') {
    streamStatus.textContent = 'Done.';
  }
}

async function start() {
  startButton.disabled = true;
  finals.replaceChildren();
  partial.textContent = '';
  window.speechServeMessages = [];
  try {
    const stream = await navigator.mediaDevices.getUserMedia({ audio: { channelCount: 1, echoCancellation: false, noiseSuppression: false } });
    const context = new AudioContext();
    await context.audioWorklet.addModule('capture-worklet.js');
    const source = context.createMediaStreamSource(stream);
    const node = new AudioWorkletNode(context, 'capture-processor');
    audio = { stream, context, source, node };

    const url = new URL('/v1/audio/stream', location.href);
    url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
    url.searchParams.set('model', modelSelect.value);
    url.searchParams.set('sample_rate', String(context.sampleRate));
    url.searchParams.set('encoding', 'pcm_s16le');
    if (apiKey()) url.searchParams.set('api_key', apiKey());
    socket = new WebSocket(url);
    socket.binaryType = 'arraybuffer';
    socket.onopen = () => {
      streamStatus.textContent = `Listening (${context.sampleRate} Hz)…`;
      stopButton.disabled = false;
      node.port.onmessage = (event) => {
        if (socket && socket.readyState === WebSocket.OPEN) socket.send(event.data);
      };
      source.connect(node);
    };
    socket.onmessage = (event) => showMessage(JSON.parse(event.data));
    socket.onclose = (event) => {
      if (event.code !== 1000) streamStatus.textContent += ` Closed (${event.code}${event.reason ? `: ${event.reason}` : ''}).`;
      stopAudio();
      socket = null;
      startButton.disabled = false;
      stopButton.disabled = true;
    };
  } catch (error) {
    streamStatus.textContent = `Could not start: ${error.message}`;
    stopAudio();
    startButton.disabled = false;
  }
}

function stopAudio() {
  if (!audio) return;
  audio.source.disconnect();
  audio.node.port.onmessage = null;
  audio.stream.getTracks().forEach((t) => t.stop());
  audio.context.close();
  audio = null;
}

function stop() {
  stopButton.disabled = true;
  stopAudio();
  if (socket && socket.readyState === WebSocket.OPEN) {
    socket.send(JSON.stringify({ type: 'end' }));
    streamStatus.textContent = 'Finishing…';
  }
}

async function upload(event) {
  event.preventDefault();
  const file = $('file').files[0];
  if (!file) return;
  const form = new FormData();
  form.append('file', file);
  form.append('model', modelSelect.value);
  form.append('response_format', 'json');
  $('file-status').textContent = 'Transcribing…';
  $('file-result').textContent = '';
  try {
    const response = await fetch('/v1/audio/transcriptions', { method: 'POST', body: form, headers: authorization() });
    const body = await response.json();
    if (!response.ok) throw new Error(body.error ? body.error.message : response.statusText);
    $('file-status').textContent = 'Done.';
    $('file-result').textContent = body.text;
  } catch (error) {
    $('file-status').textContent = `Failed: ${error.message}`;
  }
}

startButton.addEventListener('click', start);
stopButton.addEventListener('click', stop);
$('upload').addEventListener('submit', upload);
$('api-key').addEventListener('change', loadModels);
loadModels();
