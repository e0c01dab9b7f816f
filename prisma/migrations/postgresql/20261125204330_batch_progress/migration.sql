-- AlterTable
ALTER TABLE "batches" ADD COLUMN     "cancelled" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- CreateIndex
CREATE INDEX "llm_call_attempts_batch_id_idx" ON "llm_call_attempts"("batch_id");
