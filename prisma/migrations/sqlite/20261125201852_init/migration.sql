-- CreateTable
CREATE TABLE "stories" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "primary_character" TEXT NOT NULL,
    "secondary_character" TEXT NOT NULL,
    "combined_characters" TEXT NOT NULL,
    "story_content" TEXT NOT NULL,
    "method" TEXT NOT NULL,
    "generation_time_ms" REAL,
    "input_tokens" INTEGER,
    "output_tokens" INTEGER,
    "total_tokens" INTEGER,
    "request_id" TEXT,
    "transaction_guid" TEXT NOT NULL,
    "provider" TEXT,
    "model" TEXT,
    "estimated_cost_usd" DECIMAL,
    "input_cost_per_1k_tokens" DECIMAL,
    "output_cost_per_1k_tokens" DECIMAL,
    "workflow_id" TEXT NOT NULL,
    "run_id" TEXT,
    "origin" TEXT NOT NULL DEFAULT 'api',
    "batch_id" TEXT,
    "llm_calls" INTEGER NOT NULL DEFAULT 1,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "chat_conversations" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "title" TEXT NOT NULL,
    "method" TEXT NOT NULL,
    "transaction_guid" TEXT NOT NULL,
    "provider" TEXT,
    "model" TEXT,
    "workflow_id" TEXT,
    "origin" TEXT NOT NULL DEFAULT 'api',
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "chat_messages" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "conversation_id" INTEGER NOT NULL,
    "role" TEXT NOT NULL,
    "content" TEXT NOT NULL,
    "method" TEXT,
    "model" TEXT,
    "generation_time_ms" REAL,
    "input_tokens" INTEGER,
    "output_tokens" INTEGER,
    "total_tokens" INTEGER,
    "request_id" TEXT,
    "transaction_guid" TEXT NOT NULL,
    "estimated_cost_usd" DECIMAL,
    "input_cost_per_1k_tokens" DECIMAL,
    "output_cost_per_1k_tokens" DECIMAL,
    "turn_key" TEXT,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "chat_messages_conversation_id_fkey" FOREIGN KEY ("conversation_id") REFERENCES "chat_conversations" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "context_files" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "original_filename" TEXT NOT NULL,
    "file_type" TEXT NOT NULL,
    "file_size_bytes" INTEGER NOT NULL,
    "processed_content" TEXT NOT NULL,
    "processed_content_length" INTEGER NOT NULL,
    "processing_time_ms" REAL NOT NULL,
    "sha256" TEXT NOT NULL,
    "transaction_guid" TEXT NOT NULL,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "context_prompt_executions" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "original_filename" TEXT NOT NULL,
    "file_type" TEXT NOT NULL,
    "file_size_bytes" INTEGER NOT NULL,
    "file_ids" TEXT NOT NULL DEFAULT '',
    "processed_content_length" INTEGER,
    "system_prompt" TEXT NOT NULL,
    "user_prompt" TEXT NOT NULL,
    "final_prompt_length" INTEGER,
    "llm_response" TEXT,
    "method" TEXT NOT NULL,
    "provider" TEXT,
    "model" TEXT,
    "file_processing_time_ms" REAL,
    "llm_execution_time_ms" REAL,
    "total_execution_time_ms" REAL,
    "input_tokens" INTEGER,
    "output_tokens" INTEGER,
    "total_tokens" INTEGER,
    "estimated_cost_usd" DECIMAL,
    "input_cost_per_1k_tokens" DECIMAL,
    "output_cost_per_1k_tokens" DECIMAL,
    "request_id" TEXT,
    "transaction_guid" TEXT NOT NULL,
    "user_ip" TEXT,
    "status" TEXT NOT NULL DEFAULT 'processing',
    "error_message" TEXT,
    "workflow_id" TEXT,
    "origin" TEXT NOT NULL DEFAULT 'api',
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completed_at" DATETIME
);

-- CreateTable
CREATE TABLE "batches" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "workflow_id" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'running',
    "total_items" INTEGER NOT NULL,
    "completed" INTEGER NOT NULL DEFAULT 0,
    "failed" INTEGER NOT NULL DEFAULT 0,
    "concurrency" INTEGER NOT NULL,
    "budget_usd" DECIMAL,
    "spent_usd" DECIMAL NOT NULL DEFAULT 0,
    "total_tokens" INTEGER NOT NULL DEFAULT 0,
    "stop_reason" TEXT,
    "origin" TEXT NOT NULL DEFAULT 'api',
    "spec" TEXT NOT NULL,
    "report" TEXT,
    "transaction_guid" TEXT NOT NULL,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" DATETIME
);

-- CreateTable
CREATE TABLE "llm_call_attempts" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "attempt_key" TEXT NOT NULL,
    "workflow_id" TEXT NOT NULL,
    "run_id" TEXT NOT NULL,
    "workflow_type" TEXT NOT NULL,
    "activity_id" TEXT NOT NULL,
    "activity_type" TEXT NOT NULL,
    "attempt" INTEGER NOT NULL,
    "call_index" INTEGER NOT NULL DEFAULT 0,
    "step" TEXT NOT NULL,
    "framework" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "model" TEXT NOT NULL,
    "input_tokens" INTEGER NOT NULL DEFAULT 0,
    "output_tokens" INTEGER NOT NULL DEFAULT 0,
    "total_tokens" INTEGER NOT NULL DEFAULT 0,
    "cost_usd" DECIMAL NOT NULL DEFAULT 0,
    "latency_ms" REAL NOT NULL,
    "outcome" TEXT NOT NULL,
    "http_status" INTEGER,
    "error_type" TEXT,
    "error_message" TEXT,
    "transaction_guid" TEXT NOT NULL,
    "origin" TEXT NOT NULL DEFAULT 'api',
    "batch_id" TEXT,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
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
