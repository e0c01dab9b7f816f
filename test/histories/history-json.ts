import path from 'node:path';
import { patchProtobufRoot, proto } from '../../temporal/sdk-internals';

/**
 * History <-> the JSON of `temporal workflow show --output json`, as the SDK's historyToJSON /
 * historyFromJSON (@temporalio/common/lib/proto-utils) do. Those fail here with "type must be a
 * Type": npm installed protobufjs 8.8.1 three times (under @temporalio/common, /proto and /worker,
 * as @grpc/proto-loader holds the top-level slot with 7.x), and common's ProtoJSON code rejects
 * the message types of proto's copy. This uses the ProtoJSON code of the copy that owns the types.
 */
interface ProtoJson {
  toJson(type: unknown, message: unknown): unknown;
  fromJson(type: unknown, json: unknown, options: { ignoreUnknownFields: boolean }): unknown;
}

type History = proto.temporal.api.history.v1.IHistory;

const protoDir = path.dirname(require.resolve('@temporalio/proto/package.json'));
// eslint-disable-next-line @typescript-eslint/no-require-imports -- resolved at run time from @temporalio/proto's own folder
const protojson = require(
  require.resolve('protobufjs/ext/protojson', { paths: [protoDir] }),
) as ProtoJson;
const historyType = (
  patchProtobufRoot(proto) as unknown as { lookupType(name: string): unknown }
).lookupType('temporal.api.history.v1.History');

export function historyToJSON(history: History): string {
  return JSON.stringify(
    protojson.toJson(historyType, proto.temporal.api.history.v1.History.fromObject(history)),
    null,
    2,
  );
}

export function historyFromJSON(json: unknown): History {
  const loaded = protojson.fromJson(historyType, json, {
    ignoreUnknownFields: true,
  }) as History | null;
  if (!loaded?.events?.length) throw new TypeError('not a workflow history (no events)');
  return loaded;
}
