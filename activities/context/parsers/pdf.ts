import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ContextFileError } from './errors';

const PDF_TIMEOUT_MS = 30_000;
const PDF_MEMORY_MB = 512;

/**
 * Runs in a worker thread (plain Node): unpdf ships PDF.js as an ES module loaded with a dynamic
 * import, which works there whether the caller is the compiled API, the worker or Jest's CommonJS
 * sandbox. The thread also keeps a large PDF's CPU time and memory off the API's event loop.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
(async () => {
  try {
    const { getDocumentProxy, extractText } = await import(workerData.unpdfUrl);
    const doc = await getDocumentProxy(workerData.bytes, { verbosity: 0 });
    try {
      const { text } = await extractText(doc, { mergePages: false });
      parentPort.postMessage({ pages: text });
    } finally {
      await doc.destroy();
    }
  } catch (err) {
    parentPort.postMessage({ error: { name: String(err && err.name), message: String(err && err.message) } });
  }
})();
`;

interface WorkerReply {
  pages?: string[];
  error?: { name: string; message: string };
}

function unpdfUrl(): string {
  return pathToFileURL(path.join(path.dirname(require.resolve('unpdf')), 'index.mjs')).href;
}

function extractPages(bytes: Uint8Array): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      // A copy: PDF.js detaches the buffer it is given.
      workerData: { bytes: new Uint8Array(bytes), unpdfUrl: unpdfUrl() },
      resourceLimits: { maxOldGenerationSizeMb: PDF_MEMORY_MB },
      stdout: true,
      stderr: true,
    });
    // Nothing is printed with verbosity 0; drained anyway so a chatty page can never stall it.
    worker.stdout.resume();
    worker.stderr.resume();
    const timer = setTimeout(() => {
      void worker.terminate();
      reject(new ContextFileError(`PDF could not be read within ${PDF_TIMEOUT_MS / 1000} s`));
    }, PDF_TIMEOUT_MS);
    const done = () => clearTimeout(timer);
    worker.once('message', (reply: WorkerReply) => {
      done();
      void worker.terminate();
      if (reply.pages) return resolve(reply.pages);
      const e = reply.error ?? { name: 'Error', message: 'unknown error' };
      reject(
        new ContextFileError(
          e.name === 'PasswordException'
            ? 'PDF is password-protected'
            : `Could not read PDF: ${e.message}`,
        ),
      );
    });
    worker.once('error', (err) => {
      done();
      reject(new ContextFileError(`Could not read PDF: ${err.message}`));
    });
    worker.once('exit', (code) => {
      done();
      reject(new ContextFileError(`Could not read PDF (reader exited with code ${code})`));
    });
  });
}

function hasPdfSignature(bytes: Uint8Array): boolean {
  // The spec allows bytes before the header; readers look in the first kilobyte.
  return Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 1024)).includes(
    '%PDF-',
  );
}

/** Text of each page that has any, as `--- Page n ---` sections. Image-only PDFs are refused. */
export async function parsePdf(bytes: Uint8Array): Promise<string> {
  if (!hasPdfSignature(bytes))
    throw new ContextFileError('File is not a valid PDF (no %PDF header)');
  const sections = (await extractPages(bytes))
    .map((text, i) => ({ n: i + 1, text: text.trim() }))
    .filter((p) => p.text !== '')
    .map((p) => `--- Page ${p.n} ---\n${p.text}`);
  if (sections.length === 0)
    throw new ContextFileError('Could not extract text from PDF (may be image-based)');
  return sections.join('\n\n');
}
