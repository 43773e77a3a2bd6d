// Runs on the audio thread: converts each 128-sample render quantum to 16-bit PCM at the context's rate
// and posts ~100 ms batches to the page, which sends them as binary WebSocket frames.
class CaptureProcessor extends AudioWorkletProcessor {
  constructor() {
    super();
    this.batch = new Int16Array(Math.round(sampleRate / 10));
    this.filled = 0;
  }

  process(inputs) {
    const channel = inputs[0] && inputs[0][0];
    if (channel) {
      for (let i = 0; i < channel.length; i++) {
        const s = Math.max(-1, Math.min(1, channel[i]));
        this.batch[this.filled++] = s < 0 ? s * 32768 : s * 32767;
        if (this.filled === this.batch.length) {
          this.port.postMessage(this.batch.buffer.slice(0));
          this.filled = 0;
        }
      }
    }
    return true;
  }
}

registerProcessor('capture-processor', CaptureProcessor);
