-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_batches" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "workflow_id" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'running',
    "total_items" INTEGER NOT NULL,
    "completed" INTEGER NOT NULL DEFAULT 0,
    "failed" INTEGER NOT NULL DEFAULT 0,
    "cancelled" INTEGER NOT NULL DEFAULT 0,
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
    "finished_at" DATETIME,
    "updated_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
INSERT INTO "new_batches" ("budget_usd", "completed", "concurrency", "created_at", "failed", "finished_at", "id", "origin", "report", "spec", "spent_usd", "status", "stop_reason", "total_items", "total_tokens", "transaction_guid", "workflow_id") SELECT "budget_usd", "completed", "concurrency", "created_at", "failed", "finished_at", "id", "origin", "report", "spec", "spent_usd", "status", "stop_reason", "total_items", "total_tokens", "transaction_guid", "workflow_id" FROM "batches";
DROP TABLE "batches";
ALTER TABLE "new_batches" RENAME TO "batches";
CREATE UNIQUE INDEX "batches_workflow_id_key" ON "batches"("workflow_id");
CREATE INDEX "batches_created_at_idx" ON "batches"("created_at");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "llm_call_attempts_batch_id_idx" ON "llm_call_attempts"("batch_id");
