// The fixed audio set: sentences spoken by espeak-ng, converted by ffmpeg to 16 kHz mono 16-bit WAV.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

export const SENTENCES = [
  'please schedule a follow up visit for next tuesday morning',
  'the patient reports mild headaches and some dizziness',
  'turn left at the second traffic light and keep going',
  'the meeting has been moved to three o clock on friday',
  'she bought fresh bread and a bottle of milk at the corner shop',
  'our train was delayed by twenty minutes because of the snow',
  'could you send me the report before the end of the day',
  'the children played in the garden until it started to rain',
  'he forgot his keys on the kitchen table this morning',
  'the library opens at nine and closes at six',
  'we need to order more paper for the printer',
  'the weather will be sunny with a light breeze in the afternoon',
];

/** Writes one WAV per sentence into `directory`; returns [{ name, path, bytes, sentence }]. */
export function synthesise(directory) {
  return SENTENCES.map((sentence, i) => {
    const name = `s${String(i + 1).padStart(2, '0')}`;
    const raw = path.join(directory, `${name}-espeak.wav`);
    const wav = path.join(directory, `${name}.wav`);
    execFileSync('espeak-ng', ['-v', 'en-us', '-w', raw, sentence]);
    execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-i', raw, '-ac', '1', '-ar', '16000', '-c:a', 'pcm_s16le', wav]);
    return { name, path: wav, bytes: readFileSync(wav), sentence };
  });
}
