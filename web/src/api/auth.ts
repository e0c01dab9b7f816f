/**
 * The API key the web app sends (X-API-Key) when the API has API_KEYS / ADMIN_API_KEYS set.
 * Kept in this browser's localStorage; with no keys configured on the server, none is needed.
 */
const STORAGE_KEY = 'quillflow.apiKey';
type Listener = () => void;
const listeners = new Set<Listener>();
let keyNeeded = false;

function storage(): Storage | undefined {
  try {
    return globalThis.localStorage;
  } catch {
    return undefined; // storage disabled
  }
}

export function getApiKey(): string | undefined {
  return storage()?.getItem(STORAGE_KEY) ?? undefined;
}

export function setApiKey(key: string | undefined): void {
  if (key) storage()?.setItem(STORAGE_KEY, key);
  else storage()?.removeItem(STORAGE_KEY);
  keyNeeded = false;
  listeners.forEach((l) => l());
}

/** Called when the API answered 401: the UI asks for a key. */
export function signalKeyNeeded(): void {
  if (keyNeeded) return;
  keyNeeded = true;
  listeners.forEach((l) => l());
}

export function isKeyNeeded(): boolean {
  return keyNeeded;
}

export function subscribeAuth(l: Listener): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}
