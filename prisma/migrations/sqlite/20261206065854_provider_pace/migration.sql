-- CreateTable
CREATE TABLE "provider_pace" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "next_at_ms" REAL NOT NULL
);
