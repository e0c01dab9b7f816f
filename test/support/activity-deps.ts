// Shared by the activity specs that build ActivityDeps by hand (activities/**/*.spec.ts).
import { loadConfig } from '../../common/config';

/** A provider nobody listens on: these specs make their calls in-process, never over HTTP. */
export const offlineProviderConfig = () =>
  loadConfig({
    PROVIDER_NAME: 'simulator',
    PROVIDER_API_KEY: 'k',
    PROVIDER_API_BASE_URL: 'http://127.0.0.1:1/v1',
    PROVIDER_MODEL: 'quillflow-sim-1',
  });

export const quietLogger = { warn: () => undefined, error: () => undefined, info: () => undefined };
