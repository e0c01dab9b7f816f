-- CreateTable
CREATE TABLE "stories" (
    "id" SERIAL NOT NULL,
    "primary_character" VARCHAR(100) NOT NULL,
    "secondary_character" VARCHAR(100) NOT NULL,
    "combined_characters" VARCHAR(205) NOT NULL,
    "story_content" TEXT NOT NULL,
    "method" VARCHAR(50) NOT NULL,
    "generation_time_ms" DOUBLE PRECISION,
    "input_tokens" INTEGER,
    "output_tokens" INTEGER,
    "total_tokens" INTEGER,
    "request_id" VARCHAR(64),
    "transaction_guid" VARCHAR(64) NOT NULL,
    "provider" VARCHAR(50),
    "model" VARCHAR(100),
    "estimated_cost_usd" DECIMAL(14,6),
    "input_cost_per_1k_tokens" DECIMAL(10,6),
    "output_cost_per_1k_tokens" DECIMAL(10,6),
    "workflow_id" VARCHAR(200) NOT NULL,
    "run_id" VARCHAR(64),
    "origin" VARCHAR(20) NOT NULL DEFAULT 'api',
    "batch_id" VARCHAR(100),
    "llm_calls" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "stories_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "chat_conversations" (
    "id" SERIAL NOT NULL,
    "title" VARCHAR(200) NOT NULL,
    "method" VARCHAR(50) NOT NULL,
    "transaction_guid" VARCHAR(64) NOT NULL,
    "provider" VARCHAR(50),
    "model" VARCHAR(100),
    "workflow_id" VARCHAR(200),
    "origin" VARCHAR(20) NOT NULL DEFAULT 'api',
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "chat_conversations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "chat_messages" (
    "id" SERIAL NOT NULL,
    "conversation_id" INTEGER NOT NULL,
    "role" VARCHAR(20) NOT NULL,
    "content" TEXT NOT NULL,
    "method" VARCHAR(50),
    "model" VARCHAR(100),
    "generation_time_ms" DOUBLE PRECISION,
    "input_tokens" INTEGER,
    "output_tokens" INTEGER,
    "total_tokens" INTEGER,
    "request_id" VARCHAR(64),
    "transaction_guid" VARCHAR(64) NOT NULL,
    "estimated_cost_usd" DECIMAL(14,6),
    "input_cost_per_1k_tokens" DECIMAL(10,6),
    "output_cost_per_1k_tokens" DECIMAL(10,6),
    "turn_key" VARCHAR(250),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "chat_messages_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "context_files" (
    "id" VARCHAR(36) NOT NULL,
    "original_filename" VARCHAR(255) NOT NULL,
    "file_type" VARCHAR(10) NOT NULL,
    "file_size_bytes" INTEGER NOT NULL,
    "processed_content" TEXT NOT NULL,
    "processed_content_length" INTEGER NOT NULL,
    "processing_time_ms" DOUBLE PRECISION NOT NULL,
    "sha256" VARCHAR(64) NOT NULL,
    "transaction_guid" VARCHAR(64) NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "context_files_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "context_prompt_executions" (
    "id" SERIAL NOT NULL,
    "original_filename" VARCHAR(2000) NOT NULL,
    "file_type" VARCHAR(10) NOT NULL,
    "file_size_bytes" INTEGER NOT NULL,
    "file_ids" TEXT NOT NULL DEFAULT '',
    "processed_content_length" INTEGER,
    "system_prompt" TEXT NOT NULL,
    "user_prompt" TEXT NOT NULL,
    "final_prompt_length" INTEGER,
    "llm_response" TEXT,
    "method" VARCHAR(50) NOT NULL,
    "provider" VARCHAR(50),
    "model" VARCHAR(100),
    "file_processing_time_ms" DOUBLE PRECISION,
    "llm_execution_time_ms" DOUBLE PRECISION,
    "total_execution_time_ms" DOUBLE PRECISION,
    "input_tokens" INTEGER,
    "output_tokens" INTEGER,
    "total_tokens" INTEGER,
    "estimated_cost_usd" DECIMAL(14,6),
    "input_cost_per_1k_tokens" DECIMAL(10,6),
    "output_cost_per_1k_tokens" DECIMAL(10,6),
    "request_id" VARCHAR(64),
    "transaction_guid" VARCHAR(64) NOT NULL,
    "user_ip" VARCHAR(45),
    "status" VARCHAR(20) NOT NULL DEFAULT 'processing',
    "error_message" TEXT,
    "workflow_id" VARCHAR(200),
    "origin" VARCHAR(20) NOT NULL DEFAULT 'api',
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completed_at" TIMESTAMP(3),

    CONSTRAINT "context_prompt_executions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "batches" (
    "id" VARCHAR(100) NOT NULL,
    "workflow_id" VARCHAR(200) NOT NULL,
    "status" VARCHAR(20) NOT NULL DEFAULT 'running',
    "total_items" INTEGER NOT NULL,
    "completed" INTEGER NOT NULL DEFAULT 0,
    "failed" INTEGER NOT NULL DEFAULT 0,
    "concurrency" INTEGER NOT NULL,
    "budget_usd" DECIMAL(14,6),
    "spent_usd" DECIMAL(14,6) NOT NULL DEFAULT 0,
    "total_tokens" INTEGER NOT NULL DEFAULT 0,
    "stop_reason" VARCHAR(50),
    "origin" VARCHAR(20) NOT NULL DEFAULT 'api',
    "spec" TEXT NOT NULL,
    "report" TEXT,
    "transaction_guid" VARCHAR(64) NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMP(3),

    CONSTRAINT "batches_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "llm_call_attempts" (
    "id" SERIAL NOT NULL,
    "attempt_key" VARCHAR(400) NOT NULL,
    "workflow_id" VARCHAR(200) NOT NULL,
    "run_id" VARCHAR(64) NOT NULL,
    "workflow_type" VARCHAR(100) NOT NULL,
    "activity_id" VARCHAR(100) NOT NULL,
    "activity_type" VARCHAR(100) NOT NULL,
    "attempt" INTEGER NOT NULL,
    "call_index" INTEGER NOT NULL DEFAULT 0,
    "step" VARCHAR(50) NOT NULL,
    "framework" VARCHAR(50) NOT NULL,
    "provider" VARCHAR(50) NOT NULL,
    "model" VARCHAR(100) NOT NULL,
    "input_tokens" INTEGER NOT NULL DEFAULT 0,
    "output_tokens" INTEGER NOT NULL DEFAULT 0,
    "total_tokens" INTEGER NOT NULL DEFAULT 0,
    "cost_usd" DECIMAL(14,6) NOT NULL DEFAULT 0,
    "latency_ms" DOUBLE PRECISION NOT NULL,
    "outcome" VARCHAR(20) NOT NULL,
    "http_status" INTEGER,
    "error_type" VARCHAR(100),
    "error_message" TEXT,
    "transaction_guid" VARCHAR(64) NOT NULL,
    "origin" VARCHAR(20) NOT NULL DEFAULT 'api',
    "batch_id" VARCHAR(100),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "llm_call_attempts_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "stories_workflow_id_key" ON "stories"("workflow_id");

-- CreateIndex
CREATE INDEX "stories_transaction_guid_idx" ON "stories"("transaction_guid");

-- CreateIndex
CREATE INDEX "stories_created_at_idx" ON "stories"("created_at");

-- CreateIndex
CREATE INDEX "stories_batch_id_idx" ON "stories"("batch_id");

-- CreateIndex
CREATE UNIQUE INDEX "chat_conversations_workflow_id_key" ON "chat_conversations"("workflow_id");

-- CreateIndex
CREATE INDEX "chat_conversations_transaction_guid_idx" ON "chat_conversations"("transaction_guid");

-- CreateIndex
CREATE INDEX "chat_conversations_updated_at_idx" ON "chat_conversations"("updated_at");

-- CreateIndex
CREATE UNIQUE INDEX "chat_messages_turn_key_key" ON "chat_messages"("turn_key");

-- CreateIndex
CREATE INDEX "chat_messages_conversation_id_created_at_idx" ON "chat_messages"("conversation_id", "created_at");

-- CreateIndex
CREATE INDEX "chat_messages_transaction_guid_idx" ON "chat_messages"("transaction_guid");

-- CreateIndex
CREATE UNIQUE INDEX "context_prompt_executions_workflow_id_key" ON "context_prompt_executions"("workflow_id");

-- CreateIndex
CREATE INDEX "context_prompt_executions_transaction_guid_idx" ON "context_prompt_executions"("transaction_guid");

-- CreateIndex
CREATE INDEX "context_prompt_executions_created_at_idx" ON "context_prompt_executions"("created_at");

-- CreateIndex
CREATE UNIQUE INDEX "batches_workflow_id_key" ON "batches"("workflow_id");

-- CreateIndex
CREATE INDEX "batches_created_at_idx" ON "batches"("created_at");

-- CreateIndex
CREATE UNIQUE INDEX "llm_call_attempts_attempt_key_key" ON "llm_call_attempts"("attempt_key");

-- CreateIndex
CREATE INDEX "llm_call_attempts_workflow_id_idx" ON "llm_call_attempts"("workflow_id");

-- CreateIndex
CREATE INDEX "llm_call_attempts_created_at_idx" ON "llm_call_attempts"("created_at");

-- CreateIndex
CREATE INDEX "llm_call_attempts_transaction_guid_idx" ON "llm_call_attempts"("transaction_guid");

-- AddForeignKey
ALTER TABLE "chat_messages" ADD CONSTRAINT "chat_messages_conversation_id_fkey" FOREIGN KEY ("conversation_id") REFERENCES "chat_conversations"("id") ON DELETE CASCADE ON UPDATE CASCADE;
