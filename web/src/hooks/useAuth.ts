import { useSyncExternalStore } from 'react';
import { getApiKey, isKeyNeeded, subscribeAuth } from '../api/auth';

/** Whether a key is stored and whether the API has asked for one (401). */
export function useAuth(): { hasKey: boolean; keyNeeded: boolean } {
  const hasKey = useSyncExternalStore(subscribeAuth, () => Boolean(getApiKey()));
  const keyNeeded = useSyncExternalStore(subscribeAuth, isKeyNeeded);
  return { hasKey, keyNeeded };
}
