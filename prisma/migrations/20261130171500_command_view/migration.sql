-- AlterTable
ALTER TABLE "incidents" ADD COLUMN     "merged_at" TIMESTAMPTZ(3),
ADD COLUMN     "merged_into_id" UUID;

-- AlterTable
ALTER TABLE "postmortem_sections" ADD COLUMN     "prompt" TEXT;

-- AlterTable
ALTER TABLE "remediation_actions" ADD COLUMN     "services" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "tags" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- CreateTable
CREATE TABLE "attachments" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "incident_id" UUID NOT NULL,
    "uploaded_by_id" UUID,
    "filename" TEXT NOT NULL,
    "content_type" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "sha256" TEXT NOT NULL,
    "data" BYTEA NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "attachments_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "mention_notifications" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "incident_id" UUID NOT NULL,
    "event_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "subject" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "status" "DeliveryStatus" NOT NULL DEFAULT 'pending',
    "attempt_count" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3),
    "last_error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completed_at" TIMESTAMPTZ(3),

    CONSTRAINT "mention_notifications_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "attachments_incident_id_created_at_idx" ON "attachments"("incident_id", "created_at");

-- CreateIndex
CREATE INDEX "mention_notifications_incident_id_created_at_idx" ON "mention_notifications"("incident_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "mention_notifications_event_id_user_id_key" ON "mention_notifications"("event_id", "user_id");

-- AddForeignKey
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_merged_into_id_fkey" FOREIGN KEY ("merged_into_id") REFERENCES "incidents"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "attachments" ADD CONSTRAINT "attachments_incident_id_fkey" FOREIGN KEY ("incident_id") REFERENCES "incidents"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "attachments" ADD CONSTRAINT "attachments_uploaded_by_id_fkey" FOREIGN KEY ("uploaded_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "mention_notifications" ADD CONSTRAINT "mention_notifications_incident_id_fkey" FOREIGN KEY ("incident_id") REFERENCES "incidents"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "mention_notifications" ADD CONSTRAINT "mention_notifications_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Review hints were saved as the text of the sections people write: an untouched one keeps its
-- hint as the prompt (a placeholder) and starts empty, so typing no longer appends to a hint.
UPDATE "postmortem_sections"
   SET "prompt" = regexp_replace("body", '^_(.*)_$', '\1'), "body" = ''
 WHERE "generated" = false AND "edited" = false;
