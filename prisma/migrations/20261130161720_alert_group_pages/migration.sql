-- The page an alert group caused (on-call's pages); the page may be deleted, the group stays.
-- AddForeignKey
ALTER TABLE "alert_groups" ADD CONSTRAINT "alert_groups_page_id_fkey" FOREIGN KEY ("page_id") REFERENCES "pages"("id") ON DELETE SET NULL ON UPDATE CASCADE;
