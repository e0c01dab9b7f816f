import { ApplicationFailure } from '@temporalio/common';
import {
  CONTEXT_FILES_NOT_FOUND,
  type ContextAnswer,
  type RunContextPromptInput,
} from '../../common/context-workflow-types';
import type { ActivityDeps } from '../deps';
import { frameworkImpl, type FrameworkRegistry } from '../frameworks/registry';
import { currentCallContext } from '../llm/call-context';
import { textBound } from '../llm/cost-estimate';
import { auditedLlmCall } from '../llm/llm-call';
import { assertRequestBounds, requestLimits } from '../llm/request-bounds';
import {
  combineFiles,
  contextBoundedRequest,
  filesNotFoundMessage,
  fillContext,
  missingIds,
} from './build-context';

/**
 * Reads the files' text from the database, fills `[context]` and makes the one audited LLM call
 * through the chosen framework (one activity type for all of them: a run's framework is in its
 * input and search attributes). The text never leaves this activity: only the answer and its
 * usage go back to the workflow.
 */
export function contextPromptRunner(deps: ActivityDeps, frameworks: FrameworkRegistry) {
  const limits = requestLimits(deps.config, deps.pricing);

  return {
    async runContextPrompt(input: RunContextPromptInput): Promise<ContextAnswer> {
      const ctx = currentCallContext(input);
      const framework = frameworkImpl(frameworks, input.framework);
      const files = await deps.prisma.contextFile.findMany({
        where: { id: { in: input.fileIds } },
        select: { id: true, originalFilename: true, processedContent: true },
      });
      const missing = missingIds(input.fileIds, files);
      if (missing.length > 0)
        throw ApplicationFailure.nonRetryable(
          filesNotFoundMessage(missing),
          CONTEXT_FILES_NOT_FOUND,
        );
      const byId = new Map(files.map((f) => [f.id, f]));
      const context = combineFiles(input.fileIds.map((id) => byId.get(id)!));
      // Before the prompt is built (k placeholders = k copies of the text) and before any call.
      assertRequestBounds(
        limits,
        contextBoundedRequest(limits, input.systemPrompt, input.userPrompt, textBound([context])),
      );
      const system = fillContext(input.systemPrompt, context);

      const r = await auditedLlmCall(
        deps,
        ctx,
        { step: 'context', framework: input.framework, callIndex: 0 },
        (route) => framework.context({ route, system, user: input.userPrompt, signal: ctx.signal }),
      );
      return {
        text: r.text,
        provider: r.provider,
        model: r.model,
        finalPromptLength: system.length,
        llmExecutionTimeMs: Math.round(r.latencyMs * 100) / 100,
        inputTokens: r.inputTokens,
        outputTokens: r.outputTokens,
        totalTokens: r.totalTokens,
        costUsd: r.costUsd,
        inputCostPer1k: r.inputCostPer1k,
        outputCostPer1k: r.outputCostPer1k,
        ...(r.deferredAudit ? { deferredAudit: r.deferredAudit } : {}),
      };
    },
  };
}
