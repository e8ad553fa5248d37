using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Callback.Web.Persistence.Migrations.Sqlite
{
    /// <summary>Reasons hashed apart from the entry (AuditEntry.ReasonDigest), so retention can erase their text.</summary>
    public partial class AuditReasonDigests : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ReasonDigest",
                table: "AuditEntries",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ReasonSalt",
                table: "AuditEntries",
                type: "TEXT",
                maxLength: 32,
                nullable: true);

            // The one update an audit entry may take: its reason's text and salt erased (retention), everything else,
            // the digest included, unchanged. Any other update is still refused.
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS audit_entries_no_update;");
            migrationBuilder.Sql("CREATE TRIGGER audit_entries_no_update BEFORE UPDATE ON \"AuditEntries\" " +
                "WHEN NOT (OLD.\"ReasonDigest\" IS NOT NULL AND NEW.\"Reason\" IS NULL AND NEW.\"ReasonSalt\" IS NULL AND " +
                "NEW.\"Sequence\" IS OLD.\"Sequence\" AND NEW.\"AtUtc\" IS OLD.\"AtUtc\" AND NEW.\"Actor\" IS OLD.\"Actor\" AND NEW.\"CaseId\" IS OLD.\"CaseId\" AND NEW.\"Action\" IS OLD.\"Action\" AND NEW.\"FromState\" IS OLD.\"FromState\" AND NEW.\"ToState\" IS OLD.\"ToState\" AND NEW.\"ReasonDigest\" IS OLD.\"ReasonDigest\" AND NEW.\"PreviousHash\" IS OLD.\"PreviousHash\" AND NEW.\"Hash\" IS OLD.\"Hash\") " +
                "BEGIN SELECT RAISE(ABORT, 'audit entries are append-only: only a reason''s text may be erased'); END;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS audit_entries_no_update;");
            migrationBuilder.Sql("CREATE TRIGGER audit_entries_no_update BEFORE UPDATE ON \"AuditEntries\" BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;");

            migrationBuilder.DropColumn(
                name: "ReasonDigest",
                table: "AuditEntries");

            migrationBuilder.DropColumn(
                name: "ReasonSalt",
                table: "AuditEntries");
        }
    }
}
