/** The ports of a cluster's four service processes. */
import { isPortFree } from '../dev-server/ports';

export const CLUSTER_SERVICES = ['frontend', 'history', 'matching', 'worker'] as const;
export type ClusterService = (typeof CLUSTER_SERVICES)[number];

/** gRPC and membership port of each service, plus the frontend's HTTP API. */
export interface ClusterPorts {
  frontendHttp: number;
  grpc: Record<ClusterService, number>;
  membership: Record<ClusterService, number>;
}

/** The ports of config/docker.yaml's defaults (7233 frontend, 6933 its membership, ...). */
export const DEFAULT_CLUSTER_PORTS: ClusterPorts = {
  frontendHttp: 7243,
  grpc: { frontend: 7233, history: 7234, matching: 7235, worker: 7239 },
  membership: { frontend: 6933, history: 6934, matching: 6935, worker: 6939 },
};

/**
 * Free ports for a second cluster beside others (tests). Below 32768: the membership table keeps
 * ports as a PostgreSQL smallint, and the kernel's ephemeral ports lie above it.
 */
export async function freeClusterPorts(host = '127.0.0.1'): Promise<ClusterPorts> {
  const taken = new Set<number>();
  const pick = async (): Promise<number> => {
    for (;;) {
      const port = 10_000 + Math.floor(Math.random() * 22_000);
      if (taken.has(port) || !(await isPortFree(host, port))) continue;
      taken.add(port);
      return port;
    }
  };
  const per = async (): Promise<Record<ClusterService, number>> => {
    const out = {} as Record<ClusterService, number>;
    for (const s of CLUSTER_SERVICES) out[s] = await pick();
    return out;
  };
  return { frontendHttp: await pick(), grpc: await per(), membership: await per() };
}

/** The docker.yaml defaults moved along with the frontend port, so two clusters can sit side by side. */
export function shiftedClusterPorts(frontend: number): ClusterPorts {
  const shift = frontend - DEFAULT_CLUSTER_PORTS.grpc.frontend;
  const move = (r: Record<ClusterService, number>): Record<ClusterService, number> => ({
    frontend: r.frontend + shift,
    history: r.history + shift,
    matching: r.matching + shift,
    worker: r.worker + shift,
  });
  return {
    frontendHttp: DEFAULT_CLUSTER_PORTS.frontendHttp + shift,
    grpc: move(DEFAULT_CLUSTER_PORTS.grpc),
    membership: move(DEFAULT_CLUSTER_PORTS.membership),
  };
}
