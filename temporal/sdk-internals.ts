/**
 * The Temporal SDK beyond its package roots, in one place: deep `lib/` paths (not its public
 * API, so any release may move them) and the protobuf types of `@temporalio/proto`. An SDK
 * upgrade that moves one breaks this file and nothing else; ESLint keeps other files off these
 * paths.
 *
 * Workflow code reaches this file only through type imports (temporal/search-attributes.ts),
 * which are erased from the workflow bundle.
 */
export { executionInfoFromRaw } from '@temporalio/client/lib/helpers';
export { decodeArrayFromPayloads } from '@temporalio/common/lib/internal-non-workflow';
export {
  encodeSearchAttributeIndexedValueType,
  type SearchAttributeKey,
} from '@temporalio/common/lib/search-attributes';
export { msNumberToTs, msToTs, optionalTsToMs } from '@temporalio/common/lib/time';
export { patchProtobufRoot } from '@temporalio/proto/lib/patch-protobuf-root';
/** The service's protobuf namespace (`temporal.api.*`): history events, enums. */
export * as proto from '@temporalio/proto';
export { temporal } from '@temporalio/proto';
