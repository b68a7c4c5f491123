// Shared by the WebRTC scripts: Chromium with a fake microphone playing a WAV, a capture of a
// page's received audio through Web Audio (16 kHz mono) saved as a 16-bit WAV.

export async function launchWithMicrophone(chromium, microphone) {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream',
      '--use-file-for-fake-audio-capture=' + microphone,
      '--autoplay-policy=no-user-gesture-required',
    ],
  });
}

// Starts recording the page's MediaStream at `window[owner].remoteStream`.
export async function startCapture(page, owner) {
  await page.evaluate(async (owner) => {
    const stream = window[owner].remoteStream;
    const context = new AudioContext({ sampleRate: 16000 });
    await context.resume();
    const source = context.createMediaStreamSource(stream);
    const processor = context.createScriptProcessor(4096, 1, 1);
    window.captured = [];
    processor.onaudioprocess = (event) => {
      window.captured.push(Float32Array.from(event.inputBuffer.getChannelData(0)));
    };
    source.connect(processor);
    processor.connect(context.destination);
    window.captureNodes = { context, source, processor };
  }, owner);
}

// Writes what was captured so far to `path` as a 16 kHz mono 16-bit WAV.
export async function saveCapture(page, path, writeFileSync) {
  const samples = await page.evaluate(() => {
    const all = [];
    for (const block of window.captured) for (const sample of block) {
      all.push(Math.max(-32768, Math.min(32767, Math.round(sample * 32767))));
    }
    return all;
  });
  const data = Buffer.alloc(samples.length * 2);
  samples.forEach((sample, index) => data.writeInt16LE(sample, index * 2));
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVE', 8);
  header.write('fmt ', 12);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(16000, 24);
  header.writeUInt32LE(32000, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36);
  header.writeUInt32LE(data.length, 40);
  writeFileSync(path, Buffer.concat([header, data]));
}
