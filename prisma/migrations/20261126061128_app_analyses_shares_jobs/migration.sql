-- CreateTable
CREATE TABLE "analysis" (
    "id" TEXT NOT NULL,
    "owner_id" TEXT,
    "anon_key_hash" TEXT,
    "title" TEXT NOT NULL,
    "note" TEXT NOT NULL DEFAULT '',
    "format" TEXT NOT NULL,
    "format_name" TEXT NOT NULL,
    "input_bytes" INTEGER NOT NULL,
    "sha256" TEXT NOT NULL,
    "message_count" INTEGER NOT NULL,
    "call_count" INTEGER NOT NULL,
    "finding_count" INTEGER NOT NULL,
    "result_gz" BYTEA NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMP(3),

    CONSTRAINT "analysis_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "analysis_finding" (
    "id" BIGSERIAL NOT NULL,
    "analysis_id" TEXT NOT NULL,
    "finding_id" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "severity" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "call_ids" TEXT[],

    CONSTRAINT "analysis_finding_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "analysis_input_chunk" (
    "analysis_id" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "data" BYTEA NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "analysis_input_chunk_pkey" PRIMARY KEY ("analysis_id","seq")
);

-- CreateTable
CREATE TABLE "share" (
    "id" TEXT NOT NULL,
    "analysis_id" TEXT NOT NULL,
    "token_hash" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "redacted" BOOLEAN NOT NULL,
    "focus_finding_id" TEXT,
    "focus_message_index" INTEGER,
    "snapshot_gz" BYTEA NOT NULL,
    "views" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMP(3),
    "revoked_at" TIMESTAMP(3),

    CONSTRAINT "share_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "analysis_job" (
    "id" TEXT NOT NULL,
    "analysis_id" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "owner_id" TEXT,
    "anon_key_hash" TEXT,
    "title" TEXT NOT NULL,
    "sha256" TEXT NOT NULL,
    "total_bytes" INTEGER NOT NULL,
    "bytes_read" INTEGER NOT NULL DEFAULT 0,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "locked_by" TEXT,
    "locked_until" TIMESTAMP(3),
    "error_code" TEXT,
    "error_message" TEXT,
    "error_tried" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMP(3),

    CONSTRAINT "analysis_job_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "app_setting" (
    "key" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "app_setting_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "analysis_owner_id_created_at_id_idx" ON "analysis"("owner_id", "created_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "analysis_anon_key_hash_idx" ON "analysis"("anon_key_hash");

-- CreateIndex
CREATE INDEX "analysis_expires_at_idx" ON "analysis"("expires_at");

-- CreateIndex
CREATE INDEX "analysis_finding_code_analysis_id_idx" ON "analysis_finding"("code", "analysis_id");

-- CreateIndex
CREATE INDEX "analysis_finding_severity_idx" ON "analysis_finding"("severity");

-- CreateIndex
CREATE UNIQUE INDEX "analysis_finding_analysis_id_finding_id_key" ON "analysis_finding"("analysis_id", "finding_id");

-- CreateIndex
CREATE UNIQUE INDEX "share_token_hash_key" ON "share"("token_hash");

-- CreateIndex
CREATE INDEX "share_analysis_id_created_at_idx" ON "share"("analysis_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "analysis_job_analysis_id_key" ON "analysis_job"("analysis_id");

-- CreateIndex
CREATE INDEX "analysis_job_status_locked_until_idx" ON "analysis_job"("status", "locked_until");

-- CreateIndex
CREATE INDEX "analysis_job_anon_key_hash_idx" ON "analysis_job"("anon_key_hash");

-- AddForeignKey
ALTER TABLE "analysis" ADD CONSTRAINT "analysis_owner_id_fkey" FOREIGN KEY ("owner_id") REFERENCES "user"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "analysis_finding" ADD CONSTRAINT "analysis_finding_analysis_id_fkey" FOREIGN KEY ("analysis_id") REFERENCES "analysis"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "share" ADD CONSTRAINT "share_analysis_id_fkey" FOREIGN KEY ("analysis_id") REFERENCES "analysis"("id") ON DELETE CASCADE ON UPDATE CASCADE;
