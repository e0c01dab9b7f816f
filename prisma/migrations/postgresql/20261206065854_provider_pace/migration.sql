-- CreateTable
CREATE TABLE "provider_pace" (
    "key" TEXT NOT NULL,
    "next_at_ms" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "provider_pace_pkey" PRIMARY KEY ("key")
);
