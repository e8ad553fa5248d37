using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Callback.Web.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class PatrolReasonCodes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "PatrolReasonCode",
                table: "Cases",
                type: "INTEGER",
                nullable: true);

            // Before this migration the reason was one English sentence of ours, shown as-is on French pages. The known
            // sentences become codes (pages translate them); what a person wrote stays as the note. Anything else was
            // typed by an officer asking for a patrol. Codes: 0 DangerAtReview, 1 DangerDuringCall, 2 MaxAttemptsReached,
            // 3 ContactDeadlineElapsed, 4 RequestedByOfficer (Callback.Domain.Cases.PatrolReason).
            migrationBuilder.Sql("""
                UPDATE "Cases" SET "PatrolReasonCode" = 3, "PatrolReason" = NULL WHERE "PatrolReason" = 'contact deadline elapsed';
                UPDATE "Cases" SET "PatrolReasonCode" = 1, "PatrolReason" = NULL WHERE "PatrolReason" = 'danger during the call';
                UPDATE "Cases" SET "PatrolReasonCode" = 2, "PatrolReason" = NULL WHERE "PatrolReason" LIKE '% attempts without contact';
                UPDATE "Cases" SET "PatrolReasonCode" = 0, "PatrolReason" = NULL WHERE "PatrolReason" = 'immediate danger at review';
                UPDATE "Cases" SET "PatrolReasonCode" = 0, "PatrolReason" = substr("PatrolReason", 29) WHERE "PatrolReason" LIKE 'immediate danger at review: %';
                UPDATE "Cases" SET "PatrolReasonCode" = 4 WHERE "PatrolReasonCode" IS NULL AND "PatrolReason" IS NOT NULL;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Back to sentences, as near as can be: the row's attempt count stands for the number at the time.
            migrationBuilder.Sql("""
                UPDATE "Cases" SET "PatrolReason" = 'contact deadline elapsed' WHERE "PatrolReasonCode" = 3;
                UPDATE "Cases" SET "PatrolReason" = 'danger during the call' WHERE "PatrolReasonCode" = 1;
                UPDATE "Cases" SET "PatrolReason" = "AttemptCount" || ' attempts without contact' WHERE "PatrolReasonCode" = 2;
                UPDATE "Cases" SET "PatrolReason" = CASE WHEN "PatrolReason" IS NULL THEN 'immediate danger at review' ELSE 'immediate danger at review: ' || "PatrolReason" END WHERE "PatrolReasonCode" = 0;
                """);

            migrationBuilder.DropColumn(
                name: "PatrolReasonCode",
                table: "Cases");
        }
    }
}
